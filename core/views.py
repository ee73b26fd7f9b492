"""The public site's base views: filtered lists and their exports."""

from decimal import Decimal

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from . import exports
from .formatting import format_number

PAGE_SIZE = 50
MAX_PAGE_PARAM_LENGTH = 20


class FilteredListMixin:
    """One list: its FilterSet (shared with the API) applied to its selector's queryset."""

    filterset_class = None
    selector = None  # a function returning the list's queryset, from <app>/selectors.py
    # A function that completes a batch of rows with one query (e.g. their capital totals).
    prepare_rows = None

    def get_filterset(self, request):
        return self.filterset_class(request.GET, queryset=type(self).selector(), request=request)


class FilteredListView(FilteredListMixin, View):
    """A public list page: filter form, sortable columns, pagination with the total count.

    Filter values that do not validate give the page back with the form's messages and no rows
    (status 400); a page number that is not a number or lies past the end gives the page with a
    message (status 404). Nothing a visitor types reaches the database unvalidated.
    """

    template_name = ""
    page_size = PAGE_SIZE
    export_url_names: tuple[str, str] = ("", "")  # (csv, xlsx)
    map_layer = ""  # "gates" or "projects": the list has a "show on the map" link

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(request)
        context = {"filter": filterset, "page_obj": None, "error": ""}
        status = 200
        if not filterset.is_valid():
            context["error"] = _("Some filter values are not valid; see the messages below.")
            status = 400
        else:
            page_number, page_error = parse_page(request.GET.get("page"))
            paginator = Paginator(filterset.qs, self.page_size)
            if page_error is None and page_number > paginator.num_pages:
                page_error = ngettext(
                    "There is no page %(page)s: this list has %(pages)s page.",
                    "There is no page %(page)s: this list has %(pages)s pages.",
                    paginator.num_pages,
                ) % {
                    "page": format_number(page_number),
                    "pages": format_number(paginator.num_pages),
                }
                context["last_page"] = paginator.num_pages
            if page_error:
                context["error"] = page_error
                status = 404
            else:
                context["page_obj"] = paginator.page(page_number)
                context["active_filters"] = active_filters(filterset, request)
                if self.prepare_rows:
                    type(self).prepare_rows(context["page_obj"].object_list)
        context["export_csv"], context["export_xlsx"] = self.export_url_names
        context["map_layer"] = self.map_layer
        return render(request, self.template_name, context, status=status)


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


class ExportView(FilteredListMixin, View):
    """The filtered list as a streamed CSV or XLSX download (``format`` is "csv" or "xlsx")."""

    format = "csv"
    columns: tuple[exports.Column, ...] = ()
    filename = ""
    title = ""

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(request)
        if not filterset.is_valid():
            context = {
                "filter": filterset,
                "error": _("The file was not made: some filter values are not valid."),
                # Every export lives beside its list: /projects/export.csv → /projects/.
                "back_url": request.path.rsplit("export.", 1)[0],
            }
            return render(request, "core/export_error.html", context, status=400)
        queryset = filterset.qs
        prepare = type(self).prepare_rows
        if self.format == "xlsx":
            return exports.xlsx_response(
                queryset, self.columns, self.filename, str(self.title), prepare=prepare
            )
        return exports.csv_response(queryset, self.columns, self.filename, prepare=prepare)
