from core.api.schema import documented
from core.api.viewsets import GeoRecordViewSet, ReadOnlyRecordViewSet

from ..filters import GateEventFilter, TradeRecordFilter
from ..lists import GATES
from ..selectors import gate_event_list, trade_record_list
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

    spec = GATES
    read_serializer_class = GateSerializer
    detail_serializer_class = GateDetailSerializer
    write_serializer_class = GateWriteSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.with_public_openings(self.request.user).prefetch_related(
                "citations__source"
            )
        return queryset


@documented(GateEventSerializer)
class GateEventViewSet(ReadOnlyRecordViewSet):
    """Dated events in the gates' history: openings, agreements, upgrades."""

    serializer_class = GateEventSerializer
    filterset_class = GateEventFilter
    csv_filename = "gate-events"

    def get_queryset(self):
        return gate_event_list(user=self.request.user)


@documented(TradeRecordSerializer)
class TradeRecordViewSet(ReadOnlyRecordViewSet):
    """Recorded trade per period, for one gate or (without a gate) the whole province."""

    serializer_class = TradeRecordSerializer
    filterset_class = TradeRecordFilter
    csv_filename = "trade"

    def get_queryset(self):
        return trade_record_list(user=self.request.user)
