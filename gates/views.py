"""Public pages of border gates: the filtered list, its exports and the gate page."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.charts import bar_rows
from core.geojson import geojson_response
from core.views import ExportView, FilteredListView

from . import selectors
from .exports import GATE_COLUMNS
from .filters import GateFilter
from .models import Gate


class GateListView(FilteredListView):
    filterset_class = GateFilter
    selector = selectors.gate_list
    template_name = "gates/gate_list.html"
    map_layer = "gates"
    export_url_names = ("gates:gate-export-csv", "gates:gate-export-xlsx")


class GateExportView(ExportView):
    filterset_class = GateFilter
    selector = selectors.gate_list
    columns = GATE_COLUMNS
    filename = "gates"
    title = _("Border gates")


class GateDetailView(View):
    def get(self, request, slug):
        try:
            gate = selectors.gate_get(slug=slug)
        except Gate.DoesNotExist:
            raise Http404(_("No border gate has this address.")) from None
        context = {
            "gate": gate,
            "trade": bar_rows(gate.trade_records.all(), lambda t: t.total, lambda t: t.currency),
        }
        return render(request, "gates/gate_detail.html", context)


class GateGeoJSONView(View):
    """Every gate with coordinates that matches the list's filters, for the map."""

    def get(self, request):
        filterset = GateFilter(
            request.GET, queryset=Gate.objects.published().order_by("pk"), request=request
        )
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors}, status=400)
        queryset = filterset.qs.only(*selectors.MAP_FIELDS)
        return geojson_response(queryset, selectors.gate_map_properties())
