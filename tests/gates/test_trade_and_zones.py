"""The trade list (filtered by gate, period and direction, a chart per gate over time) and the
pages of economic zones and border markets."""

import datetime

import pytest

from gates.models import EconomicZone, Gate
from gates.selectors import TRADE_GATES_CHARTED
from tests.gates.factories import GateFactory, TradeRecordFactory

pytestmark = pytest.mark.django_db


def test_trade_filters_by_gate_period_and_direction(client, db):
    gate, other = GateFactory(), GateFactory()
    TradeRecordFactory(
        gate=gate,
        period_start=datetime.date(2022, 1, 1),
        period_end=datetime.date(2022, 12, 31),
        exports=100,
        imports=None,
        turnover=None,
    )
    TradeRecordFactory(
        gate=gate,
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        exports=None,
        imports=50,
        turnover=None,
    )
    TradeRecordFactory(
        gate=other, period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2023, 3, 31)
    )

    def shown(**params):
        return list(client.get("/trade/", params).context["page_obj"].object_list)

    assert len(shown()) == 3
    assert {r.gate for r in shown(gate=gate.slug)} == {gate}
    assert [r.exports for r in shown(gate=gate.slug, direction="exports")] == [100]
    assert [r.imports for r in shown(gate=gate.slug, direction="imports")] == [50]
    assert len(shown(period_from="2023-01-01")) == 2
    # The same query string means the same rows in the API and the download.
    assert client.get("/api/v1/trade/", {"direction": "exports"}).json()["count"] == len(
        shown(direction="exports")
    )
    csv = client.get("/trade/export.csv", {"gate": gate.slug, "direction": "imports"})
    assert b"".join(csv.streaming_content).decode("utf-8-sig").count("\n") == 2


@pytest.mark.parametrize(
    "params", [{"direction": "sideways"}, {"period_from": "2023-13-01"}, {"gate": "nowhere"}]
)
def test_bad_trade_filters_are_a_400_with_the_message(client, db, params):
    response = client.get("/trade/", params)
    assert response.status_code == 400
    assert client.get("/api/v1/trade/", params).status_code == 400


def test_a_chart_per_gate_over_time_in_the_chosen_direction(client, db):
    gates = GateFactory.create_batch(TRADE_GATES_CHARTED + 2)
    for year in (2021, 2022):
        for gate in gates:
            TradeRecordFactory(
                gate=gate,
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                exports=year,
                imports=1,
                turnover=None,
                currency="USD",
            )
    TradeRecordFactory(gate=None, turnover=10**9, currency="USD")  # the province's own
    context = client.get("/trade/", {"direction": "exports"}).context
    charts = context["charts"]
    assert context["gates"] == TRADE_GATES_CHARTED + 2
    assert charts[0]["gate"] is None  # the whole province first, on its own
    by_gate = [chart for chart in charts if chart["gate"]]
    assert len(by_gate) == TRADE_GATES_CHARTED
    first = by_gate[0]["periods"]
    assert [row["item"]["amount"] for row in first] == [2021, 2022]  # exports, oldest first
    turnover = client.get("/trade/").context["charts"]
    assert [row["item"]["amount"] for row in turnover[1]["periods"]] == [2022, 2023]


def test_zones_list_their_gates_and_markets_link_to_the_list(client, demo_data):
    response = client.get("/zones/")
    assert response.status_code == 200
    zones = {zone.slug: zone for zone in response.context["zones"]}
    tra_linh = zones["phan-khu-tra-linh"]
    assert tra_linh.gate_count == Gate.objects.filter(economic_zone=tra_linh).count() >= 1
    markets = response.context["markets"]
    assert {g.kind for g in markets} == {"market"}
    assert response.context["market_count"] == Gate.objects.filter(kind="market").count()
    page = client.get(tra_linh.get_absolute_url())
    assert page.status_code == 200
    assert "/gates/tra-linh/" in page.content.decode()
    assert client.get("/zones/no-such-zone/").status_code == 404


def test_a_draft_gate_is_not_counted_or_listed_in_its_zone(client, db):
    zone = EconomicZone.objects.create(name="Khu thử", slug="khu-thu")
    GateFactory(economic_zone=zone, slug="public-gate")
    GateFactory(economic_zone=zone, slug="draft-gate", is_published=False)
    html = client.get(zone.get_absolute_url()).content.decode()
    assert "/gates/public-gate/" in html
    assert "draft-gate" not in html
    [listed] = client.get("/zones/").context["zones"]
    assert listed.gate_count == 1
