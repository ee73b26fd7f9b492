"""Reads of projects: the one list queryset, the detail, and the dashboard's summaries."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Sum

from .models import Project, ProjectEvent, YearlyAllocation


def project_list():
    """Every public project with what a list row shows, in a fixed number of queries."""
    return Project.objects.with_list_related().with_capital_totals()


def project_get(*, slug: str) -> Project:
    """One project with everything its page shows; raises ``Project.DoesNotExist``."""
    return (
        Project.objects.select_related("programme", "owner", "district")
        .prefetch_related(
            "gates",
            Prefetch("allocations", queryset=YearlyAllocation.objects.order_by("year")),
            Prefetch(
                "events",
                queryset=ProjectEvent.objects.select_related("source").order_by("date", "pk"),
            ),
            "citations__source",
        )
        .get(slug=slug)
    )


def project_status_summary() -> list[dict]:
    """Per status: how many projects, and their total investment per currency.

    Returns one entry per status in the order of ``Project.Status``, with ``totals`` as a list of
    ``(currency, amount)`` so that different currencies are never added together, and
    ``with_amount``: how many of the projects have a total investment at all.
    """
    rows = (
        Project.objects.order_by()
        .values("status", "currency")
        .annotate(
            count=Count("pk"),
            with_amount=Count("total_investment"),
            total=Sum("total_investment"),
        )
    )
    by_status: dict[str, dict] = {
        value: {"status": value, "label": label, "count": 0, "with_amount": 0, "totals": []}
        for value, label in Project.Status.choices
    }
    for row in rows:
        entry = by_status[row["status"]]
        entry["count"] += row["count"]
        entry["with_amount"] += row["with_amount"]
        if row["total"] is not None:
            entry["totals"].append((row["currency"], row["total"]))
    for entry in by_status.values():
        entry["totals"].sort()
    return list(by_status.values())


def capital_summary() -> dict:
    """Capital allocated and disbursed, per currency and per year and currency."""
    rows = (
        YearlyAllocation.objects.order_by()
        .values("year", "project__currency")
        .annotate(allocated=Sum("allocated"), disbursed=Sum("disbursed"))
        .order_by("year", "project__currency")
    )
    totals: dict[str, dict] = defaultdict(lambda: {"allocated": 0, "disbursed": 0})
    years = []
    for row in rows:
        currency = row["project__currency"]
        totals[currency]["allocated"] += row["allocated"]
        totals[currency]["disbursed"] += row["disbursed"]
        years.append(
            {
                "year": row["year"],
                "currency": currency,
                "allocated": row["allocated"],
                "disbursed": row["disbursed"],
                "rate": rate(row["disbursed"], row["allocated"]),
            }
        )
    per_currency = [
        {"currency": currency, **values, "rate": rate(values["disbursed"], values["allocated"])}
        for currency, values in sorted(totals.items())
    ]
    return {"per_currency": per_currency, "years": years}


def rate(part, whole):
    """``part`` as a percentage of ``whole``, or None when there is nothing to divide by."""
    if not whole:
        return None
    return part / whole * 100


def allocation_totals(project: Project, allocations) -> dict:
    """A project's capital over its years (all in the project's currency), and the scales of its
    charts: ``largest_year`` for the yearly bars, ``scale`` for total vs allocated vs disbursed."""
    allocated = sum((a.allocated for a in allocations), 0)
    disbursed = sum((a.disbursed for a in allocations), 0)
    return {
        "allocated": allocated if allocations else None,
        "disbursed": disbursed if allocations else None,
        "rate": rate(disbursed, allocated),
        "largest_year": max((a.allocated for a in allocations), default=0),
        "scale": max(project.total_investment or 0, allocated),
    }


def programme_project_counts() -> dict[tuple[int | None, str], int]:
    """How many projects each programme has in each status: ``{(programme_id, status): n}``."""
    rows = Project.objects.order_by().values("programme_id", "status").annotate(n=Count("pk"))
    return {(row["programme_id"], row["status"]): row["n"] for row in rows}


def programme_allocations() -> dict[tuple[int | None, str], object]:
    """Capital allocated over all years per programme and currency."""
    rows = (
        YearlyAllocation.objects.order_by()
        .values("project__programme_id", "project__currency")
        .annotate(total=Sum("allocated"))
    )
    return {(r["project__programme_id"], r["project__currency"]): r["total"] for r in rows}
