"""Public pages of border gates: the filtered list, its downloads and GeoJSON, the gate page."""

from django.utils.translation import gettext_lazy as _

from core.charts import bar_rows
from core.views import ExportView, FilteredListView, GeoJSONView, RecordDetailView

from . import selectors
from .lists import GATES


class GateListView(FilteredListView):
    spec = GATES
    template_name = "gates/gate_list.html"
    map_layer = "gates"
    export_url_names = ("gates:gate-export-csv", "gates:gate-export-xlsx")


class GateExportView(ExportView):
    spec = GATES


class GateGeoJSONView(GeoJSONView):
    spec = GATES


class GateDetailView(RecordDetailView):
    selector = staticmethod(selectors.gate_get)
    not_found = _("No border gate has this address.")
    template_name = "gates/gate_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = self.object.trade_records.all()
        context["trade"] = bar_rows(records, lambda t: t.total, lambda t: t.currency)
        return context
