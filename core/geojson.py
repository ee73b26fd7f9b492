"""Streamed GeoJSON FeatureCollections of whatever has coordinates, for the map."""

from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.utils import translation

from .exports import started

CHUNK_SIZE = 5000


def feature(longitude, latitude, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": properties,
    }


def geojson_response(queryset, properties: Callable[[object], dict]) -> StreamingHttpResponse:
    """Every row of ``queryset`` with coordinates as a Point feature, streamed in chunks."""
    language = translation.get_language()
    rows = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    encoder = DjangoJSONEncoder(ensure_ascii=False)

    def chunks():
        with translation.override(language):
            yield '{"type": "FeatureCollection", "features": ['
            separator = ""
            for row in rows.iterator(chunk_size=CHUNK_SIZE):
                yield separator + encoder.encode(
                    feature(row.longitude, row.latitude, properties(row))
                )
                separator = ","
            yield "]}"

    # The opening, then the first feature (the first query).
    response = StreamingHttpResponse(started(chunks()), content_type="application/geo+json")
    return response
