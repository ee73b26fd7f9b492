"""The one FilterSet of the gate list: the public page, its exports and the API share it."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import (
    ChoiceMultipleFilter,
    RecordChoiceFilter,
    SearchFilter,
    StableOrderingFilter,
    country_choices,
)
from core.models import District

from .models import EconomicZone, Gate


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
    counterpart_country = django_filters.ChoiceFilter(
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
