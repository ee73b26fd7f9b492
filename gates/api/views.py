from core.api.mixins import GeoRecordViewSet, ReadOnlyRecordViewSet, documented

from ..filters import GateEventFilter, GateFilter, TradeRecordFilter
from ..models import GateEvent, TradeRecord
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
        queryset = gate_list()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("openings", "citations__source")
        return queryset

    def get_geojson_properties(self):
        return gate_map_properties()


@documented(GateEventSerializer)
class GateEventViewSet(ReadOnlyRecordViewSet):
    """Dated events in the gates' history: openings, agreements, upgrades."""

    queryset = GateEvent.objects.select_related("gate", "source")
    serializer_class = GateEventSerializer
    filterset_class = GateEventFilter
    csv_filename = "gate-events"


@documented(TradeRecordSerializer)
class TradeRecordViewSet(ReadOnlyRecordViewSet):
    """Recorded trade per period, for one gate or (without a gate) the whole province."""

    queryset = TradeRecord.objects.select_related("gate", "source")
    serializer_class = TradeRecordSerializer
    filterset_class = TradeRecordFilter
    csv_filename = "trade"
