"""Root URLconf: Vietnamese at /…, English at /en/…."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from core.health import healthz
from gates.urls import trade_urlpatterns, zone_urlpatterns
from portal import views as portal_views
from portal.sitemaps import SITEMAPS
from projects.urls import programme_urlpatterns

# A database that cannot be reached answers 503, not 500 (see core.health).
handler500 = "core.health.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", portal_views.robots_txt, name="robots-txt"),
    path("favicon.ico", portal_views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        portal_views.kept_view(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        portal_views.kept_view(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    # The API has no language prefix: its data is the same in every language.
    path("api/v1/", include("config.api")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("projects/", include("projects.urls")),
    path("programmes/", include(programme_urlpatterns)),
    path("gates/", include("gates.urls")),
    path("trade/", include(trade_urlpatterns)),
    path("zones/", include(zone_urlpatterns)),
    path("", include("investment.urls")),
    path("", include("portal.urls")),
    prefix_default_language=False,
)

# Report photos, for local use (`make run`, `make serve`): behind nginx, nginx serves /media/.
if settings.TRACKER_SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
