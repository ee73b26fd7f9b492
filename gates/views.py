"""Public pages of border gates: the filtered list, its downloads and GeoJSON, the gate page."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core.cache import KeptAnswerMixin
from core.charts import bar_rows
from core.history import information_date
from core.views import (
    DataPackageView,
    ExportView,
    FilteredListView,
    GeoJSONView,
    RecordDetailView,
)

from . import selectors
from .lists import GATES, TRADE


class GateListView(FilteredListView):
    spec = GATES
    template_name = "gates/gate_list.html"
    map_layer = "gates"
    export_url_names = ("gates:gate-export-csv", "gates:gate-export-xlsx")


class GateExportView(ExportView):
    spec = GATES


class GateDataPackageView(DataPackageView):
    spec = GATES
    csv_url_name = "gates:gate-export-csv"


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
        context["information_date"] = information_date(
            self.object.citations.all(),
            [(e.date, e.date_precision) for e in self.object.events.all()]
            + [(t.period_end, "day") for t in records],
        )
        return context


class TradeListView(FilteredListView):
    """Recorded trade, filtered by gate, period and direction, with a chart per gate over
    time of the filtered records."""

    spec = TRADE
    template_name = "gates/trade_list.html"
    export_url_names = ("trade:trade-export-csv", "trade:trade-export-xlsx")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.error and self.filterset.is_valid():
            direction = self.filterset.form.cleaned_data.get("direction") or "turnover"
            context["direction"] = dict(self.filterset.Direction.choices)[direction]
            context.update(selectors.trade_charts(self.filterset.qs, direction))
        return context


class TradeExportView(ExportView):
    spec = TRADE


class ZoneListView(KeptAnswerMixin, TemplateView):
    """The economic zones (with their sub-zones and gates) and the border markets."""

    template_name = "gates/zone_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["zones"] = list(selectors.zone_list())
        context.update(selectors.border_markets())
        return context


class ZoneDetailView(RecordDetailView):
    selector = staticmethod(selectors.zone_get)
    not_found = _("No economic zone has this address.")
    template_name = "gates/zone_detail.html"
    context_object_name = "zone"


class TradeDataPackageView(DataPackageView):
    spec = TRADE
    csv_url_name = "trade:trade-export-csv"
