from core.api.mixins import RecordViewSet, documented

from ..filters import InvestmentFilter, InvestorFilter
from ..selectors import investment_list, investor_list
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

    filterset_class = InvestorFilter
    read_serializer_class = InvestorSerializer
    detail_serializer_class = InvestorDetailSerializer
    write_serializer_class = InvestorWriteSerializer
    csv_filename = "investors"

    def get_queryset(self):
        queryset = investor_list(user=self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("citations__source")
        return queryset


@documented(InvestmentSerializer, InvestmentWriteSerializer)
class InvestmentViewSet(RecordViewSet):
    """FDI, ODA, aid and domestic investment projects; the filters of /investments/."""

    filterset_class = InvestmentFilter
    read_serializer_class = InvestmentSerializer
    write_serializer_class = InvestmentWriteSerializer
    csv_filename = "investments"

    def get_queryset(self):
        return investment_list(user=self.request.user)
