"""Admin for sources, citations, reported figures and districts, and helpers every admin uses."""

import copy

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import models, router, transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .exceptions import StaleRecordError
from .history import (
    children_version,
    display,
    ensure_children_current,
    ensure_current,
    is_tracked,
    record_version,
)
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


def form_version(instance, children) -> str:
    """What a change form carries: ``<record's version>``, and ``:<its inline rows' versions>``
    when the page edits rows of other models with it."""
    version = str(record_version(instance))
    if children:
        version += ":" + children_version(instance, children)
    return version


class VersionedForm(forms.ModelForm):
    """Carries the version of the record the editor opened, and refuses to save over a newer
    one: the second of two people editing the same record is told who changed what, and nothing
    of theirs is saved (no lost update)."""

    record_version = forms.CharField(widget=forms.HiddenInput, required=False)
    # The rows edited on the same page (the admin's inlines): ``[(model, fk name)]``.
    children: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["record_version"].initial = self.version()

    def version(self) -> str:
        return form_version(self.instance, self.children)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        raw = (self.data.get(self.add_prefix("record_version")) or "").strip()
        own, _sep, rows = raw.partition(":")
        if not own.isdigit() or len(raw) > 200:
            raise forms.ValidationError(
                _("This form is incomplete or damaged; open the record again."),
                code="no_version",
            )
        try:
            # Locks the row until the admin's transaction ends, so two saves cannot both pass.
            ensure_current(instance=self.instance, version=int(own))
            ensure_children_current(instance=self.instance, children=self.children, version=rows)
        except StaleRecordError as error:
            raise forms.ValidationError(error.messages, code="stale") from None
        return cleaned


class ReadableChanges(HistoricalRecordContextHelper):
    """Values in the history as people read them: labels of choices, local numbers and dates."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        return display(self.model, change.field, value)


class TrackedAdmin(SimpleHistoryAdmin):
    """Every tracker admin: the history of each record with what changed from what to what,
    restore of an earlier version (or of a deleted record) for those who may add records, and
    the stale-edit check of ``VersionedForm``."""

    form = VersionedForm
    # Fields staff who may change but not add records (editors) may still edit; None: all.
    editor_fields: tuple[str, ...] | None = None
    # Set on the per-request copy that shows an old version to someone who may not restore it.
    version_read_only = False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        shown = {
            name
            for _name, options in fieldsets
            for item in options["fields"]
            for name in (item if isinstance(item, (list, tuple)) else [item])
        }
        extra = []
        if any(f.name == "is_published" for f in self.model._meta.fields) and (
            "is_published" not in shown
        ):
            extra.append("is_published")
        if obj is not None and "record_version" not in shown and not self.version_read_only:
            extra.append("record_version")
        if not extra:
            return fieldsets
        first_name, first = fieldsets[0]
        return [(first_name, {**first, "fields": [*first["fields"], *extra]}), *fieldsets[1:]]

    def get_readonly_fields(self, request, obj=None):
        if self.version_read_only:
            opts = self.model._meta
            fields = [f.name for f in [*opts.fields, *opts.many_to_many] if f.editable]
            return [*fields, *(f for f in self.readonly_fields if f not in fields)]
        readonly = list(super().get_readonly_fields(request, obj))
        opts = self.model._meta
        if any(field.name == "is_published" for field in opts.fields) and not request.user.has_perm(
            f"{opts.app_label}.publish_{opts.model_name}"
        ):
            readonly.append("is_published")
        if self.editor_fields is not None and not self.has_add_permission(request):
            editable = set(self.editor_fields) | {"record_version"}
            readonly += [
                name
                for name in self._form_field_names(request, obj)
                if name not in editable and name not in readonly
            ]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"children": self.form_children()})

    def form_children(self) -> list:
        """The models edited inline on this page, with their foreign key to this one."""
        children = [
            (inline.model, inline.fk_name or self._fk_to_me(inline.model))
            for inline in self.inlines
            if is_tracked(inline.model) and not issubclass(inline, GenericTabularInline)
        ]
        return [child for child in children if child[1]]

    def _fk_to_me(self, model) -> str | None:
        for field in model._meta.fields:
            if field.is_relation and field.related_model is self.model:
                return field.name
        return None

    def get_prepopulated_fields(self, request, obj=None):
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            name: sources
            for name, sources in super().get_prepopulated_fields(request, obj).items()
            if name not in readonly
        }

    def _form_field_names(self, request, obj):
        names = []
        for _name, options in super().get_fieldsets(request, obj):
            for item in options["fields"]:
                names.extend(item if isinstance(item, (list, tuple)) else [item])
        return names

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version: restored by those who may add records, shown read only to others.

        django-simple-history builds the page from the user's form and the admin's declared
        prepopulated fields; an editor's form lacks most fields and a viewer's has none, so those
        who may not restore get a copy of this admin (for this request) that shows every field
        as text and prepopulates nothing. Restoring locks the record (the stale-edit check), so
        it runs in a transaction, as the admin's own change page does."""
        if request.method == "POST" and not self.has_add_permission(request):
            raise PermissionDenied
        view_admin = self
        if self.revert_disabled(request):
            view_admin = copy.copy(self)
            view_admin.prepopulated_fields = {}
            view_admin.version_read_only = True
        with transaction.atomic(using=router.db_for_write(self.model)):
            return SimpleHistoryAdmin.history_form_view(
                view_admin, request, object_id, version_id, extra_context
            )

    def revert_disabled(self, request, obj=None):
        # Restoring a version rewrites the record as a whole: for those who may add records.
        return not self.has_add_permission(request) or super().revert_disabled(request, obj)


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
class SourceAdmin(FoldedSearchMixin, ServiceSaveMixin, TrackedAdmin):
    list_display = ["code", "title", "kind", "publisher", "published_on", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["kind", SyntheticListFilter]
    date_hierarchy = "published_on"
    readonly_fields = ["is_synthetic"]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(FoldedSearchMixin, ServiceSaveMixin, TrackedAdmin):
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
class DistrictAdmin(FoldedSearchMixin, ServiceSaveMixin, TrackedAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.site_header = _("Border economy tracker")
admin.site.site_title = _("Border economy tracker")
admin.site.index_title = _("Data kept by provincial staff")


def record_name(entry) -> str:
    """A history entry's record as text, even when what its name depends on is gone too (an
    allocation whose project was deleted with it)."""
    try:
        return str(entry.instance)
    except ObjectDoesNotExist:
        return f"{entry.instance_type._meta.verbose_name} #{entry.instance.pk}"


# The deleted-records page lists this many deletions per page.
DELETED_PER_PAGE = 50


@admin.site.admin_view
def deleted_records_view(request):
    """Deleted records of every model the user may see, newest first, each linked to its
    history, where those who may add records restore it (“Revert”)."""
    kinds = []
    for model, model_admin in admin.site._registry.items():
        if is_tracked(model) and model_admin.has_view_or_change_permission(request):
            kinds.append(model)
    chosen = request.GET.get("model", "")
    by_label = {m._meta.label_lower: m for m in kinds}
    models_shown = [by_label[chosen]] if chosen in by_label else kinds
    rows = []
    # One query per model kind, at most DELETED_PER_PAGE rows each: the page stays bounded.
    for model in models_shown:
        entries = (
            model.history.filter(history_type="-")
            .select_related("history_user")
            .order_by("-history_date")[:DELETED_PER_PAGE]
        )
        rows.extend((model, entry) for entry in entries)
    rows.sort(key=lambda row: row[1].history_date, reverse=True)
    page = Paginator(rows, DELETED_PER_PAGE).get_page(request.GET.get("p"))
    context = {
        **admin.site.each_context(request),
        "title": _("Deleted records"),
        "page": page,
        # Plain values: a template would call a model class (make an instance) if given one.
        "kinds": sorted(
            (
                {"label": m._meta.label_lower, "name": capfirst(m._meta.verbose_name_plural)}
                for m in kinds
            ),
            key=lambda kind: str(kind["name"]),
        ),
        "chosen": chosen,
        "entries": [
            {
                "kind": capfirst(model._meta.verbose_name),
                "entry": entry,
                "name": record_name(entry),
                "history_url": reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_history",
                    args=[entry.instance.pk],
                ),
            }
            for model, entry in page.object_list
        ],
    }
    return TemplateResponse(request, "admin/deleted_records.html", context)
