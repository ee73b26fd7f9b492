from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import (
    CitationInline,
    FoldedSearchMixin,
    ServiceInline,
    SyntheticListFilter,
    TrackedAdmin,
)

from . import services
from .models import EconomicZone, Gate, GateEvent, TradeRecord


@admin.register(EconomicZone)
class EconomicZoneAdmin(FoldedSearchMixin, TrackedAdmin):
    service = staticmethod(services.economic_zone_update)
    list_display = ["name", "parent", "area_ha", "legal_reference"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["is_synthetic"]
    inlines = [CitationInline]


class GateEventInline(ServiceInline, admin.TabularInline):
    model = GateEvent
    service = staticmethod(services.gate_event_update)
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["date", "date_precision", "kind", "title", "title_en", "legal_reference", "source"]


@admin.register(Gate)
class GateAdmin(FoldedSearchMixin, TrackedAdmin):
    service = staticmethod(services.gate_update)
    list_display = [
        "name",
        "kind",
        "status",
        "district",
        "counterpart_name",
        "parent",
        "location_approximate",
    ]
    list_filter = ["kind", "status", "district", "location_approximate", SyntheticListFilter]
    list_select_related = ["district", "parent"]
    autocomplete_fields = ["district", "parent", "economic_zone"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["is_synthetic", "updated_at"]
    inlines = [GateEventInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "slug", "kind", "status", "description"]}),
        (_("In English"), {"fields": ["name_en", "description_en"]}),
        (_("Where"), {"fields": ["province", "district", "economic_zone", "parent"]}),
        (
            _("Across the border"),
            {"fields": ["counterpart_name", "counterpart_country", "counterpart_locality"]},
        ),
        (
            _("Position"),
            {"fields": ["latitude", "longitude", "location_approximate", "location_unconfirmed"]},
        ),
        (_("Record"), {"fields": ["is_synthetic", "updated_at"]}),
    ]


@admin.register(GateEvent)
class GateEventAdmin(FoldedSearchMixin, TrackedAdmin):
    service = staticmethod(services.gate_event_update)
    list_display = ["date", "gate", "kind", "title", "source"]
    list_filter = ["kind", "date_precision", SyntheticListFilter]
    list_select_related = ["gate", "source"]
    folded_search_field = "gate__search_text"
    search_help_text = _("Search by gate name; diacritics and case are ignored.")
    autocomplete_fields = ["gate", "source"]
    date_hierarchy = "date"
    readonly_fields = ["is_synthetic"]


@admin.register(TradeRecord)
class TradeRecordAdmin(TrackedAdmin):
    service = staticmethod(services.trade_record_update)
    # No free-text search: filter by gate and period instead.
    list_display = [
        "__str__",
        "gate",
        "period_start",
        "period_end",
        "exports",
        "imports",
        "turnover",
        "currency",
        "revenue_collected",
        "revenue_currency",
    ]
    list_filter = ["currency", "gate", SyntheticListFilter]
    list_select_related = ["gate", "source"]
    autocomplete_fields = ["gate", "source"]
    date_hierarchy = "period_start"
    readonly_fields = ["is_synthetic"]
