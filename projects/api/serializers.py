"""Projects and programmes in the API: nested read shapes, slug-based write shapes."""

from rest_framework import serializers

from core.api.serializers import (
    CitationSerializer,
    PageUrlMixin,
    RefSerializer,
    ServiceModelSerializer,
    slug_ref,
)
from core.models import District
from gates.models import Gate

from ..models import Agency, Programme, Project, YearlyAllocation
from ..services import PROJECT_FIELDS, project_update


class AllocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = YearlyAllocation
        fields = ["year", "allocated", "disbursed", "note"]


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "slug",
            "name",
            "name_en",
            "kind",
            "legal_reference",
            "issued_by",
            "issued_on",
            "start_year",
            "end_year",
            "allocated_capital",
            "currency",
            "planned_project_count",
            "description",
            "description_en",
        ]


class ProjectSerializer(PageUrlMixin, serializers.ModelSerializer):
    """A project as read: related records embedded, capital per year included."""

    programme = RefSerializer(read_only=True, allow_null=True)
    owner = RefSerializer(read_only=True, allow_null=True)
    district = RefSerializer(read_only=True, allow_null=True)
    gates = RefSerializer(many=True, read_only=True)
    allocations = AllocationSerializer(many=True, read_only=True)
    allocated_total = serializers.DecimalField(
        max_digits=20, decimal_places=2, read_only=True, allow_null=True
    )
    disbursed_total = serializers.DecimalField(
        max_digits=20, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = Project
        fields = [
            "id",
            *PROJECT_FIELDS,
            "allocated_total",
            "disbursed_total",
            "allocations",
            "page_url",
            "created_at",
            "updated_at",
        ]


class ProjectDetailSerializer(ProjectSerializer):
    citations = CitationSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "citations"]


class ProjectWriteSerializer(ServiceModelSerializer):
    """A project as written: related records by slug; saved by ``projects.services``, so the
    API refuses what the admin refuses, including reopening a cancelled project."""

    programme = slug_ref(Programme)
    owner = slug_ref(Agency)
    district = slug_ref(District)
    gates = slug_ref(Gate, many=True)

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        service = staticmethod(project_update)
