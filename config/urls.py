"""Root URLconf: Vietnamese at /…, English at /en/…."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The API has no language prefix: its data is the same in every language.
    path("api/v1/", include("config.api")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("projects/", include("projects.urls")),
    path("gates/", include("gates.urls")),
    path("", include("investment.urls")),
    path("", include("core.urls")),
    prefix_default_language=False,
)
