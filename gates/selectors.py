"""Reads of gates: the one list queryset, the detail, and the dashboard's summaries."""

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from .models import Gate, GateEvent, TradeRecord

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
    unplaced = gates.filter(latitude__isnull=True).select_related(None).only("slug", "name")
    return list(unplaced.order_by("name", "pk")[:UNPLACED_SHOWN])


# What the map (and the API's GeoJSON) needs of a gate.
MAP_FIELDS = (
    "slug",
    "name",
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
            "name": gate.name,
            "kind": gate.kind,
            "kind_label": str(kinds.get(gate.kind, "")),
            "status": gate.status,
            "status_label": str(statuses.get(gate.status, "")),
            "approximate": gate.location_approximate or gate.location_unconfirmed,
            "url": url.replace("SLUG", gate.slug),
        }

    return properties
