from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import CitationInline, FoldedSearchMixin, ServiceSaveMixin, SyntheticListFilter

from .models import Agency, Programme, Project, ProjectEvent, YearlyAllocation
from .services import project_save, projects_set_status


@admin.register(Agency)
class AgencyAdmin(FoldedSearchMixin, ServiceSaveMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "level"]
    list_filter = ["level"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(FoldedSearchMixin, ServiceSaveMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "legal_reference",
        "start_year",
        "end_year",
        "allocated_capital",
        "currency",
        "planned_project_count",
    ]
    list_filter = ["kind", SyntheticListFilter]
    date_hierarchy = "issued_on"
    readonly_fields = ["is_synthetic"]
    inlines = [CitationInline]


class YearlyAllocationInline(admin.TabularInline):
    model = YearlyAllocation
    extra = 0
    fields = ["year", "allocated", "disbursed", "source", "note"]
    autocomplete_fields = ["source"]


class ProjectEventInline(admin.TabularInline):
    model = ProjectEvent
    extra = 0
    fields = ["date", "date_precision", "kind", "title", "source"]
    autocomplete_fields = ["source"]


def _status_action(status: Project.Status):
    def action(modeladmin, request, queryset):
        try:
            changed = projects_set_status(projects=queryset, status=status.value)
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d project set to “%(status)s”.",
                "%(count)d projects set to “%(status)s”.",
                changed,
            )
            % {"count": changed, "status": status.label},
            messages.SUCCESS,
        )

    action.__name__ = f"set_status_{status.value}"
    action.short_description = _("Set status: %(status)s") % {"status": status.label}
    action.allowed_permissions = ("change",)
    return action


@admin.register(Project)
class ProjectAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "status",
        "category",
        "total_investment",
        "currency",
        "progress_display",
        "allocated_display",
        "disbursement_rate_display",
    ]
    list_filter = [
        "status",
        "category",
        "funding_source",
        "programme",
        "location_approximate",
        SyntheticListFilter,
    ]
    list_select_related = ["programme", "owner"]
    autocomplete_fields = ["programme", "gates", "owner", "district"]
    prepopulated_fields = {"slug": ["code"]}
    date_hierarchy = "approval_date"
    readonly_fields = ["is_synthetic", "created_at", "updated_at"]
    inlines = [YearlyAllocationInline, ProjectEventInline, CitationInline]
    actions = [_status_action(status) for status in Project.Status]
    fieldsets = [
        (None, {"fields": ["code", "name", "slug", "programme", "gates", "description"]}),
        (
            _("Kind and status"),
            {"fields": ["category", "project_type", "status", "progress_percent"]},
        ),
        (
            _("Money"),
            {"fields": ["funding_source", "owner", "total_investment", "currency"]},
        ),
        (
            _("Dates"),
            {
                "fields": [
                    "approval_date",
                    ("planned_start", "planned_end"),
                    ("actual_start", "actual_end"),
                ]
            },
        ),
        (
            _("Where"),
            {
                "fields": [
                    "district",
                    ("latitude", "longitude"),
                    "location_approximate",
                    "length_km",
                ]
            },
        ),
        (_("Record"), {"fields": ["is_synthetic", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_capital_totals()

    def save_model(self, request, obj, form, change):
        project_save(project=obj)

    @admin.display(description=_("progress"), ordering="progress_percent")
    def progress_display(self, obj):
        return "" if obj.progress_percent is None else f"{obj.progress_percent:g} %"

    @admin.display(description=_("allocated"), ordering="allocated_total")
    def allocated_display(self, obj):
        return obj.allocated_total

    @admin.display(description=_("disbursement rate"))
    def disbursement_rate_display(self, obj):
        if not obj.allocated_total:
            return "–"
        return f"{(obj.disbursed_total or 0) / obj.allocated_total * 100:.1f} %"


@admin.register(YearlyAllocation)
class YearlyAllocationAdmin(ServiceSaveMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["project", "year", "allocated", "disbursed", "rate_display"]
    list_filter = ["year", SyntheticListFilter]
    list_select_related = ["project"]
    autocomplete_fields = ["project", "source"]
    folded_search_field = "project__search_text"
    readonly_fields = ["is_synthetic"]

    @admin.display(description=_("disbursement rate"), ordering=F("disbursed") / F("allocated"))
    def rate_display(self, obj):
        rate = obj.disbursement_rate
        return "–" if rate is None else f"{rate:.1f} %"


@admin.register(ProjectEvent)
class ProjectEventAdmin(ServiceSaveMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["date", "project", "kind", "title", "source"]
    list_filter = ["kind", SyntheticListFilter]
    list_select_related = ["project", "source"]
    autocomplete_fields = ["project", "source"]
    folded_search_field = "project__search_text"
    date_hierarchy = "date"
    readonly_fields = ["is_synthetic"]
