"""Which format an API answer is written in."""

from rest_framework.negotiation import DefaultContentNegotiation


class FormatFirst(DefaultContentNegotiation):
    """``?format=`` chooses the format whatever the ``Accept`` header says: GDAL (and so QGIS)
    asks for ``?format=geojson`` with ``Accept: text/plain, application/json``, and DRF would
    answer 406. Without ``?format=``, ``Accept`` decides as usual (406 when nothing offered
    matches); a ``?format=`` the list does not offer is a 404, as DRF has it."""

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if wanted:
            for renderer in renderers:
                if renderer.format == wanted:
                    return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
