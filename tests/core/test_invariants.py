"""Every invariant is refused twice: by validation (a readable message on the field) and by the
database itself (a named constraint), also when a write bypasses the forms."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.core.factories import ReportedFigureFactory, SourceFactory
from tests.gates.factories import GateFactory, TradeRecordFactory
from tests.investment.factories import InvestmentFactory, InvestorFactory
from tests.projects.factories import ProgrammeFactory, ProjectFactory, YearlyAllocationFactory

D = datetime.date

# (factory, bad values, name of the database constraint, field that carries the message)
CASES = [
    (
        ProjectFactory,
        {"total_investment": Decimal("-1")},
        "project_total_investment_non_negative",
        "total_investment",
    ),
    (ProjectFactory, {"length_km": Decimal("-5")}, "project_length_km_non_negative", "length_km"),
    (
        ProjectFactory,
        {"progress_percent": Decimal("100.5")},
        "project_progress_range",
        "progress_percent",
    ),
    (
        ProjectFactory,
        {"progress_percent": Decimal("-1")},
        "project_progress_range",
        "progress_percent",
    ),
    (
        ProjectFactory,
        {"planned_start": D(2022, 1, 1), "planned_end": D(2021, 1, 1)},
        "project_planned_end_after_start",
        "planned_end",
    ),
    (
        ProjectFactory,
        {"actual_start": D(2022, 1, 1), "actual_end": D(2021, 12, 31)},
        "project_actual_end_after_start",
        "actual_end",
    ),
    (
        ProjectFactory,
        {"latitude": Decimal("91"), "longitude": Decimal("106")},
        "project_latitude_range",
        "latitude",
    ),
    (
        ProjectFactory,
        {"latitude": Decimal("22"), "longitude": Decimal("-181")},
        "project_longitude_range",
        "longitude",
    ),
    (
        ProjectFactory,
        {"latitude": Decimal("22.5"), "longitude": None},
        "project_coordinates_both_or_neither",
        "longitude",
    ),
    (ProjectFactory, {"currency": "XYZ"}, "project_currency_valid", "currency"),
    (
        YearlyAllocationFactory,
        {"allocated": Decimal("10"), "disbursed": Decimal("11")},
        "yearlyallocation_disbursed_within_allocated",
        "disbursed",
    ),
    (
        YearlyAllocationFactory,
        {"allocated": Decimal("-10"), "disbursed": Decimal("-20")},
        "yearlyallocation_allocated_non_negative",
        "allocated",
    ),
    (YearlyAllocationFactory, {"year": 1800}, "yearlyallocation_year_range", "year"),
    (
        ProgrammeFactory,
        {"allocated_capital": Decimal("-1")},
        "programme_allocated_capital_non_negative",
        "allocated_capital",
    ),
    (
        ProgrammeFactory,
        {"start_year": 2020, "end_year": 2016},
        "programme_end_year_after_start",
        "end_year",
    ),
    (ProgrammeFactory, {"currency": "vnd"}, "programme_currency_valid", "currency"),
    (
        GateFactory,
        {"latitude": Decimal("22.8"), "longitude": Decimal("200")},
        "gate_longitude_range",
        "longitude",
    ),
    (
        GateFactory,
        {"latitude": None, "longitude": Decimal("106.3")},
        "gate_coordinates_both_or_neither",
        "latitude",
    ),
    (
        GateFactory,
        {"counterpart_country": "XX"},
        "gate_counterpart_country_valid",
        "counterpart_country",
    ),
    (TradeRecordFactory, {"exports": Decimal("-3")}, "traderecord_exports_non_negative", "exports"),
    (
        TradeRecordFactory,
        {"period_start": D(2018, 2, 1), "period_end": D(2018, 1, 1)},
        "traderecord_period_end_after_start",
        "period_end",
    ),
    (TradeRecordFactory, {"currency": "ABC"}, "traderecord_currency_valid", "currency"),
    (
        TradeRecordFactory,
        {"exports": None, "imports": None},
        "traderecord_has_a_figure",
        "turnover",
    ),
    (InvestmentFactory, {"capital": Decimal("-1")}, "investment_capital_non_negative", "capital"),
    (InvestmentFactory, {"currency": "US$"}, "investment_currency_valid", "currency"),
    (InvestorFactory, {"country": "ZZ"}, "investor_country_valid", "country"),
    (
        ReportedFigureFactory,
        {"value": Decimal("-17")},
        "reportedfigure_value_non_negative",
        "value",
    ),
    (
        ReportedFigureFactory,
        {"unit": "money", "currency": ""},
        "reportedfigure_currency_iff_money",
        "currency",
    ),
    (
        ReportedFigureFactory,
        {"unit": "count", "currency": "USD"},
        "reportedfigure_currency_iff_money",
        "currency",
    ),
    (
        ReportedFigureFactory,
        {"unit": "percent", "value": Decimal("130")},
        "reportedfigure_percent_range",
        "value",
    ),
    (
        ReportedFigureFactory,
        {"period_start": D(2020, 1, 1), "period_end": D(2016, 1, 1)},
        "reportedfigure_period_end_after_start",
        "period_end",
    ),
]
IDS = [case[2] + ":" + ",".join(case[1]) for case in CASES]


@pytest.mark.django_db
@pytest.mark.parametrize(("factory", "bad", "constraint", "field"), CASES, ids=IDS)
def test_validation_refuses_with_a_message_on_the_field(factory, bad, constraint, field):
    obj = factory()
    for name, value in bad.items():
        setattr(obj, name, value)
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert field in error.value.message_dict, error.value.message_dict
    assert all(message.strip() for message in error.value.message_dict[field])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("factory", "bad", "constraint", "field"), CASES, ids=IDS)
def test_database_refuses_a_write_that_bypasses_validation(factory, bad, constraint, field):
    obj = factory()
    model = type(obj)
    before = model.objects.filter(pk=obj.pk).values().get()
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        model.objects.filter(pk=obj.pk).update(**bad)
    assert constraint in str(error.value)
    assert model.objects.filter(pk=obj.pk).values().get() == before


@pytest.mark.django_db
def test_valid_records_pass_validation():
    for factory in (
        ProjectFactory,
        YearlyAllocationFactory,
        ProgrammeFactory,
        GateFactory,
        TradeRecordFactory,
        InvestmentFactory,
        InvestorFactory,
        ReportedFigureFactory,
    ):
        factory().full_clean()


@pytest.mark.django_db
def test_disbursed_equal_to_allocated_is_allowed():
    allocation = YearlyAllocationFactory(allocated=Decimal("10"), disbursed=Decimal("10"))
    allocation.full_clean()


@pytest.mark.django_db
def test_validation_messages_are_vietnamese_by_default():
    project = ProjectFactory()
    project.progress_percent = Decimal("120")
    with pytest.raises(ValidationError) as default_error:
        project.full_clean()
    vietnamese = default_error.value.message_dict["progress_percent"]
    with translation.override("en"):
        with pytest.raises(ValidationError) as english_error:
            project.full_clean()
        english = english_error.value.message_dict["progress_percent"]
    assert english == ["Progress is a percentage between 0 and 100."]
    assert vietnamese != english
    assert re.search("[àáảãạăâđèéẻẽẹêìíỉĩịòóỏõọôơùúủũụưỳýỷỹỵ]", vietnamese[0].lower())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (ProjectFactory, "code"),
        (ProjectFactory, "slug"),
        (GateFactory, "code"),
        (GateFactory, "slug"),
        (ProgrammeFactory, "code"),
        (InvestmentFactory, "code"),
        (InvestorFactory, "slug"),
        (SourceFactory, "code"),
    ],
)
def test_codes_and_slugs_are_unique(factory, field):
    first = factory()
    second = factory()
    setattr(second, field, getattr(first, field))
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert field in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        type(first).objects.filter(pk=second.pk).update(**{field: getattr(first, field)})


@pytest.mark.django_db
def test_one_allocation_per_project_and_year():
    allocation = YearlyAllocationFactory(year=2020)
    duplicate = YearlyAllocationFactory.build(project=allocation.project, year=2020)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
