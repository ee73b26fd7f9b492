"""Reads of gates: the one list queryset, the detail, and the dashboard's summaries."""

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.charts import bar_rows
from core.formatting import money_scales
from core.languages import in_language

from .models import EconomicZone, Gate, GateEvent, TradeRecord

# The dashboard charts at most this many trade periods (the most recent ones).
TRADE_PERIODS_SHOWN = 40


def gate_list(*, user=None):
    """Every gate ``user`` may see (the published ones for the public) with what a list row
    shows, in a fixed number of queries."""
    return Gate.objects.visible_to(user).with_list_related()


def gate_event_list(*, user=None):
    """The events of every gate ``user`` may see, with their gate and source."""
    gates = Gate.objects.visible_to(user)
    return GateEvent.objects.filter(gate__in=gates).select_related("gate", "source")


def trade_record_list(*, user=None):
    """The province's trade records and those of every gate ``user`` may see."""
    gates = Gate.objects.visible_to(user)
    return TradeRecord.objects.filter(Q(gate__isnull=True) | Q(gate__in=gates)).select_related(
        "gate", "source"
    )


def gate_get(*, slug: str) -> Gate:
    """One gate with everything its page shows; raises ``Gate.DoesNotExist``."""
    return (
        Gate.objects.published()
        .with_list_related()
        .with_public_openings()
        .prefetch_related(
            Prefetch(
                "events", queryset=GateEvent.objects.select_related("source").order_by("date", "pk")
            ),
            Prefetch(
                "trade_records",
                queryset=TradeRecord.objects.select_related("source").order_by("period_start"),
            ),
            # The published projects serving the gate (the relation is declared by the projects
            # app, above this one: reached through the gate, not imported).
            Prefetch("projects", queryset=served_by().published().order_by("name", "pk")),
            "citations__source",
        )
        .get(slug=slug)
    )


def served_by():
    """The projects' manager, as seen from the gate (``Gate.projects``)."""
    return Gate._meta.get_field("projects").related_model._default_manager


def gate_kind_summary() -> list[dict]:
    """How many gates of each kind, and how many of them are open."""
    rows = {
        row["kind"]: row
        for row in Gate.objects.published()
        .order_by()
        .values("kind")
        .annotate(count=Count("pk"), open=Count("pk", filter=Q(status=Gate.Status.OPEN)))
    }
    return [
        {
            "kind": value,
            "label": label,
            "count": rows.get(value, {}).get("count", 0),
            "open": rows.get(value, {}).get("open", 0),
        }
        for value, label in Gate.Kind.choices
    ]


def trade_by_period() -> list[dict]:
    """Recorded trade per period and currency: the province's own totals kept apart from sums
    over individual gates, so a province total and its gates are never added together.

    A record's amount is its turnover, else its exports plus imports (as ``TradeRecord.total``);
    records with neither do not count, and ``gates`` counts only the gates that contributed.
    """
    record_total = Coalesce("turnover", F("exports") + F("imports"))
    counted = Q(record_total__isnull=False)
    rows = (
        TradeRecord.objects.filter(Q(gate__isnull=True) | Q(gate__is_published=True))
        .order_by()
        .annotate(
            province_wide=ExpressionWrapper(Q(gate__isnull=True), output_field=BooleanField()),
            record_total=record_total,
        )
        .values("period_start", "period_end", "currency", "province_wide")
        .annotate(
            total=Sum("record_total"),
            gates=Count("gate", filter=counted, distinct=True),
            records=Count("pk", filter=counted),
        )
        .order_by("-period_end", "-period_start", "currency", "province_wide")
    )[:TRADE_PERIODS_SHOWN]
    periods = list(rows)
    periods.reverse()
    return periods


# The map lists by name the gates it cannot place, up to this many.
UNPLACED_SHOWN = 50


def gates_without_position(gates) -> list[Gate]:
    """Those of ``gates`` (a filtered gate list) that have no position, by name."""
    unplaced = (
        gates.filter(latitude__isnull=True).select_related(None).only("slug", "name", "name_en")
    )
    return list(unplaced.order_by("name", "pk")[:UNPLACED_SHOWN])


# What the map (and the API's GeoJSON) needs of a gate.
MAP_FIELDS = (
    "slug",
    "name",
    "name_en",
    "kind",
    "status",
    "latitude",
    "longitude",
    "location_approximate",
    "location_unconfirmed",
)


def gate_map_properties():
    """A function giving a gate's GeoJSON properties, labels in the active language."""
    url = reverse("gates:gate-detail", args=["SLUG"])
    kinds, statuses = dict(Gate.Kind.choices), dict(Gate.Status.choices)

    def properties(gate) -> dict:
        return {
            "slug": gate.slug,
            # In the page's language where recorded, else in Vietnamese.
            "name": in_language(gate, "name")[0],
            "kind": gate.kind,
            "kind_label": str(kinds.get(gate.kind, "")),
            "status": gate.status,
            "status_label": str(statuses.get(gate.status, "")),
            "approximate": gate.location_approximate or gate.location_unconfirmed,
            "url": url.replace("SLUG", gate.slug),
        }

    return properties


# The trade page charts this many gates (those with the most records), each over at most this
# many of its latest periods.
TRADE_GATES_CHARTED = 12
TRADE_PERIODS_CHARTED = 12

# A record's figure in each direction; "turnover" is the reported turnover, else exports plus
# imports (as ``TradeRecord.total``).
TRADE_MEASURES = {
    "turnover": Coalesce("turnover", F("exports") + F("imports")),
    "exports": F("exports"),
    "imports": F("imports"),
}


def trade_charts(records, direction: str = "turnover") -> dict:
    """Charts of the filtered trade ``records`` over time: one for the whole province (its own
    records, never the sum of its gates') and one per gate, for the ``TRADE_GATES_CHARTED``
    gates with the most records; each bar a recorded period, in its currency. Three queries.

    Returns ``{"charts": [{"gate": {"name", "slug"} or None, "periods": [...]}], "gates": n}``
    where ``n`` is how many gates have records (so the page can say how many are not charted).
    """
    records = records.order_by()
    with_gate = records.filter(gate__isnull=False)
    gates = with_gate.values("gate").distinct().count()
    charted = list(
        with_gate.values_list("gate", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n", "gate")[:TRADE_GATES_CHARTED]
    )
    rows = (
        records.filter(Q(gate__isnull=True) | Q(gate__any_of=charted))
        .annotate(amount=TRADE_MEASURES.get(direction, TRADE_MEASURES["turnover"]))
        .filter(amount__isnull=False)
        .values(
            *("gate", "gate__name", "gate__name_en", "gate__slug"),
            *("period_start", "period_end", "currency", "amount"),
        )
        .order_by("period_end", "period_start", "currency")
    )
    series: dict = {}
    for row in rows:
        series.setdefault(row["gate"], []).append(row)
    charts = []
    for gate_id in sorted(series, key=lambda g: (g is not None, series[g][0]["gate__name"] or "")):
        periods = series[gate_id][-TRADE_PERIODS_CHARTED:]
        gate = (
            {
                "name": periods[0]["gate__name"],
                "name_en": periods[0]["gate__name_en"],
                "slug": periods[0]["gate__slug"],
            }
            if gate_id
            else None
        )
        charts.append(
            {
                "gate": gate,
                "periods": bar_rows(periods, lambda p: p["amount"], lambda p: p["currency"]),
                "scales": money_scales((p["currency"], p["amount"]) for p in periods),
                "more": len(series[gate_id]) - len(periods),
            }
        )
    return {"charts": charts, "gates": gates}


# The zones page lists this many border markets; the rest are a link to the gate list.
MARKETS_SHOWN = 50


def zone_list():
    """Every economic zone, parents before their sub-zones' names, with how many published
    gates each holds (``gate_count``)."""
    return (
        EconomicZone.objects.select_related("parent")
        .annotate(gate_count=Count("gates", filter=Q(gates__is_published=True)))
        .order_by("name", "pk")
    )


def border_markets() -> dict:
    """The published border markets (gates of that kind): the first ``MARKETS_SHOWN`` by name,
    and how many there are. Two queries."""
    markets = Gate.objects.published().filter(kind=Gate.Kind.MARKET)
    return {
        "markets": list(
            markets.select_related("district", "economic_zone").order_by("name", "pk")[
                :MARKETS_SHOWN
            ]
        ),
        "market_count": markets.count(),
    }


# A zone's page lists this many of its gates; the rest are a link to the gate list.
ZONE_GATES_SHOWN = 100


def zone_get(*, slug: str) -> EconomicZone:
    """One economic zone with its sub-zones, its first ``ZONE_GATES_SHOWN`` published gates
    (``shown_gates``; ``gate_count`` counts them all) and its sources; raises
    ``EconomicZone.DoesNotExist``."""
    return (
        EconomicZone.objects.select_related("parent")
        .annotate(gate_count=Count("gates", filter=Q(gates__is_published=True)))
        .prefetch_related(
            Prefetch("sub_zones", queryset=EconomicZone.objects.order_by("name", "pk")),
            Prefetch(
                "gates",
                queryset=Gate.objects.published()
                .select_related("district")
                .order_by("name", "pk")[:ZONE_GATES_SHOWN],
                to_attr="shown_gates",
            ),
            "citations__source",
        )
        .get(slug=slug)
    )
