from django.db.models import Prefetch

from core.api.mixins import GeoRecordViewSet, ReadOnlyRecordViewSet, documented

from ..filters import ProgrammeFilter, ProjectFilter
from ..models import Programme, YearlyAllocation
from ..selectors import attach_capital_totals, project_list
from .serializers import (
    ProgrammeSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    ProjectWriteSerializer,
)


@documented(ProjectSerializer, ProjectWriteSerializer, geojson=True)
class ProjectViewSet(GeoRecordViewSet):
    """Border-gate infrastructure projects. The query string means what it means on the
    public list (/projects/): the same filters, ``search=`` and ``ordering=``."""

    filterset_class = ProjectFilter
    read_serializer_class = ProjectSerializer
    detail_serializer_class = ProjectDetailSerializer
    write_serializer_class = ProjectWriteSerializer
    csv_filename = "projects"

    def get_queryset(self):
        queryset = project_list().prefetch_related(
            Prefetch("allocations", queryset=YearlyAllocation.objects.order_by("year"))
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("citations__source")
        return queryset

    def prepare_rows(self):
        return attach_capital_totals

    def get_object(self):
        project = super().get_object()
        attach_capital_totals([project])
        return project

    def geojson_properties(self, project):
        return {
            "slug": project.slug,
            "name": project.name,
            "status": project.status,
            "approximate": project.location_approximate,
        }


@documented(ProgrammeSerializer)
class ProgrammeViewSet(ReadOnlyRecordViewSet):
    """Programmes and medium-term plans under which projects are funded."""

    queryset = Programme.objects.all()
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    lookup_field = "slug"
    csv_filename = "programmes"
