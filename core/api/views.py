"""The API's views of the kernel's own records: reported figures."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import renderers, viewsets

from core.filters import ReportedFigureFilter
from core.selectors import reported_figure_list

from .renderers import CSVRenderer
from .schema import FORMAT_PARAMETER, READ_ERRORS
from .serializers import ReportedFigureSerializer
from .viewsets import ListFormatsMixin


@extend_schema_view(
    list=extend_schema(
        parameters=[FORMAT_PARAMETER], responses={200: ReportedFigureSerializer, **READ_ERRORS}
    ),
    retrieve=extend_schema(responses={200: ReportedFigureSerializer, **READ_ERRORS}),
)
class ReportedFigureViewSet(ListFormatsMixin, viewsets.ReadOnlyModelViewSet):
    """Figures as officially reported (not computed here), each with its source and date."""

    serializer_class = ReportedFigureSerializer
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]
    csv_filename = "reported-figures"
    lookup_field = "code"
    lookup_value_regex = r"[-\w]{1,100}"
    filterset_class = ReportedFigureFilter

    def get_queryset(self):
        return reported_figure_list()
