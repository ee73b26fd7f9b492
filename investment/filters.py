"""The FilterSets of the investor and investment lists, shared by pages, exports and the API."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.filters import (
    AmountFilter,
    ChoiceFilter,
    ChoiceMultipleFilter,
    RangeForm,
    RecordChoiceFilter,
    SearchFilter,
    StableOrderingFilter,
    YearFilter,
    country_choices,
    currency_choices,
)
from core.models import District
from gates.models import Gate

from .models import Investment, Investor, Sector


class InvestorFilter(django_filters.FilterSet):
    search = SearchFilter()
    kind = ChoiceMultipleFilter(label=_("Kind"), choices=Investor.Kind.choices)
    country = ChoiceFilter(empty_label=_("Any"), label=_("Country"), choices=country_choices)
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("kind", "kind"), ("country", "country")),
        field_labels={"name": _("Name"), "kind": _("Kind"), "country": _("Country")},
    )

    class Meta:
        model = Investor
        fields: list[str] = []


class InvestmentFilterForm(RangeForm):
    range_pairs = (("capital_min", "capital_max"), ("year_from", "year_to"))
    currency_bounds = ("capital_min", "capital_max")


class InvestmentFilter(django_filters.FilterSet):
    search = SearchFilter()
    kind = ChoiceMultipleFilter(label=_("Kind"), choices=Investment.Kind.choices)
    status = ChoiceMultipleFilter(label=_("Status"), choices=Investment.Status.choices)
    investor = RecordChoiceFilter(
        label=_("Investor"),
        queryset=Investor.objects.published(),
        method="filter_investor",
    )
    country = ChoiceFilter(
        empty_label=_("Any"),
        label=_("Investor country"),
        choices=country_choices,
        method="filter_country",
    )
    sector = RecordChoiceFilter(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        method="filter_sector",
    )
    district = RecordChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
    )
    gate = RecordChoiceFilter(
        empty_label=_("Any"), label=_("Gate"), queryset=Gate.objects.published()
    )
    year_from = YearFilter(label=_("From (year)"), field_name="date", lookup_expr="year__gte")
    year_to = YearFilter(label=_("Up to (year)"), field_name="date", lookup_expr="year__lte")
    currency = ChoiceFilter(empty_label=_("Any"), label=_("Currency"), choices=currency_choices)
    capital_min = AmountFilter(label=_("Capital from"), field_name="capital", lookup_expr="gte")
    capital_max = AmountFilter(label=_("Capital up to"), field_name="capital", lookup_expr="lte")
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("kind", "kind"), ("capital", "capital"), ("date", "date")),
        field_labels={
            "name": _("Name"),
            "kind": _("Kind"),
            "capital": _("Capital"),
            "date": _("Date"),
        },
    )

    class Meta:
        model = Investment
        form = InvestmentFilterForm
        fields: list[str] = []

    # Many-to-many filters use EXISTS so that no investment is listed twice.
    def filter_investor(self, queryset, name, value):
        through = Investment.investors.through.objects
        return queryset.filter(Exists(through.filter(investment_id=OuterRef("pk"), investor=value)))

    def filter_country(self, queryset, name, value: str):
        through = Investment.investors.through.objects
        return queryset.filter(
            Exists(through.filter(investment_id=OuterRef("pk"), investor__country=value))
        )

    def filter_sector(self, queryset, name, value):
        through = Investment.sectors.through.objects
        return queryset.filter(Exists(through.filter(investment_id=OuterRef("pk"), sector=value)))
