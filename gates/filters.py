"""The one FilterSet of the gate list: the public page, its exports and the API share it."""

import django_filters
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import (
    ChoiceFilter,
    ChoiceMultipleFilter,
    RecordChoiceFilter,
    SearchFilter,
    StableOrderingFilter,
    country_choices,
    currency_choices,
)
from core.models import District

from .models import EconomicZone, Gate, GateEvent, TradeRecord


class GateFilter(django_filters.FilterSet):
    search = SearchFilter()
    kind = ChoiceMultipleFilter(label=_("Kind"), choices=Gate.Kind.choices)
    status = ChoiceMultipleFilter(label=_("Status"), choices=Gate.Status.choices)
    district = RecordChoiceFilter(
        label=_("District"),
        queryset=District.objects.all(),
    )
    economic_zone = RecordChoiceFilter(
        label=_("Economic zone"),
        queryset=EconomicZone.objects.all(),
    )
    counterpart_country = ChoiceFilter(
        empty_label=_("Any"), label=_("Counterpart country"), choices=country_choices
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("kind", "kind"), ("status", "status")),
        field_labels={"name": _("Name"), "kind": _("Kind"), "status": _("Status")},
    )

    class Meta:
        model = Gate
        fields: list[str] = []


class GateEventFilter(django_filters.FilterSet):
    gate = RecordChoiceFilter(label=_("Gate"), queryset=Gate.objects.published())
    kind = ChoiceMultipleFilter(label=_("Kind"), choices=GateEvent.Kind.choices)
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Up to"), field_name="date", lookup_expr="lte")
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("date", "date"),),
        field_labels={"date": _("Date")},
        default="date",
    )

    class Meta:
        model = GateEvent
        fields: list[str] = []


class TradeRecordFilter(django_filters.FilterSet):
    class Direction(models.TextChoices):
        EXPORTS = "exports", _("Exports")
        IMPORTS = "imports", _("Imports")
        TURNOVER = "turnover", _("Turnover")

    gate = RecordChoiceFilter(label=_("Gate"), queryset=Gate.objects.published())
    province_wide = django_filters.BooleanFilter(
        label=_("Whole province"), field_name="gate", lookup_expr="isnull"
    )
    currency = ChoiceFilter(empty_label=_("Any"), label=_("Currency"), choices=currency_choices)
    period_from = django_filters.DateFilter(
        label=_("From"), field_name="period_start", lookup_expr="gte"
    )
    period_to = django_filters.DateFilter(
        label=_("Up to"), field_name="period_end", lookup_expr="lte"
    )
    direction = ChoiceFilter(
        empty_label=_("Any"),
        label=_("Direction"),
        choices=Direction.choices,
        method="filter_direction",
        help_text=_("Only the records that give this figure."),
    )
    ordering = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("period_start", "period"),),
        field_labels={"period_start": _("Period")},
        default="period",
    )

    class Meta:
        model = TradeRecord
        fields: list[str] = []

    def filter_direction(self, queryset, name, value):
        if value == self.Direction.TURNOVER:
            return queryset.filter(
                Q(turnover__isnull=False) | Q(exports__isnull=False, imports__isnull=False)
            )
        return queryset.filter(**{f"{value}__isnull": False})
