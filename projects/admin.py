from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import F, ImageField
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import (
    CitationInline,
    FoldedSearchMixin,
    ServiceInline,
    SyntheticListFilter,
    TrackedAdmin,
)
from core.exceptions import RecordError
from core.formatting import format_money
from core.validators import PhotoUploadField

from . import services
from .models import (
    Agency,
    Programme,
    ProgressReport,
    Project,
    ProjectEvent,
    ReportPhoto,
    YearlyAllocation,
    disbursement_rate,
)
from .selectors import (
    allocation_excess,
    allocations_not_disbursed,
    attach_capital_totals,
    capital_plan,
    projects_past_planned_end,
    projects_without_recent_report,
)


@admin.display(description=_("progress"), ordering="progress_percent")
def progress_display(obj):
    return "" if obj.progress_percent is None else f"{obj.progress_percent:g} %"


@admin.register(Agency)
class AgencyAdmin(FoldedSearchMixin, TrackedAdmin):
    list_display = ["name", "name_en", "level"]
    list_filter = ["level"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(FoldedSearchMixin, TrackedAdmin):
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


class YearlyAllocationInline(ServiceInline, admin.TabularInline):
    model = YearlyAllocation
    service = staticmethod(services.allocation_update)
    extra = 0
    fields = ["year", "allocated", "disbursed", "source", "note"]
    autocomplete_fields = ["source"]


class ProjectEventInline(ServiceInline, admin.TabularInline):
    model = ProjectEvent
    extra = 0
    fields = ["date", "date_precision", "kind", "title", "title_en", "source"]
    autocomplete_fields = ["source"]


# The confirmation page names at most this many of the selected projects.
CONFIRM_SHOWN = 50


def _status_action(status: Project.Status):
    """A bulk action setting ``status`` on the selected projects: for managers only, after a
    confirmation page listing what changes, and under the forward-only status rules even for
    them (reopening or going back is done one project at a time, on its own page)."""

    def action(modeladmin, request, queryset):
        if request.POST.get("post") != "yes":
            return confirm_status_page(modeladmin, request, queryset, status)
        try:
            changed = services.projects_set_status(
                projects=queryset, status=status.value, user=request.user
            )
        except RecordError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
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
        return None

    action.__name__ = f"set_status_{status.value}"
    action.short_description = _("Set status: %(status)s") % {"status": status.label}
    action.allowed_permissions = ("bulk_status",)
    return action


def confirm_status_page(modeladmin, request, queryset, status):
    """“Set N projects to …?”, with the projects and their present status, and the selection
    carried on to the real change (the ids, or the whole filtered list when all were chosen)."""
    total = queryset.count()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Change the status of %(count)d projects?") % {"count": total},
        "opts": modeladmin.model._meta,
        "status": status,
        "total": total,
        "shown": queryset.select_related(None).order_by("code")[:CONFIRM_SHOWN],
        "action": request.POST.get("action", ""),
        "select_across": request.POST.get("select_across") == "1",
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/projects/project/confirm_status.html", context)


class AttentionFilter(admin.SimpleListFilter):
    """The staff dashboard's headings, as a filter of the project list."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            (
                "no_report",
                _("No report in the last %(days)d days")
                % {"days": settings.TRACKER_REPORT_OVERDUE_DAYS},
            ),
            ("past_end", _("Past the planned end")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "no_report":
            return queryset.filter(pk__in=projects_without_recent_report().values("pk"))
        if self.value() == "past_end":
            return queryset.filter(pk__in=projects_past_planned_end().values("pk"))
        return queryset


class UndisbursedFilter(admin.SimpleListFilter):
    title = _("disbursement")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("undisbursed", _("Not yet fully disbursed (this year and before)"))]

    def queryset(self, request, queryset):
        if self.value() == "undisbursed":
            return queryset.filter(pk__in=allocations_not_disbursed().values("pk"))
        return queryset


class ProgressReportInline(admin.TabularInline):
    """The latest reports, read only: reports are posted on their own page (with photos)."""

    model = ProgressReport
    extra = 0
    max_num = 0
    fields = ["date", "status", "progress_percent", "disbursed_to_date", "author"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    verbose_name_plural = _("progress reports")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


def rate_display(rate) -> str:
    return "–" if rate is None else f"{rate:.1f} %"


class CapitalChangeList(ChangeList):
    """The project list with each row's capital totals, one query for the page (as on the
    public list, ``attach_capital_totals``)."""

    def get_results(self, request):
        super().get_results(request)
        attach_capital_totals(self.result_list)


@admin.register(Project)
class ProjectAdmin(FoldedSearchMixin, TrackedAdmin):
    # The status rules and the editors' fields are the service's.
    service = staticmethod(services.project_update)
    editor_fields = services.PROJECT_EDITOR_FIELDS
    list_display = [
        "code",
        "name",
        "status",
        "category",
        "total_investment",
        "currency",
        progress_display,
        "allocated_display",
        "disbursement_rate_display",
    ]
    list_filter = [
        AttentionFilter,
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
    inlines = [YearlyAllocationInline, ProgressReportInline, ProjectEventInline, CitationInline]
    actions = [_status_action(status) for status in Project.Status]

    def has_bulk_status_permission(self, request):
        """Bulk status changes are the manager's (they hold ``override_status``)."""
        return request.user.has_perm("projects.override_status")

    fieldsets = [
        (None, {"fields": ["code", "name", "slug", "programme", "gates", "description"]}),
        (_("In English"), {"fields": ["name_en", "description_en"]}),
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
        (_("Record"), {"fields": ["is_published", "is_synthetic", "created_at", "updated_at"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return CapitalChangeList

    def get_urls(self):
        return [
            path(
                "capital-plan/",
                self.admin_site.admin_view(self.capital_plan_view),
                name="projects_project_capital_plan",
            ),
            *super().get_urls(),
        ]

    def capital_plan_view(self, request):
        """Allocated and disbursed capital per year and per programme, with rates, and the
        projects whose allocations exceed their total investment."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Capital plan"),
            "opts": self.model._meta,
            **capital_plan(),
        }
        return TemplateResponse(request, "admin/projects/capital_plan.html", context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.warn_allocation_excess(request, form.instance)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            project = self.get_object(request, object_id)
            if project is not None:
                self.warn_allocation_excess(request, project)
        extra_context = {
            **(extra_context or {}),
            "report_add_url": reverse("admin:projects_progressreport_add")
            + f"?project={object_id}",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def warn_allocation_excess(self, request, project):
        excess = allocation_excess(project)
        if excess is not None:
            self.message_user(
                request,
                _(
                    "The yearly allocations of “%(project)s” add up to %(allocated)s, more than "
                    "its total investment of %(total)s."
                )
                % {
                    "project": project,
                    "allocated": format_money(excess["allocated"], project.currency),
                    "total": format_money(project.total_investment, project.currency),
                },
                messages.WARNING,
            )

    @admin.display(description=_("allocated"))
    def allocated_display(self, obj):
        return obj.allocated_total

    @admin.display(description=_("disbursement rate"))
    def disbursement_rate_display(self, obj):
        return rate_display(disbursement_rate(obj.disbursed_total, obj.allocated_total))


@admin.register(YearlyAllocation)
class YearlyAllocationAdmin(FoldedSearchMixin, TrackedAdmin):
    service = staticmethod(services.allocation_update)
    list_display = ["project", "year", "allocated", "disbursed", "rate_display"]
    list_filter = [UndisbursedFilter, "year", SyntheticListFilter]
    list_select_related = ["project"]
    autocomplete_fields = ["project", "source"]
    folded_search_field = "project__search_text"
    readonly_fields = ["is_synthetic"]

    @admin.display(description=_("disbursement rate"), ordering=F("disbursed") / F("allocated"))
    def rate_display(self, obj):
        return rate_display(obj.disbursement_rate)


@admin.register(ProjectEvent)
class ProjectEventAdmin(FoldedSearchMixin, TrackedAdmin):
    list_display = ["date", "project", "kind", "title", "source"]
    list_filter = ["kind", SyntheticListFilter]
    list_select_related = ["project", "source"]
    autocomplete_fields = ["project", "source"]
    folded_search_field = "project__search_text"
    date_hierarchy = "date"
    readonly_fields = ["is_synthetic"]


# The byte limit before any image decoder reads an upload (see PhotoUploadField).
PHOTO_FIELD = {ImageField: {"form_class": PhotoUploadField}}


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 1
    fields = ["image", "caption"]
    formfield_overrides = PHOTO_FIELD


@admin.register(ProgressReport)
class ProgressReportAdmin(FoldedSearchMixin, TrackedAdmin):
    """Staff post a dated report; it brings the project's status and progress with it."""

    # Posting a report moves its project, under the status rules: the service checks both.
    service = staticmethod(services.report_post)
    list_display = ["date", "project", "status", progress_display, "author"]
    list_filter = ["status"]
    list_select_related = ["project", "author"]
    autocomplete_fields = ["project"]
    folded_search_field = "project__search_text"
    date_hierarchy = "date"
    readonly_fields = ["author", "created_at"]
    inlines = [ReportPhotoInline]
    fields = [
        "project",
        "date",
        "status",
        "progress_percent",
        "disbursed_to_date",
        "narrative",
        "author",
        "created_at",
    ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReportPhoto:
            return super().save_formset(request, form, formset, change)
        # Photo rows are saved by the photo service, as on the photo's own form.
        for photo in formset.save(commit=False):
            services.report_photo_save(photo=photo, user=request.user)
        for photo in formset.deleted_objects:
            formset.delete_existing(photo)
        return None

    def get_search_results(self, request, queryset, search_term):
        # The report box of the photo form offers only the reports the user may add photos to.
        if request.GET.get("model_name") == "reportphoto":
            queryset = reports_open_to(request, queryset)
        return super().get_search_results(request, queryset, search_term)


def reports_open_to(request, queryset):
    """The reports a user may add photos to: every report for those who may change reports
    (managers), their own for the others (editors)."""
    if request.user.has_perm("projects.change_progressreport"):
        return queryset
    return queryset.filter(author=request.user)


@admin.register(ReportPhoto)
class ReportPhotoAdmin(TrackedAdmin):
    service = None  # saved by report_photo_save (save_model)
    list_display = ["report", "caption", "image"]
    list_select_related = ["report__project"]
    autocomplete_fields = ["report"]
    search_fields = ["caption", "report__project__search_text"]
    formfield_overrides = PHOTO_FIELD

    def save_model(self, request, obj, form, change):
        services.report_photo_save(photo=obj, user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "report":
            # Validation uses this queryset too: another's report is refused, not just hidden.
            kwargs["queryset"] = reports_open_to(request, ProgressReport.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
