"""Reads of projects: the one list queryset, the detail, and the dashboard's summaries."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Sum
from django.urls import reverse

from .models import Project, ProjectEvent, YearlyAllocation


def project_list():
    """Every public project with what a list row shows, in a fixed number of queries.

    The capital totals of a row come from ``attach_capital_totals`` on the rows actually shown
    (a page, or a chunk of an export): as annotations they would be computed for every row that
    matches before PostgreSQL sorts and cuts the page.
    """
    return Project.objects.with_list_related()


def attach_capital_totals(projects) -> None:
    """Set ``allocated_total`` and ``disbursed_total`` (None without any allocation) on each of
    ``projects``, with one query for all of them."""
    projects = list(projects)
    rows = (
        YearlyAllocation.objects.filter(project_id__in=[p.pk for p in projects])
        .order_by()
        .values("project_id")
        .annotate(allocated=Sum("allocated"), disbursed=Sum("disbursed"))
    )
    totals = {row["project_id"]: row for row in rows}
    for project in projects:
        row = totals.get(project.pk, {})
        project.allocated_total = row.get("allocated")
        project.disbursed_total = row.get("disbursed")


def project_get(*, slug: str) -> Project:
    """One project with everything its page shows; raises ``Project.DoesNotExist``."""
    return (
        Project.objects.with_list_related()
        .with_allocations()
        .with_sources()
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ProjectEvent.objects.select_related("source").order_by("date", "pk"),
            )
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
    """Capital allocated and disbursed: per currency, per year and currency, and per programme
    and currency (``programmes[(programme_id, currency)]``), from one query."""
    rows = (
        YearlyAllocation.objects.order_by()
        .values("year", "project__programme_id", "project__currency")
        .annotate(allocated=Sum("allocated"), disbursed=Sum("disbursed"))
    )

    def zero():
        return {"allocated": 0, "disbursed": 0}

    totals: dict[str, dict] = defaultdict(zero)
    per_year: dict[tuple[int, str], dict] = defaultdict(zero)
    programmes: dict[tuple[int | None, str], object] = defaultdict(int)
    for row in rows:
        currency = row["project__currency"]
        for bucket in (totals[currency], per_year[(row["year"], currency)]):
            bucket["allocated"] += row["allocated"]
            bucket["disbursed"] += row["disbursed"]
        programmes[(row["project__programme_id"], currency)] += row["allocated"]
    years = [
        {"year": year, "currency": currency, **values, "rate": rate(**values)}
        for (year, currency), values in sorted(per_year.items())
    ]
    per_currency = [
        {"currency": currency, **values, "rate": rate(**values)}
        for currency, values in sorted(totals.items())
    ]
    return {"per_currency": per_currency, "years": years, "programmes": dict(programmes)}


def rate(disbursed, allocated):
    """``disbursed`` as a percentage of ``allocated``, or None when nothing was allocated."""
    if not allocated:
        return None
    return disbursed / allocated * 100


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


# What the map (and the API's GeoJSON) needs of a project.
MAP_FIELDS = ("slug", "name", "status", "latitude", "longitude", "location_approximate")


def project_map_properties():
    """A function giving a project's GeoJSON properties, labels in the active language."""
    url = reverse("projects:project-detail", args=["SLUG"])
    statuses = dict(Project.Status.choices)

    def properties(project) -> dict:
        return {
            "slug": project.slug,
            "name": project.name,
            "status": project.status,
            "status_label": str(statuses.get(project.status, "")),
            "approximate": project.location_approximate,
            "url": url.replace("SLUG", project.slug),
        }

    return properties
