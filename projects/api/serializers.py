"""Projects and programmes in the API: nested read shapes, slug-based write shapes."""

from django.db import transaction
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

from ..exceptions import ProjectStatusError
from ..models import Agency, Programme, Project, YearlyAllocation
from ..services import project_save, project_set_status


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
        ]


# What a client may write; the read shape adds ids, totals, allocations and timestamps.
PROJECT_FIELDS = [
    "code",
    "slug",
    "name",
    "programme",
    "gates",
    "category",
    "project_type",
    "status",
    "funding_source",
    "owner",
    "district",
    "total_investment",
    "currency",
    "approval_date",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "progress_percent",
    "length_km",
    "latitude",
    "longitude",
    "location_approximate",
    "description",
    "is_published",
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

    many_to_many = ("gates",)
    programme = slug_ref(Programme)
    owner = slug_ref(Agency)
    district = slug_ref(District)
    gates = slug_ref(Gate, many=True)

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        editor_fields = ("status", "progress_percent", "actual_start", "actual_end")

    def _write(self, instance, validated_data):
        status = validated_data.pop("status", None)
        if instance.pk is None or status is None or status == instance.status:
            if status is not None:
                validated_data["status"] = status
            return super()._write(instance, validated_data)
        # A change of status follows the status rules of the service.
        with transaction.atomic():
            try:
                project_set_status(
                    project=instance, status=status, may_override=self.may("override_status")
                )
            except ProjectStatusError as error:
                raise serializers.ValidationError(error.message_dict) from None
            return super()._write(instance, validated_data)

    def save_record(self, instance, related):
        project_save(project=instance, gates=related.get("gates"))
