"""The investment list's filters and the investor page's totals per currency."""

import pytest

from tests.investment.factories import InvestmentFactory, InvestorFactory

pytestmark = pytest.mark.django_db


def test_investment_list_filters_by_investor_country_without_duplicates(client, db):
    chinese, korean = InvestorFactory(country="CN"), InvestorFactory(country="KR")
    both = InvestmentFactory(investors=[chinese, korean])
    InvestmentFactory(investors=[korean])
    page = client.get("/investments/?country=CN").context["page_obj"]
    assert list(page) == [both]


def test_investor_page_totals_per_currency(client, db):
    investor = InvestorFactory()
    InvestmentFactory(investors=[investor], capital=1_000_000, currency="USD")
    InvestmentFactory(investors=[investor], capital=2_000_000, currency="USD")
    InvestmentFactory(investors=[investor], capital=5_000_000_000, currency="VND")
    InvestmentFactory(
        investors=[investor], capital=1_000_000, currency="USD", capital_type="disbursed"
    )
    response = client.get(investor.get_absolute_url())
    totals = [(t["currency"], t["capital_type"], t["amount"]) for t in response.context["totals"]]
    assert totals == [
        ("USD", "disbursed", 1_000_000),
        ("USD", "registered", 3_000_000),
        ("VND", "registered", 5_000_000_000),
    ]
