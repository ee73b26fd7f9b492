"""Reads of investors and investments: the list querysets, the detail and the summaries."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Sum

from .models import Investment, Investor


def investor_list():
    """Every public investor, with its investments for the per-currency totals of a row."""
    return Investor.objects.prefetch_related(
        Prefetch(
            "investments",
            queryset=Investment.objects.only("pk", "capital", "currency").order_by(),
        )
    )


def investment_list():
    """Every public investment with what a list row shows, in a fixed number of queries."""
    return Investment.objects.with_list_related()


def investor_get(*, slug: str) -> Investor:
    """One investor with its investments and sources; raises ``Investor.DoesNotExist``."""
    return Investor.objects.prefetch_related(
        Prefetch(
            "investments",
            queryset=investment_list().order_by("-date", "name", "pk"),
        ),
        "citations__source",
    ).get(slug=slug)


def totals_per_currency(investments) -> list[tuple[str, object]]:
    """Capital per currency over ``investments``; currencies are never added together."""
    totals: dict[str, object] = defaultdict(int)
    for investment in investments:
        if investment.capital is not None:
            totals[investment.currency] += investment.capital
    return sorted(totals.items())


def investment_capital_summary() -> list[dict]:
    """Per kind of investment (FDI, ODA, aid…): how many, with how many investors, and the
    capital per currency."""
    rows = (
        Investment.objects.order_by()
        .values("kind", "currency")
        .annotate(count=Count("pk"), capital=Sum("capital"))
    )
    investor_counts = dict(
        Investment.investors.through.objects.order_by()
        .values_list("investment__kind")
        .annotate(n=Count("investor", distinct=True))
    )
    summary = {
        value: {"kind": value, "label": label, "count": 0, "totals": []}
        for value, label in Investment.Kind.choices
    }
    for row in rows:
        entry = summary[row["kind"]]
        entry["count"] += row["count"]
        if row["capital"] is not None:
            entry["totals"].append((row["currency"], row["capital"]))
    for entry in summary.values():
        entry["totals"].sort()
        entry["investors"] = investor_counts.get(entry["kind"], 0)
    return list(summary.values())
