from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, Prefetch
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets

from core.api.schema import READ_ERRORS, documented
from core.api.viewsets import DownloadsBusy, GeoRecordViewSet, ReadOnlyRecordViewSet
from core.exports import ExportsBusy, download, streamed
from core.models import Citation

from ..filters import ProgrammeFilter
from ..lists import PROJECTS
from ..models import ProgressReport, YearlyAllocation
from ..oc4ids import project_release
from ..selectors import programme_list
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

    spec = PROJECTS
    read_serializer_class = ProjectSerializer
    detail_serializer_class = ProjectDetailSerializer
    write_serializer_class = ProjectWriteSerializer

    def get_queryset(self):
        queryset = super().get_queryset().with_allocations()
        return queryset.with_sources() if self.action == "retrieve" else queryset


@documented(ProgrammeSerializer)
class ProgrammeViewSet(ReadOnlyRecordViewSet):
    """Programmes and medium-term plans under which projects are funded."""

    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]{1,220}"
    csv_filename = "programmes"

    def get_queryset(self):
        return programme_list()


@extend_schema_view(
    list=extend_schema(
        summary="OC4IDS project package",
        description=(
            "The projects matching the filters (the same as /api/v1/projects/) as one OC4IDS 0.9 "
            "project package, streamed."
        ),
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="An OC4IDS project package."),
            400: READ_ERRORS[400],
            429: READ_ERRORS[429],
            503: OpenApiResponse(
                description="No download slot came free: too many downloads are being made at "
                "once. Nothing was sent; retry after the Retry-After header's seconds."
            ),
        },
    )
)
class OC4IDSViewSet(viewsets.GenericViewSet):
    """Open Contracting for Infrastructure Data Standard (OC4IDS 0.9) export of the projects."""

    filterset_class = PROJECTS.filterset
    pagination_class = None
    serializer_class = ProjectSerializer  # only for the schema's filter documentation

    def get_queryset(self):
        # Drafts never: OC4IDS is a public disclosure, whoever asks (the public's list). The
        # allocations and citations as plain lists (to_attr): a related manager's queryset made
        # for every project would cost more than the project's release.
        return (
            PROJECTS.selector()
            .prefetch_related(None)
            .prefetch_related(
                Prefetch(
                    "allocations",
                    queryset=YearlyAllocation.objects.order_by("year"),
                    to_attr="year_allocations",
                ),
                Prefetch(
                    "citations",
                    queryset=Citation.objects.select_related("source"),
                    to_attr="source_citations",
                ),
                Prefetch(
                    "reports",
                    queryset=ProgressReport.objects.order_by("date", "pk").only(
                        "pk", "date", "project_id"
                    ),
                    to_attr="progress_reports",
                ),
            )
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        changed = queryset.order_by().aggregate(last=Max("updated_at"))["last"] or timezone.now()
        header = {
            "uri": request.build_absolute_uri(),
            "publishedDate": changed.isoformat(timespec="seconds"),
            "publisher": {"name": settings.TRACKER_OC4IDS_PUBLISHER},
            "license": settings.TRACKER_DATA_LICENSE,
            "publicationPolicy": settings.TRACKER_PUBLICATION_POLICY
            or request.build_absolute_uri(reverse("api:docs")),
            "version": "0.9",
        }
        encoder = DjangoJSONEncoder(ensure_ascii=False)

        def chunks():
            yield encoder.encode(header)[:-1] + ', "projects": ['
            separator = ""
            for project in streamed(queryset, 1000):
                page = request.build_absolute_uri(project.get_absolute_url())
                release = project_release(
                    project,
                    page_url=page,
                    allocations=project.year_allocations,
                    citations=project.source_citations,
                    reports=project.progress_reports,
                )
                yield separator + encoder.encode(release)
                separator = ","
            yield "]}"

        try:
            return StreamingHttpResponse(download(chunks()), content_type="application/json")
        except ExportsBusy:
            raise DownloadsBusy() from None
