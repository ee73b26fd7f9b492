from django.db.models import Q

from core.api.mixins import GeoRecordViewSet, ReadOnlyRecordViewSet, documented

from ..filters import GateEventFilter, GateFilter, TradeRecordFilter
from ..models import Gate, GateEvent, TradeRecord
from ..selectors import gate_list, gate_map_properties
from .serializers import (
    GateDetailSerializer,
    GateEventSerializer,
    GateSerializer,
    GateWriteSerializer,
    TradeRecordSerializer,
)


@documented(GateSerializer, GateWriteSerializer, geojson=True)
class GateViewSet(GeoRecordViewSet):
    """Border gates, openings and markets; the filters of the public list (/gates/)."""

    filterset_class = GateFilter
    read_serializer_class = GateSerializer
    detail_serializer_class = GateDetailSerializer
    write_serializer_class = GateWriteSerializer
    csv_filename = "gates"

    def get_queryset(self):
        queryset = gate_list(user=self.request.user)
        if self.action == "retrieve":
            queryset = queryset.with_public_openings(self.request.user).prefetch_related(
                "citations__source"
            )
        return queryset

    def get_geojson_properties(self):
        return gate_map_properties()


@documented(GateEventSerializer)
class GateEventViewSet(ReadOnlyRecordViewSet):
    """Dated events in the gates' history: openings, agreements, upgrades."""

    serializer_class = GateEventSerializer
    filterset_class = GateEventFilter
    csv_filename = "gate-events"

    def get_queryset(self):
        gates = Gate.objects.visible_to(self.request.user)
        return GateEvent.objects.filter(gate__in=gates).select_related("gate", "source")


@documented(TradeRecordSerializer)
class TradeRecordViewSet(ReadOnlyRecordViewSet):
    """Recorded trade per period, for one gate or (without a gate) the whole province."""

    serializer_class = TradeRecordSerializer
    filterset_class = TradeRecordFilter
    csv_filename = "trade"

    def get_queryset(self):
        gates = Gate.objects.visible_to(self.request.user)
        return TradeRecord.objects.filter(Q(gate__isnull=True) | Q(gate__in=gates)).select_related(
            "gate", "source"
        )
