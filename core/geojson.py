"""GeoJSON FeatureCollections of whatever has coordinates, for the map and for GIS programs."""

import itertools
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation

from .exports import batched, started, streamed

CHUNK_SIZE = 5000
# Up to this many features, the collection is sent whole, with its Content-Length: what GDAL's
# /vsicurl/ (and so QGIS) needs to open an address. A larger one is streamed.
BUFFERED_FEATURES = 20_000
CONTENT_TYPE = "application/geo+json"


def feature(longitude, latitude, properties: dict, identifier=None) -> dict:
    made = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": properties,
    }
    if identifier is not None:
        made["id"] = identifier
    return made


def geojson_response(
    request, queryset, properties: Callable[[object], dict]
) -> HttpResponse | StreamingHttpResponse:
    """Every row of ``queryset`` with coordinates as a Point feature, its ``id`` the record's
    slug and its ``url`` property absolute (as the API's ``page_url``)."""
    language = translation.get_language()
    rows = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    site = request.build_absolute_uri("/")[:-1]

    def chunks():
        with translation.override(language):
            yield '{"type": "FeatureCollection", "features": ['
            separator = ""
            for row in streamed(rows, CHUNK_SIZE):
                shown = properties(row)
                if shown.get("url", "").startswith("/"):
                    shown["url"] = site + shown["url"]
                yield separator + encoder.encode(
                    feature(row.longitude, row.latitude, shown, shown.get("slug"))
                )
                separator = ","
            yield "]}"

    pieces = chunks()
    # The opening, the features and the end.
    head = list(itertools.islice(pieces, BUFFERED_FEATURES + 2))
    if head[-1] == "]}":  # the whole collection
        return HttpResponse("".join(head), content_type=CONTENT_TYPE)
    return StreamingHttpResponse(
        started(batched(itertools.chain(head, pieces)), count=0), content_type=CONTENT_TYPE
    )
