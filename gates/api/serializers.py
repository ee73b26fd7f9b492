"""Gates, their events and trade in the API."""

from rest_framework import serializers

from core.api.serializers import (
    CitationSerializer,
    PageUrlMixin,
    RefSerializer,
    ServiceModelSerializer,
    SourceSerializer,
    slug_ref,
)
from core.models import District

from ..models import EconomicZone, Gate, GateEvent, TradeRecord
from ..services import gate_update

GATE_FIELDS = [
    "code",
    "slug",
    "name",
    "name_en",
    "kind",
    "status",
    "province",
    "district",
    "location_unconfirmed",
    "counterpart_name",
    "counterpart_country",
    "counterpart_locality",
    "parent",
    "economic_zone",
    "latitude",
    "longitude",
    "location_approximate",
    "description",
    "description_en",
    "is_published",
]


class GateSerializer(PageUrlMixin, serializers.ModelSerializer):
    district = RefSerializer(read_only=True, allow_null=True)
    parent = RefSerializer(read_only=True, allow_null=True)
    economic_zone = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Gate
        fields = ["id", *GATE_FIELDS, "page_url", "updated_at"]


class GateDetailSerializer(GateSerializer):
    citations = CitationSerializer(many=True, read_only=True)
    openings = RefSerializer(many=True, read_only=True)

    class Meta(GateSerializer.Meta):
        fields = [*GateSerializer.Meta.fields, "openings", "citations"]


class GateWriteSerializer(ServiceModelSerializer):
    district = slug_ref(District)
    parent = slug_ref(Gate)
    economic_zone = slug_ref(EconomicZone)

    class Meta:
        model = Gate
        fields = GATE_FIELDS
        service = staticmethod(gate_update)


class GateEventSerializer(serializers.ModelSerializer):
    gate = RefSerializer(read_only=True, allow_null=True)
    source = SourceSerializer(read_only=True)

    class Meta:
        model = GateEvent
        fields = [
            "id",
            "gate",
            "date",
            "date_precision",
            "kind",
            "title",
            "title_en",
            "legal_reference",
            "description",
            "description_en",
            "source",
        ]


class TradeRecordSerializer(serializers.ModelSerializer):
    gate = RefSerializer(read_only=True, allow_null=True)
    source = SourceSerializer(read_only=True)
    total = serializers.DecimalField(
        max_digits=20, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = TradeRecord
        fields = [
            "id",
            "gate",
            "period_start",
            "period_end",
            "exports",
            "imports",
            "turnover",
            "total",
            "currency",
            "revenue_collected",
            "revenue_currency",
            "note",
            "source",
        ]
