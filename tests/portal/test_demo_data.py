"""The demo data: the article's figures as reported figures with their source, loaded once."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.models import Citation, ReportedFigure, Source
from gates.models import Gate, GateEvent, TradeRecord
from investment.models import Investment, Investor
from projects.models import Programme, Project

ARTICLE = "article-2020-11-29"
SOURCED_MODELS = [Gate, Project, Programme, Investor]


def snapshot():
    models = [
        Source,
        Citation,
        ReportedFigure,
        Gate,
        GateEvent,
        TradeRecord,
        Programme,
        Project,
        Investor,
        Investment,
        Project.gates.through,
    ]
    return {model.__name__: sorted(map(repr, model.objects.values_list())) for model in models}


@pytest.mark.django_db
def test_loading_twice_leaves_the_same_rows(demo_data, capsys):
    before = snapshot()
    call_command("load_demo_data")
    assert snapshot() == before
    assert "0 writes" in capsys.readouterr().out


def figure(code: str) -> ReportedFigure:
    return ReportedFigure.objects.select_related("source").get(code=code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "value", "unit", "currency", "qualifier"),
    [
        ("gate-projects-count-2016-2020", Decimal("17"), "count", "", "exact"),
        ("gate-projects-capital-2016-2020", Decimal("513200000000"), "money", "VND", "more_than"),
        ("gate-projects-in-operation-2020", Decimal("4"), "count", "", "exact"),
        ("gate-projects-under-way-2020", Decimal("13"), "count", "", "exact"),
        ("fdi-projects-2020", Decimal("12"), "count", "", "exact"),
        ("fdi-investors-2020", Decimal("9"), "count", "", "exact"),
        ("fdi-capital-usd-2020", Decimal("21675000"), "money", "USD", "exact"),
        ("fdi-capital-vnd-2020", Decimal("618000000000"), "money", "VND", "exact"),
        ("oda-signed-2020", Decimal("2136000000000"), "money", "VND", "exact"),
        ("ngo-aid-2020", Decimal("14500000"), "money", "USD", "exact"),
        ("trade-turnover-2016-2019", Decimal("9900000000"), "money", "USD", "exact"),
    ],
)
def test_article_figures_are_reported_figures_with_their_source(
    demo_data, code, value, unit, currency, qualifier
):
    reported = figure(code)
    assert (reported.value, reported.unit, reported.currency, reported.qualifier) == (
        value,
        unit,
        currency,
        qualifier,
    )
    assert reported.source.code == ARTICLE
    assert reported.source.published_on == datetime.date(2020, 11, 29)
    assert reported.as_of == datetime.date(2020, 11, 29)
    assert reported.quote


@pytest.mark.django_db
def test_trade_figure_covers_2016_to_2019(demo_data):
    trade = figure("trade-turnover-2016-2019")
    assert (trade.period_start, trade.period_end) == (
        datetime.date(2016, 1, 1),
        datetime.date(2019, 12, 31),
    )


@pytest.mark.django_db
def test_fdi_capital_in_two_currencies_is_kept_apart(demo_data):
    fdi = ReportedFigure.objects.filter(metric="fdi_registered_capital", source__code=ARTICLE)
    assert sorted(fdi.values_list("currency", "value")) == [
        ("USD", Decimal("21675000")),
        ("VND", Decimal("618000000000")),
    ]


@pytest.mark.django_db
def test_aggregates_are_not_turned_into_invented_records(demo_data):
    # The article counts 17 projects and 12 FDI projects but names only a few; none are made up.
    assert Project.objects.count() < 17
    assert Investment.objects.count() == 0
    assert not Project.objects.filter(is_synthetic=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", SOURCED_MODELS)
def test_every_record_keeps_its_source(demo_data, model):
    for obj in model.objects.all():
        sources = [citation.source for citation in obj.citations.all()]
        assert sources, f"{model.__name__} {obj} has no source"
        assert all(source.title and (source.url or source.published_on) for source in sources)


@pytest.mark.django_db
def test_events_trade_and_figures_name_their_source(demo_data):
    for model in (GateEvent, TradeRecord, ReportedFigure):
        assert model.objects.exists()
        assert not model.objects.filter(source__isnull=True).exists()


@pytest.mark.django_db
def test_approximate_coordinates_are_flagged(demo_data):
    assert Gate.objects.get(code="tra-linh").location_approximate is True
    assert Gate.objects.get(code="ta-lung").location_approximate is False
    po_peo = Gate.objects.get(code="po-peo")
    assert po_peo.location_approximate and po_peo.location_unconfirmed


@pytest.mark.django_db
def test_disagreeing_sources_are_both_kept(demo_data):
    # FDI: 21.675 million USD in the 2020 article, about 28 million USD in a 2017 report.
    usd = ReportedFigure.objects.filter(metric="fdi_registered_capital", currency="USD")
    assert sorted(usd.values_list("source__code", "value")) == [
        (ARTICLE, Decimal("21675000")),
        ("i1", Decimal("28000000")),
    ]
    # Border-gate projects: 17 in the article, 6 started in 2016–2020 in a 2023 report.
    counts = ReportedFigure.objects.filter(metric="project_count", period_start__year=2016)
    assert sorted(counts.values_list("value", flat=True)) == [Decimal("6"), Decimal("17")]


@pytest.mark.django_db
def test_gate_pairs_and_history(demo_data):
    assert Gate.objects.get(code="ban-khoong").parent.code == "ly-van"
    assert Gate.objects.get(code="na-doong").parent.code == "tra-linh"
    tra_linh = Gate.objects.get(code="tra-linh")
    upgraded = tra_linh.events.get(kind=GateEvent.Kind.UPGRADED_INTERNATIONAL)
    assert upgraded.date == datetime.date(2023, 12, 28)
    assert tra_linh.kind == Gate.Kind.INTERNATIONAL
