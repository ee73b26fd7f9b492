"""The site's pages that span the domains: the dashboard and the map."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language
from django.views import View

from core.cache import KeptAnswerMixin, kept
from gates.lists import GATES
from gates.selectors import gates_without_position

from .dashboard import dashboard


class DashboardView(KeptAnswerMixin, View):
    """The dashboard, kept in the cache until the next write (``core.cache``): its aggregates
    read every row, and its page is kept whole for anonymous readers."""

    def get(self, request):
        language = get_language() or settings.LANGUAGE_CODE
        return render(request, "portal/dashboard.html", kept(f"dashboard:{language}", dashboard))


class MapView(KeptAnswerMixin, View):
    """Every gate and every project with coordinates, loaded whole (not a page of them).

    ``?layer=gates`` or ``?layer=projects`` with that list's filters shows only the filtered
    layer, as linked from the lists; the GeoJSON endpoints validate the filters.
    """

    LAYERS = ("gates", "projects")

    def get(self, request):
        params = request.GET.copy()
        layer = params.pop("layer", [""])[-1]
        layers = [layer] if layer in self.LAYERS else list(self.LAYERS)
        unplaced = []
        if "gates" in layers:
            # Only the public's gates, whoever asks: the map is the public site's.
            gates = GATES.filter(params)
            unplaced = gates_without_position(gates.qs) if gates.is_valid() else []
        context = {
            "layers": layers,
            "query": params.urlencode(),
            "tiles_url": settings.TRACKER_MAP_TILES_URL,
            "unplaced_gates": unplaced,
        }
        return render(request, "portal/map.html", context)
