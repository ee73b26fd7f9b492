"""The gate list and the trade list: their pages (/gates/, /trade/), downloads, GeoJSON and API
lists read these."""

from django.utils.translation import gettext_lazy as _

from core.lists import ListSpec

from . import selectors
from .exports import GATE_COLUMNS, GATE_ROWS, TRADE_COLUMNS, TRADE_ROWS
from .filters import GateFilter, TradeRecordFilter

GATES = ListSpec(
    name="gates",
    title=_("Border gates"),
    filterset=GateFilter,
    selector=selectors.gate_list,
    columns=GATE_COLUMNS,
    download=GATE_ROWS,
    map_fields=selectors.MAP_FIELDS,
    map_properties=selectors.gate_map_properties,
)

TRADE = ListSpec(
    name="trade",
    title=_("Trade through the border gates"),
    filterset=TradeRecordFilter,
    selector=selectors.trade_record_list,
    columns=TRADE_COLUMNS,
    download=TRADE_ROWS,
)
