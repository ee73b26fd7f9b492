"""Reads of investors and investments: the list querysets, the detail and the summaries."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Sum

from .models import Investment, Investor


def investor_list(*, user=None):
    """Every investor ``user`` may see (the published ones for the public), with the investments
    it may see for the per-currency totals of a row."""
    return Investor.objects.visible_to(user).prefetch_related(
        Prefetch(
            "investments",
            queryset=Investment.objects.visible_to(user)
            .only("pk", "capital", "currency", "capital_type")
            .order_by(),
        )
    )


def investment_list(*, user=None):
    """Every investment ``user`` may see (the published ones for the public) with what a list row
    shows, in a fixed number of queries."""
    return Investment.objects.visible_to(user).with_list_related(user)


def investor_get(*, slug: str) -> Investor:
    """One investor with its investments and sources; raises ``Investor.DoesNotExist``."""
    return (
        Investor.objects.published()
        .prefetch_related(
            Prefetch(
                "investments",
                queryset=investment_list().order_by("-date", "name", "pk"),
            ),
            "citations__source",
        )
        .get(slug=slug)
    )


def attach_investor_totals(investors) -> None:
    """Set ``capital_totals`` on each of ``investors``, from its prefetched investments (see
    ``investor_list``): what the list's page, downloads and API show of an investor's capital."""
    for investor in investors:
        investor.capital_totals = capital_totals(investor.investments.all())


def capital_totals(investments) -> list[dict]:
    """Capital per currency and kind of capital (registered, committed, disbursed) over
    ``investments``: neither currencies nor kinds of capital are ever added together."""
    totals: dict[tuple[str, str], object] = defaultdict(int)
    for investment in investments:
        if investment.capital is not None:
            totals[(investment.currency, investment.capital_type)] += investment.capital
    labels = dict(Investment.CapitalType.choices)
    return [
        {"currency": currency, "capital_type": kind, "label": labels[kind], "amount": amount}
        for (currency, kind), amount in sorted(totals.items())
    ]


def investment_capital_summary() -> list[dict]:
    """Per kind of investment (FDI, ODA, aid…): how many, with how many investors, and the
    capital per kind of capital (registered, committed, disbursed) and currency:
    ``totals[capital_type] = [(currency, amount), …]``."""
    rows = (
        Investment.objects.published()
        .order_by()
        .values("kind", "capital_type", "currency")
        .annotate(count=Count("pk"), capital=Sum("capital"))
    )
    investor_counts = dict(
        Investment.investors.through.objects.filter(
            investment__is_published=True, investor__is_published=True
        )
        .order_by()
        .values_list("investment__kind")
        .annotate(n=Count("investor", distinct=True))
    )
    summary = {
        value: {"kind": value, "label": label, "count": 0, "totals": defaultdict(list)}
        for value, label in Investment.Kind.choices
    }
    for row in rows:
        entry = summary[row["kind"]]
        entry["count"] += row["count"]
        if row["capital"] is not None:
            entry["totals"][row["capital_type"]].append((row["currency"], row["capital"]))
    for entry in summary.values():
        entry["totals"] = {kind: sorted(pairs) for kind, pairs in entry["totals"].items()}
        entry["investors"] = investor_counts.get(entry["kind"], 0)
    return list(summary.values())


def investor_kind_summary() -> list[dict]:
    """Per kind of investor: how many are published, every kind listed (0 where none)."""
    counts = dict(
        Investor.objects.published().order_by().values_list("kind").annotate(n=Count("pk"))
    )
    return [
        {"kind": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Investor.Kind.choices
    ]
