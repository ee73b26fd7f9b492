"""Admin for sources, citations, reported figures and districts, and helpers every admin uses."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Citation, District, ReportedFigure, Source
from .search import search_queryset
from .services import record_save


class FoldedSearchMixin:
    """Admin search (and autocomplete) that ignores diacritics and case: "tra linh" finds
    "Trà Lĩnh". The model keeps its folded ``search_text``; see ``core.search``."""

    search_fields = ("search_text",)
    # The folded column searched; a related model's (``"gate__search_text"``) also works.
    folded_search_field = "search_text"
    search_help_text = _("Diacritics and case are ignored: “tra linh” finds “Trà Lĩnh”.")
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return search_queryset(queryset, search_term, self.folded_search_field), False


class ServiceSaveMixin:
    """Admin saves go through the same validation and save as every other write."""

    def save_model(self, request, obj, form, change):
        record_save(instance=obj)


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "note"]
    verbose_name = _("source")
    verbose_name_plural = _("sources")


class SyntheticListFilter(admin.SimpleListFilter):
    title = _("data")
    parameter_name = "synthetic"

    def lookups(self, request, model_admin):
        return [("no", _("Real data")), ("yes", _("Synthetic test data"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(is_synthetic=False)
        if self.value() == "yes":
            return queryset.filter(is_synthetic=True)
        return queryset


@admin.register(Source)
class SourceAdmin(FoldedSearchMixin, ServiceSaveMixin, admin.ModelAdmin):
    list_display = ["code", "title", "kind", "publisher", "published_on", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["kind", SyntheticListFilter]
    date_hierarchy = "published_on"
    readonly_fields = ["is_synthetic"]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(FoldedSearchMixin, ServiceSaveMixin, admin.ModelAdmin):
    list_display = ["label", "metric", "qualifier", "value", "unit", "currency", "as_of", "source"]
    list_filter = ["metric", "unit", "currency", SyntheticListFilter]
    list_select_related = ["source"]
    autocomplete_fields = ["source"]
    date_hierarchy = "as_of"
    readonly_fields = ["is_synthetic"]
    fieldsets = [
        (None, {"fields": ["code", "metric", "label"]}),
        (_("Figure"), {"fields": ["qualifier", "value", "unit", "currency"]}),
        (_("Period"), {"fields": ["period_start", "period_end", "as_of", "as_of_precision"]}),
        (_("Source"), {"fields": ["source", "quote", "note"]}),
        (_("About"), {"fields": ["subject_type", "subject_id", "is_synthetic"]}),
    ]


@admin.register(District)
class DistrictAdmin(FoldedSearchMixin, ServiceSaveMixin, admin.ModelAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.site_header = _("Border economy tracker")
admin.site.site_title = _("Border economy tracker")
admin.site.index_title = _("Data kept by provincial staff")
