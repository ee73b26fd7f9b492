"""The one FilterSet of the project list: the public page, its exports and the API share it."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.filters import (
    AmountFilter,
    ChoiceFilter,
    ChoiceMultipleFilter,
    PercentFilter,
    RangeForm,
    RecordChoiceFilter,
    SearchFilter,
    StableOrderingFilter,
    YearFilter,
    currency_choices,
)
from core.models import District
from gates.models import Gate

from .models import Programme, Project


class ProjectFilterForm(RangeForm):
    range_pairs = (
        ("investment_min", "investment_max"),
        ("progress_min", "progress_max"),
        ("year_from", "year_to"),
    )
    currency_bounds = ("investment_min", "investment_max")


class ProjectFilter(django_filters.FilterSet):
    search = SearchFilter()
    status = ChoiceMultipleFilter(label=_("Status"), choices=Project.Status.choices)
    category = ChoiceMultipleFilter(label=_("Category"), choices=Project.Category.choices)
    funding_source = ChoiceFilter(
        empty_label=_("Any"), label=_("Funding source"), choices=Project.FundingSource.choices
    )
    programme = RecordChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.all(),
    )
    gate = RecordChoiceFilter(
        label=_("Gate"),
        queryset=Gate.objects.published(),
        method="filter_gate",
    )
    district = RecordChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
    )
    year_from = YearFilter(
        label=_("Approved from (year)"), field_name="approval_date", lookup_expr="year__gte"
    )
    year_to = YearFilter(
        label=_("Approved up to (year)"), field_name="approval_date", lookup_expr="year__lte"
    )
    currency = ChoiceFilter(empty_label=_("Any"), label=_("Currency"), choices=currency_choices)
    investment_min = AmountFilter(
        label=_("Total investment from"), field_name="total_investment", lookup_expr="gte"
    )
    investment_max = AmountFilter(
        label=_("Total investment up to"), field_name="total_investment", lookup_expr="lte"
    )
    progress_min = PercentFilter(
        label=_("Progress from (%)"), field_name="progress_percent", lookup_expr="gte"
    )
    progress_max = PercentFilter(
        label=_("Progress up to (%)"), field_name="progress_percent", lookup_expr="lte"
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("status", "status"),
            ("total_investment", "investment"),
            ("progress_percent", "progress"),
            ("approval_date", "approved"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("Name"),
            "status": _("Status"),
            "total_investment": _("Total investment"),
            "progress_percent": _("Progress"),
            "approval_date": _("Approval date"),
            "updated_at": _("Last updated"),
        },
    )

    class Meta:
        model = Project
        form = ProjectFilterForm
        fields: list[str] = []

    def filter_gate(self, queryset, name, value):
        # EXISTS rather than a JOIN, so a project serving two gates is never listed twice.
        served = Project.gates.through.objects.filter(project_id=OuterRef("pk"), gate=value)
        return queryset.filter(Exists(served))


class ProgrammeFilter(django_filters.FilterSet):
    search = SearchFilter()
    kind = ChoiceMultipleFilter(label=_("Kind"), choices=Programme.Kind.choices)
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("start_year", "start_year")),
        field_labels={"name": _("Name"), "start_year": _("First year")},
    )

    class Meta:
        model = Programme
        fields: list[str] = []
