"""Root URLconf: Vietnamese at /…, English at /en/…."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from core.admin import deleted_records_view

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # The API has no language prefix: its data is the same in every language.
    path("api/v1/", include("config.api")),
]

urlpatterns += i18n_patterns(
    path("admin/import/", include("core.import_urls")),
    path("admin/deleted/", deleted_records_view, name="admin-deleted"),
    path("admin/", admin.site.urls),
    path("projects/", include("projects.urls")),
    path("gates/", include("gates.urls")),
    path("", include("investment.urls")),
    path("", include("core.urls")),
    prefix_default_language=False,
)

# Report photos; only with DEBUG on (`make run`): in production the web server serves them.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
