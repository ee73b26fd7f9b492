"""The site's pages that span the domains: the dashboard, the map, the sources, and what
crawlers and browsers ask of the site (robots.txt, sitemap.xml, favicon.ico)."""

from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views import View
from django.views.generic import ListView

from core.cache import KeptAnswerMixin, kept, kept_answer
from core.models import Citation, Source
from core.views import PAGE_SIZE
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


class SourceListView(KeptAnswerMixin, ListView):
    """Every source the records cite, with how many records cite it."""

    template_name = "portal/source_list.html"
    paginate_by = PAGE_SIZE
    queryset = Source.objects.order_by("code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = [source.pk for source in context["object_list"]]
        cited = dict(
            Citation.objects.filter(source_id__any_of=ids)
            .order_by()
            .values_list("source_id")
            .annotate(n=Count("pk"))
        )
        for source in context["object_list"]:
            source.cited = cited.get(source.pk, 0)
        return context


def robots_txt(request):
    """robots.txt: crawl the pages, not the downloads, the API or the admin; where the sitemap
    is."""
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /en/admin/",
        # Downloads of whole lists: heavy, and the same rows as the pages.
        "Disallow: /*export.csv",
        "Disallow: /*export.xlsx",
        "Disallow: /*map.geojson",
        "Disallow: /api/",
        "Allow: /api/v1/docs/",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


FAVICON = Path(settings.BASE_DIR) / "static" / "favicon.ico"


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def kept_view(view):
    """``view`` whose answers are kept for anonymous readers until the data changes."""

    def wrapped(request, *args, **kwargs):
        return kept_answer(request, lambda: view(request, *args, **kwargs))

    return wrapped
