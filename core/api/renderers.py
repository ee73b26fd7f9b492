"""The API's list formats besides JSON: CSV and GeoJSON (the list views stream them)."""

from rest_framework import renderers


class CSVRenderer(renderers.BaseRenderer):
    """Announces ``?format=csv``; the list view streams the file itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Only errors reach here (the CSV itself is streamed by the view): write them as text.
        return renderers.JSONRenderer().render(data)


class GeoJSONRenderer(CSVRenderer):
    media_type = "application/geo+json"
    format = "geojson"
