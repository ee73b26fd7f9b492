from core.api.schema import documented
from core.api.viewsets import RecordViewSet

from ..lists import INVESTMENTS, INVESTORS
from .serializers import (
    InvestmentSerializer,
    InvestmentWriteSerializer,
    InvestorDetailSerializer,
    InvestorSerializer,
    InvestorWriteSerializer,
)


@documented(InvestorSerializer, InvestorWriteSerializer)
class InvestorViewSet(RecordViewSet):
    """Companies, development partners, NGOs and governments that invest or give aid; the
    filters of the public list (/investors/)."""

    spec = INVESTORS
    read_serializer_class = InvestorSerializer
    detail_serializer_class = InvestorDetailSerializer
    write_serializer_class = InvestorWriteSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("citations__source")
        return queryset


@documented(InvestmentSerializer, InvestmentWriteSerializer)
class InvestmentViewSet(RecordViewSet):
    """FDI, ODA, aid and domestic investment projects; the filters of /investments/."""

    spec = INVESTMENTS
    read_serializer_class = InvestmentSerializer
    write_serializer_class = InvestmentWriteSerializer
