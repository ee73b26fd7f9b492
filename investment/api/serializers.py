"""Investors and investments in the API."""

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

from ..models import Investment, Investor, Sector
from ..services import (
    INVESTMENT_FIELDS,
    INVESTOR_FIELDS,
    investment_update,
    investor_update,
)


class InvestorSerializer(PageUrlMixin, serializers.ModelSerializer):
    capital = serializers.SerializerMethodField(
        help_text="Capital per currency and kind of capital; never added across either."
    )

    class Meta:
        model = Investor
        fields = ["id", *INVESTOR_FIELDS, "capital", "page_url"]

    def get_capital(self, investor) -> list[dict]:
        return [
            {
                "currency": t["currency"],
                "capital_type": t["capital_type"],
                "amount": str(t["amount"]),
            }
            for t in investor.capital_totals
        ]


class InvestorDetailSerializer(InvestorSerializer):
    citations = CitationSerializer(many=True, read_only=True)

    class Meta(InvestorSerializer.Meta):
        fields = [*InvestorSerializer.Meta.fields, "citations"]


class InvestorWriteSerializer(ServiceModelSerializer):
    class Meta:
        model = Investor
        fields = INVESTOR_FIELDS
        service = staticmethod(investor_update)


class InvestmentSerializer(serializers.ModelSerializer):
    investors = RefSerializer(many=True, read_only=True)
    sectors = RefSerializer(many=True, read_only=True)
    district = RefSerializer(read_only=True, allow_null=True)
    gate = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Investment
        fields = ["id", *INVESTMENT_FIELDS, "updated_at"]


class InvestmentWriteSerializer(ServiceModelSerializer):
    investors = slug_ref(Investor, many=True, required=True)
    sectors = slug_ref(Sector, many=True)
    district = slug_ref(District)
    gate = slug_ref(Gate)

    class Meta:
        model = Investment
        fields = INVESTMENT_FIELDS
        service = staticmethod(investment_update)
