"""The gate list: its page (/gates/), downloads, GeoJSON and API list read this."""

from django.utils.translation import gettext_lazy as _

from core.lists import ListSpec

from . import selectors
from .exports import GATE_COLUMNS, GATE_ROWS
from .filters import GateFilter

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
