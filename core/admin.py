"""Admin for sources, citations, reported figures and districts, and helpers every admin uses."""

import copy
import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.forms.models import InlineForeignKeyField, construct_instance
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .deletion import DependentsError, dependents, link_field, lock, record_delete
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
from .services import record_update


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


class ServiceForm(forms.ModelForm):
    """A model form whose record is validated and saved by its write service (``service``, set
    per request by the admin with the ``user`` who writes): the service's rules (roles, status,
    publishing…) and the model's validation speak on the form, and saving the form is the
    service's write. The form only puts the values on its instance; the service compares them
    with the record as stored (``stored``) to decide what changed."""

    service = None
    user = None
    # The record is an old version being restored (its history page): the stored record is the
    # one in the database (or none, when it was deleted), not the version shown.
    restoring = False

    def _post_clean(self):
        if self.service is None:
            return super()._post_clean()
        self.stored = self.stored_record()
        # What ModelForm leaves out of validation: fields not on the form or not valid, and a
        # new inline row's link to a record that is not saved yet.
        exclude = self._get_validation_exclusions()
        exclude.update(
            name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)
        )
        opts = self._meta
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.write(save=False, exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)
        return None

    def stored_record(self):
        instance = self.instance
        if self.restoring and not instance._state.adding:
            stored = type(instance)._default_manager.filter(pk=instance.pk).first()
            if stored is not None:
                return stored
            # A deleted record restored: everything in the form is new.
            stored = copy.copy(instance)
            stored._state.adding = True
            return stored
        return copy.copy(instance)

    def service_data(self) -> dict:
        """The form's values of the record's own fields (not its key, which a formset's row
        carries; files are put on the instance by the form and saved with it)."""
        opts = self.instance._meta
        names = {
            field.name
            for field in [*opts.concrete_fields, *opts.many_to_many]
            if field.editable and not field.primary_key and not isinstance(field, models.FileField)
        }
        return {name: value for name, value in self.cleaned_data.items() if name in names}

    def write(self, *, save: bool = True, exclude=()):
        return self.service(
            self.instance,
            data=self.service_data(),
            user=self.user,
            before=self.stored,
            save=save,
            exclude=exclude,
        )

    def _save_m2m(self):
        if self.service is None:
            super()._save_m2m()
        # Otherwise the service set the many-to-many fields with the record.


class VersionedForm(ServiceForm):
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
            # The records linked, by name: "Trà Lĩnh, Tà Lùng → Trà Lĩnh".
            linked = super().prepare_delta_change_value(change, value)
            return ", ".join(sorted(str(record) for record in linked)) or "–"
        return display(self.model, change.field, value)


class TrackedAdmin(SimpleHistoryAdmin):
    """Every tracker admin: the history of each record with what changed from what to what,
    restore of an earlier version (or of a deleted record) for those who may add records, and
    the stale-edit check of ``VersionedForm``."""

    form = VersionedForm
    # The model's write service (``<app>/services.py``): every save of the change page, its
    # inline rows' included, goes through it. None: ``save_model`` saves.
    service = staticmethod(record_update)
    # Fields staff who may change but not add records (editors) may still edit (shown read only
    # otherwise); the service enforces them. None: all.
    editor_fields: tuple[str, ...] | None = None
    # Set on the per-request copy that shows an old version to someone who may not restore it.
    version_read_only = False
    # Set on the per-request copy of the history page, which restores an old version.
    restoring = False

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
        return type(
            form.__name__,
            (form,),
            {
                "children": self.form_children(),
                **service_attrs(self.service, request),
                "restoring": self.restoring,
            },
        )

    def save_model(self, request, obj, form, change):
        if self.service is None:
            return super().save_model(request, obj, form, change)
        form.write()
        return None

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
        view_admin = copy.copy(self)
        view_admin.restoring = True
        if self.revert_disabled(request):
            view_admin.prepopulated_fields = {}
            view_admin.version_read_only = True
        with transaction.atomic(using=router.db_for_write(self.model)):
            return SimpleHistoryAdmin.history_form_view(
                view_admin, request, object_id, version_id, extra_context
            )

    def revert_disabled(self, request, obj=None):
        # Restoring a version rewrites the record as a whole: for those who may add records.
        return not self.has_add_permission(request) or super().revert_disabled(request, obj)

    # Deleting (see core.deletion): refused while other records depend on the record, which the
    # "cannot delete" page lists; its parts (a report's photos, its own links) are listed on the
    # confirmation page and go with it. The delete page and the "delete selected" action alike.

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        if request.method == "POST":
            # From the check to the delete: no one adds a dependent in between.
            lock(objs)
        to_delete, model_count, perms_needed, protected = deleted_objects(
            objs, request, self.admin_site
        )
        blocking = [
            dependent_line(obj, dependent, self.admin_site, named=len(objs) > 1)
            for obj in objs
            for dependent in dependents(obj)
            if dependent.blocking
        ]
        return to_delete, model_count, perms_needed, blocking or protected

    def delete_model(self, request, obj):
        record_delete(instance=obj, with_parts=True, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                record_delete(instance=obj, with_parts=True, user=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DependentsError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def response_action(self, request, queryset):
        # An action (delete selected…) runs in one transaction: all or nothing, and the rows
        # it checks stay locked until it is done.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().response_action(request, queryset)
        except DependentsError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            # Instances are made per request: the class of this one only.
            inline.formset = checked_formset(inline.formset)
        return inlines

    def save_formset(self, request, form, formset, change):
        m2m = link_field(formset.model)
        if m2m is None and getattr(formset.form, "service", None) is not None:
            # The rows are written by their service; deleted ones by core.deletion.
            formset.save(commit=False)
            for row in formset.deleted_objects:
                formset.delete_existing(row, commit=True)
            saved = {id(row) for row in formset.new_objects}
            saved |= {id(row) for row, _changed in formset.changed_objects}
            for row_form in formset.forms:
                if id(row_form.instance) in saved:
                    row_form.write()
            return None
        if m2m is None:
            return super().save_formset(request, form, formset, change)
        # Rows of an automatic many-to-many table (an investor's investments) are written
        # through the owning record's relation, so its history records who added or removed
        # each link, as when the link is edited on the owning record's own page.
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()

        def relation(row):
            return getattr(getattr(row, source), m2m.name)

        formset.save(commit=False)
        for row in formset.deleted_objects:
            relation(row).remove(getattr(row, target))
        for row, _changed in formset.changed_objects:
            old = type(row)._base_manager.get(pk=row.pk)
            relation(old).remove(getattr(old, target))
            relation(row).add(getattr(row, target))
        for row in formset.new_objects:
            relation(row).add(getattr(row, target))


def service_attrs(service, request) -> dict:
    """What a ``ServiceForm`` class gets per request: its write service and who writes."""
    return {"service": None if service is None else staticmethod(service), "user": request.user}


class ServiceInline:
    """An inline whose rows are written by their model's service (``ServiceForm``)."""

    form = ServiceForm
    service = staticmethod(record_update)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(
            formset.form.__name__, (formset.form,), service_attrs(self.service, request)
        )
        return formset


class DependentsCheckedFormSet:
    """An inline formset (the rows edited on a record's page) whose rows marked for deletion
    are deleted only when nothing depends on them (``core.deletion``): the page confirms
    nothing, so a row with dependents, parts included, is refused with a message and nothing
    on the page is saved."""

    def clean(self):
        super().clean()
        for row in self.deleted_forms:
            if row.instance.pk is not None:
                found = dependents(row.instance)
                if found:
                    raise forms.ValidationError(DependentsError(row.instance, found).messages)

    def delete_existing(self, obj, commit=True):
        if commit:
            record_delete(instance=obj)


@functools.cache
def checked_formset(formset):
    if issubclass(formset, DependentsCheckedFormSet):
        return formset
    return type(formset.__name__, (DependentsCheckedFormSet, formset), {})


def admin_link(obj, admin_site):
    """``obj`` linked to its admin change page when it has one, else as text."""
    opts = obj._meta
    if admin_site.is_registered(type(obj)):
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        except NoReverseMatch:
            pass
        else:
            return format_html('<a href="{}">{}</a>', url, obj)
    return format_html("{}", obj)


def dependent_line(record, dependent, admin_site, *, named: bool):
    """One kind of dependent on the "cannot delete" page: kind, count and the first few, each
    linked to its page (where it is deleted or unlinked); ``named``: prefixed by the record
    (the "delete selected" action lists several)."""
    links = ((admin_link(obj, admin_site),) for obj in dependent.objects)
    names = format_html_join(", ", "{}", links)
    if dependent.more:
        names = format_html(_("{names} and {more} more"), names=names, more=dependent.more)
    line = format_html("{} ({}): {}", dependent.kind, dependent.count, names)
    return format_html("{} – {}", record, line) if named else line


def deleted_objects(objs, request, admin_site):
    """Django's ``get_deleted_objects`` (what the delete confirmation page lists), with a row of
    an automatic many-to-many table shown as the link it is: "Gates served: Cầu A → Trà Lĩnh"."""
    if not objs:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(type(objs[0])), origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def format_callback(obj):
        opts = obj._meta
        m2m = link_field(type(obj))
        if m2m is not None:
            return _("%(field)s: %(record)s → %(linked)s") % {
                "field": capfirst(m2m.verbose_name),
                "record": getattr(obj, m2m.m2m_field_name()),
                "linked": getattr(obj, m2m.m2m_reverse_field_name()),
            }
        if admin_site.is_registered(type(obj)):
            if not admin_site.get_model_admin(type(obj)).has_delete_permission(request, obj):
                perms_needed.add(opts.verbose_name)
            return format_html("{}: {}", capfirst(opts.verbose_name), admin_link(obj, admin_site))
        return f"{capfirst(opts.verbose_name)}: {obj}"

    def kind(model):
        m2m = link_field(model)
        if m2m is not None:
            return _("Links in “%(field)s”") % {"field": m2m.verbose_name}
        return model._meta.verbose_name_plural

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {kind(model): len(rows) for model, rows in collector.model_objs.items()}
    return to_delete, model_count, perms_needed, protected


class CitationInline(ServiceInline, GenericTabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "quote", "quote_en", "note", "note_en"]
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
class SourceAdmin(FoldedSearchMixin, TrackedAdmin):
    list_display = ["code", "title", "kind", "publisher", "published_on", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["kind", SyntheticListFilter]
    date_hierarchy = "published_on"
    readonly_fields = ["is_synthetic"]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(FoldedSearchMixin, TrackedAdmin):
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
class DistrictAdmin(FoldedSearchMixin, TrackedAdmin):
    list_display = ["name", "province"]
    list_filter = ["province"]
    prepopulated_fields = {"slug": ["name"]}
