"""The tracker's admin site: Django's, with the import and deleted-records pages inside it."""

from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Value
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.history import is_tracked

from .import_views import import_view

# The deleted-records page lists this many deletions per page.
DELETED_PER_PAGE = 50


class TrackerAdminSite(admin.AdminSite):
    site_header = _("Border economy tracker")
    site_title = _("Border economy tracker")
    index_title = _("Data kept by provincial staff")

    def get_urls(self):
        # Before the admin's own: "<app_label>/" would not match these, but order says intent.
        return [
            path("import/", self.admin_view(import_view), name="import"),
            path("deleted/", self.admin_view(self.deleted_records_view), name="deleted"),
            *super().get_urls(),
        ]

    def deleted_kinds(self, request) -> list[type[models.Model]]:
        """The tracked models whose records ``request.user`` may see (from the app list, which
        holds only the models the user has a permission on)."""
        return [
            entry["model"]
            for app in self.get_app_list(request)
            for entry in app["models"]
            if is_tracked(entry["model"])
            and (entry["perms"].get("view") or entry["perms"].get("change"))
        ]

    def deleted_records_view(self, request):
        """Deleted records of every model the user may see, newest first, each linked to its
        history, where those who may add records restore it (“Revert”). ``?model=`` keeps one
        kind. Paginated over all of them: a count and one page of the union, then the page's
        rows by kind."""
        kinds = self.deleted_kinds(request)
        chosen = request.GET.get("model", "")
        by_label = {m._meta.label_lower: m for m in kinds}
        models_shown = [by_label[chosen]] if chosen in by_label else kinds
        rows = deletions(models_shown)
        page = Paginator(rows if rows is not None else [], DELETED_PER_PAGE).get_page(
            request.GET.get("p")
        )
        wanted: dict[int, list[int]] = {}
        for index, history_id, _date in page.object_list:
            wanted.setdefault(index, []).append(history_id)
        found = {}
        for index, ids in wanted.items():
            model = models_shown[index]
            for entry in model.history.filter(history_id__in=ids).select_related("history_user"):
                found[(index, entry.history_id)] = (model, entry)
        shown = [found[(index, history_id)] for index, history_id, _date in page.object_list]
        context = {
            **self.each_context(request),
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
                        f"{self.name}:{model._meta.app_label}_{model._meta.model_name}_history",
                        args=[entry.instance.pk],
                    ),
                }
                for model, entry in shown
            ],
        }
        return TemplateResponse(request, "admin/deleted_records.html", context)


def deletions(kinds: list) -> models.QuerySet | None:
    """Every deletion of every one of the models ``kinds``, newest first, as ``(kind, history_id,
    history_date)`` rows of one query (a UNION of their history tables), so that a page of any
    number is one slice of it."""
    parts = [
        model.history.filter(history_type="-")
        .order_by()
        .values_list(Value(index), "history_id", "history_date")
        for index, model in enumerate(kinds)
    ]
    if not parts:
        return None
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-history_date", "-history_id")


def record_name(entry) -> str:
    """A history entry's record as text, even when what its name depends on is gone too (an
    allocation whose project was deleted with it)."""
    try:
        return str(entry.instance)
    except ObjectDoesNotExist:
        return f"{entry.instance_type._meta.verbose_name} #{entry.instance.pk}"
