"""The public site's base views: a filtered list, its downloads and its GeoJSON (each read from
the list's ``core.lists.ListSpec``), and a record's page (fed by its selector)."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from . import datapackage, exports
from .cache import KeptAnswerMixin
from .formatting import format_number
from .geojson import geojson_response
from .lists import ListSpec
from .pagination import ListPaginator

PAGE_SIZE = 50
MAX_PAGE_PARAM_LENGTH = 20


class FilteredListView(KeptAnswerMixin, FilterView):
    """A public list page: filter form, sortable columns, pagination with the total count;
    kept for anonymous readers until the data changes (``core.cache.kept_answer``).

    Filter values that do not validate give the page back with the form's messages and no rows
    (status 400); a page number that is not a number or lies past the end gives the page with a
    message (status 404). Nothing a visitor types reaches the database unvalidated.
    """

    spec: ListSpec
    paginate_by = PAGE_SIZE
    # The total is counted once per version of the data (core.cache).
    paginator_class = ListPaginator
    export_url_names: tuple[str, str] = ("", "")  # (csv, xlsx)
    map_layer = ""  # "gates" or "projects": the list has a "show on the map" link

    def get_filterset_class(self):
        return self.spec.filterset

    def get_queryset(self):
        return self.spec.selector()

    def get_filterset_kwargs(self, filterset_class):
        # Always bound to the query string, an empty one too: the filters' defaults apply to
        # the plain address as to any other.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.error, self.last_page = "", None
        valid = self.filterset.is_valid()
        if valid:
            self.object_list = self.filterset.qs
        else:
            self.error = _("Some filter values are not valid; see the messages below.")
            self.object_list = self.filterset.queryset.none()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        status = 400 if not valid else 404 if self.error else 200
        return self.render_to_response(context, status=status)

    def paginate_queryset(self, queryset, page_size):
        """The page asked for, completed by the list's ``prepare``; no page (and a message)
        for a page number that is not one or lies past the end."""
        if self.error:
            return (None, None, [], False)
        page_number, error = parse_page(self.request.GET.get("page"))
        paginator = self.get_paginator(queryset, page_size)
        if error is None and page_number > paginator.num_pages:
            error = ngettext(
                "There is no page %(page)s: this list has %(pages)s page.",
                "There is no page %(page)s: this list has %(pages)s pages.",
                paginator.num_pages,
            ) % {"page": format_number(page_number), "pages": format_number(paginator.num_pages)}
            self.last_page = paginator.num_pages
        if error:
            self.error = error
            return (paginator, None, [], False)
        page = paginator.page(page_number)
        if self.spec.prepare:
            self.spec.prepare(page.object_list)
        return (paginator, page, page.object_list, page.has_other_pages())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["error"] = self.error
        if self.last_page:
            context["last_page"] = self.last_page
        if context["page_obj"] is not None:
            context["active_filters"] = active_filters(self.filterset, self.request)
        context["export_csv"], context["export_xlsx"] = self.export_url_names
        context["map_layer"] = self.map_layer
        return context


def active_filters(filterset, request) -> list[dict]:
    """The filters in force, each with its label, the value as shown and the address of the
    same list without it (for the removable "chips" above the results). No query: model
    choices were fetched when the form validated."""
    chips = []
    for name, value in filterset.form.cleaned_data.items():
        if name == "ordering" or value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        labels = (
            dict(field.choices)
            if hasattr(field, "choices") and not hasattr(field, "queryset")
            else {}
        )
        several = isinstance(value, list | tuple)
        for one in value if several else [value]:
            params = request.GET.copy()
            params.pop("page", None)
            if several:
                params.setlist(name, [v for v in params.getlist(name) if v != str(one)])
            else:
                params.pop(name, None)
            shown = labels.get(one, one)
            if isinstance(shown, Decimal):
                shown = format_number(shown)
            chips.append(
                {
                    "label": field.label,
                    "value": str(shown),
                    "remove": f"?{params.urlencode()}" if params else request.path,
                }
            )
    return chips


def parse_page(raw) -> tuple[int, str | None]:
    """The page number of ``?page=``, or an error message for anything but a positive integer."""
    if raw in (None, ""):
        return 1, None
    raw = str(raw)
    # isascii(): "²" and "①" are digits to str.isdigit() but not to int().
    if len(raw) <= MAX_PAGE_PARAM_LENGTH and raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return int(raw), None
    return 1, _("The page number must be a whole number from 1 up.")


class ExportView(View):
    """The filtered list as a streamed CSV or XLSX download (``format`` is "csv" or "xlsx"), made
    in one of the site's download slots (``core.exports.download``): 503 with Retry-After when
    none came free."""

    spec: ListSpec
    format = "csv"

    def get(self, request, *args, **kwargs):
        filterset = self.spec.filter(request.GET, request=request)
        if not filterset.is_valid():
            context = {
                "filter": filterset,
                "error": _("The file was not made: some filter values are not valid."),
                # Every export lives beside its list: /projects/export.csv → /projects/.
                "back_url": request.path.rsplit("export.", 1)[0],
            }
            return render(request, "core/export_error.html", context, status=400)
        spec = self.spec
        try:
            if self.format == "xlsx":
                return exports.xlsx_response(
                    filterset.qs,
                    spec.columns,
                    spec.name,
                    str(spec.title),
                    prepare=spec.prepare,
                    rows=spec.download,
                )
            return exports.csv_response(
                filterset.qs, spec.columns, spec.name, prepare=spec.prepare, rows=spec.download
            )
        except exports.ExportsBusy as busy:
            context = {
                "error": self.busy_message(),
                "back_url": request.path.rsplit("export.", 1)[0],
            }
            response = render(request, "core/export_error.html", context, status=503)
            response["Retry-After"] = str(busy.retry_after)
            return response

    @staticmethod
    def busy_message() -> str:
        return _(
            "Many downloads are being made right now, and the file was not made. "
            "Please try again in a minute."
        )


class GeoJSONView(KeptAnswerMixin, View):
    """Every row with coordinates that matches the list's filters, for the map; a collection
    sent whole is kept for anonymous readers until the data changes."""

    spec: ListSpec

    def get(self, request, *args, **kwargs):
        spec = self.spec
        filterset = spec.filter(
            request.GET, request=request, queryset=spec.selector().order_by("pk")
        )
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors}, status=400)
        return geojson_response(request, spec.map_rows(filterset.qs), spec.map_properties())


class RecordDetailView(KeptAnswerMixin, DetailView):
    """A record's public page, fed by its selector (``selector(slug=…)``, which raises the
    model's ``DoesNotExist``); ``not_found`` is the 404's message. Kept for anonymous readers
    until the data changes."""

    selector = None
    not_found = ""

    def get_object(self, queryset=None):
        try:
            return type(self).selector(slug=self.kwargs["slug"])
        except ObjectDoesNotExist:
            raise Http404(self.not_found) from None


class DataPackageView(KeptAnswerMixin, View):
    """``export.datapackage.json``: the Frictionless Data Package of the list's CSV download
    with the same filters (``core.datapackage``); invalid filters get their messages (400)."""

    spec: ListSpec
    csv_url_name = ""

    def get(self, request, *args, **kwargs):
        spec = self.spec
        filterset = spec.filter(request.GET, request=request)
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors}, status=400)
        query = request.GET.urlencode()
        csv_url = request.build_absolute_uri(reverse(self.csv_url_name))
        package = datapackage.descriptor(
            name=spec.name,
            title=str(spec.title),
            model=spec.selector().model,
            columns=spec.columns,
            csv_url=f"{csv_url}?{query}" if query else csv_url,
        )
        return JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 2})
