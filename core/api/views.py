"""ViewSet building blocks: the list's FilterSet, CSV and GeoJSON, and reported figures."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import renderers, viewsets

from core import exports
from core.filters import ReportedFigureFilter
from core.geojson import geojson_response
from core.models import ReportedFigure

from .serializers import ReportedFigureSerializer


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


READ_ERRORS = {
    400: OpenApiResponse(description="A filter, ordering or page parameter is not valid."),
    404: OpenApiResponse(description="No such record, or a page past the end."),
    406: OpenApiResponse(description="The format asked for is not offered here."),
    429: OpenApiResponse(description="Too many requests; see the Retry-After header."),
}
WRITE_ERRORS = {
    400: OpenApiResponse(
        description="The body is not valid (messages per field), or is larger than 2.5 MB."
    ),
    401: OpenApiResponse(description="No or wrong credentials."),
    403: OpenApiResponse(description="The user may not do this."),
    404: OpenApiResponse(description="No such record."),
    413: OpenApiResponse(description="The body is larger than the limit (2.5 MB)."),
    415: OpenApiResponse(description="The body is not JSON."),
    429: OpenApiResponse(description="Too many requests; see the Retry-After header."),
}
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="json (default) or csv: the whole filtered list, streamed.",
)

GEO_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "geojson"],
    description=(
        "json (default), csv (the whole filtered list, streamed) or geojson (its rows with "
        "coordinates)."
    ),
)


class ListFormatsMixin:
    """``?format=csv`` streams the whole filtered list; ``?format=geojson`` (where a
    ``get_geojson_properties`` method exists) a FeatureCollection of the rows with coordinates."""

    csv_exclude: tuple[str, ...] = ("search_text",)
    csv_filename = "data"

    def get_csv_columns(self):
        model = self.get_queryset().model
        return exports.model_columns(model, exclude=self.csv_exclude)

    def list(self, request, *args, **kwargs):
        fmt = getattr(request.accepted_renderer, "format", "json")
        if fmt == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            return exports.csv_response(
                queryset, self.get_csv_columns(), self.csv_filename, prepare=self.prepare_rows()
            )
        if fmt == "geojson":
            queryset = self.filter_queryset(self.get_queryset())
            return geojson_response(queryset, self.get_geojson_properties())
        return super().list(request, *args, **kwargs)

    def get_renderers(self):
        # Only a list is offered as CSV or GeoJSON; a record and every write answer JSON.
        if self.action == "list":
            return super().get_renderers()
        return [renderers.JSONRenderer()]

    def prepare_rows(self):
        return None

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        prepare = self.prepare_rows()
        if page is not None and prepare:
            prepare(page)
        return page


@extend_schema_view(
    list=extend_schema(
        parameters=[FORMAT_PARAMETER], responses={200: ReportedFigureSerializer, **READ_ERRORS}
    ),
    retrieve=extend_schema(responses={200: ReportedFigureSerializer, **READ_ERRORS}),
)
class ReportedFigureViewSet(ListFormatsMixin, viewsets.ReadOnlyModelViewSet):
    """Figures as officially reported (not computed here), each with its source and date."""

    queryset = ReportedFigure.objects.select_related("source", "subject_type").order_by(
        "-as_of", "code", "pk"
    )
    serializer_class = ReportedFigureSerializer
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    csv_filename = "reported-figures"
    lookup_field = "code"
    lookup_value_regex = r"[-\w]{1,100}"
    filterset_class = ReportedFigureFilter
