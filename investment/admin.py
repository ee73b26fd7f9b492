from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import (
    CitationInline,
    FoldedSearchMixin,
    SyntheticListFilter,
    TrackedAdmin,
)

from . import services
from .models import Investment, Investor, Sector


@admin.register(Sector)
class SectorAdmin(FoldedSearchMixin, TrackedAdmin):
    service = staticmethod(services.sector_update)
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class InvestmentInline(admin.TabularInline):
    model = Investment.investors.through
    extra = 0
    autocomplete_fields = ["investment"]
    verbose_name = _("investment project")
    verbose_name_plural = _("investment projects")


@admin.register(Investor)
class InvestorAdmin(FoldedSearchMixin, TrackedAdmin):
    service = staticmethod(services.investor_update)
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country", SyntheticListFilter]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["is_synthetic"]
    inlines = [InvestmentInline, CitationInline]


@admin.register(Investment)
class InvestmentAdmin(FoldedSearchMixin, TrackedAdmin):
    service = staticmethod(services.investment_update)
    list_display = ["code", "name", "kind", "status", "capital", "currency", "date", "district"]
    list_filter = ["kind", "status", "currency", "capital_type", SyntheticListFilter]
    list_select_related = ["district", "gate"]
    autocomplete_fields = ["investors", "sectors", "district", "gate"]
    prepopulated_fields = {"slug": ["code"]}
    date_hierarchy = "date"
    readonly_fields = ["is_synthetic", "updated_at"]
    inlines = [CitationInline]
