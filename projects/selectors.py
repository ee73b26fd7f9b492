"""Reads of projects: the one list queryset, the detail, and the dashboard's summaries."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from core.exports import linked_values
from core.languages import in_language
from gates.models import Gate

from .models import (
    Programme,
    ProgressReport,
    Project,
    ProjectEvent,
    YearlyAllocation,
    disbursement_rate,
)


def programme_list():
    """Every programme (programmes are public documents: no drafts)."""
    return Programme.objects.all()


def project_list(*, user=None):
    """Every project ``user`` may see (the published ones for the public, drafts too for staff
    through the API) with what a list row shows, in a fixed number of queries.

    The capital totals of a row come from ``attach_capital_totals`` on the rows actually shown
    (a page, or a chunk of an export): as annotations they would be computed for every row that
    matches before PostgreSQL sorts and cuts the page.
    """
    return Project.objects.visible_to(user).with_list_related(user)


def capital_totals(project_ids) -> dict[int, dict]:
    """``{project id: {"allocated": …, "disbursed": …}}`` over all years, for the projects that
    have any allocation, with one query."""
    rows = (
        YearlyAllocation.objects.filter(project_id__any_of=project_ids)
        .order_by()
        .values("project_id")
        .annotate(allocated=Sum("allocated"), disbursed=Sum("disbursed"))
    )
    return {row["project_id"]: row for row in rows}


def attach_capital_totals(projects) -> None:
    """Set ``allocated_total`` and ``disbursed_total`` (None without any allocation) on each of
    ``projects``, with one query for all of them."""
    projects = list(projects)
    totals = capital_totals([p.pk for p in projects])
    for project in projects:
        row = totals.get(project.pk, {})
        project.allocated_total = row.get("allocated")
        project.disbursed_total = row.get("disbursed")


def complete_download_rows(rows: list[dict]) -> None:
    """Complete a chunk of a download's rows (read as values): the names of the published gates
    each project serves (in name order, as the page lists them) and its capital totals, with
    one query each."""
    ids = [row["pk"] for row in rows]
    totals = capital_totals(ids)
    gates = linked_values(
        Project._meta.get_field("gates"), ids, "name", shown=Gate.objects.published()
    )
    for row in rows:
        total = totals.get(row["pk"], {})
        row["allocated_total"] = total.get("allocated")
        row["disbursed_total"] = total.get("disbursed")
        row["gates"] = "; ".join(gates.get(row["pk"], ()))


# A project page shows this many of its latest progress reports.
REPORTS_SHOWN = 50


def project_get(*, slug: str) -> Project:
    """One project with everything its page shows; raises ``Project.DoesNotExist``."""
    return (
        Project.objects.published()
        .with_list_related()
        .with_allocations()
        .with_sources()
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ProjectEvent.objects.select_related("source").order_by("date", "pk"),
            ),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.order_by("-date", "-pk").prefetch_related("photos")[
                    :REPORTS_SHOWN
                ],
                to_attr="latest_reports",
            ),
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
        Project.objects.published()
        .order_by()
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
        YearlyAllocation.objects.filter(project__is_published=True)
        .order_by()
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
        {"year": year, "currency": currency, **values, "rate": disbursement_rate(**values)}
        for (year, currency), values in sorted(per_year.items())
    ]
    per_currency = [
        {"currency": currency, **values, "rate": disbursement_rate(**values)}
        for currency, values in sorted(totals.items())
    ]
    return {"per_currency": per_currency, "years": years, "programmes": dict(programmes)}


def allocation_totals(project: Project, allocations) -> dict:
    """A project's capital over its years (all in the project's currency), and the scales of its
    charts: ``largest_year`` for the yearly bars, ``scale`` for total vs allocated vs disbursed."""
    allocated = sum((a.allocated for a in allocations), 0)
    disbursed = sum((a.disbursed for a in allocations), 0)
    return {
        "allocated": allocated if allocations else None,
        "disbursed": disbursed if allocations else None,
        "rate": disbursement_rate(disbursed, allocated),
        "largest_year": max((a.allocated for a in allocations), default=0),
        "scale": max(project.total_investment or 0, allocated),
    }


def programme_project_counts() -> dict[tuple[int | None, str], int]:
    """How many projects each programme has in each status: ``{(programme_id, status): n}``."""
    rows = (
        Project.objects.published()
        .order_by()
        .values("programme_id", "status")
        .annotate(n=Count("pk"))
    )
    return {(row["programme_id"], row["status"]): row["n"] for row in rows}


# What the map (and the API's GeoJSON) needs of a project.
MAP_FIELDS = ("slug", "name", "name_en", "status", "latitude", "longitude", "location_approximate")


def project_map_properties():
    """A function giving a project's GeoJSON properties, labels in the active language."""
    url = reverse("projects:project-detail", args=["SLUG"])
    statuses = dict(Project.Status.choices)

    def properties(project) -> dict:
        return {
            "slug": project.slug,
            # In the page's language where recorded, else in Vietnamese.
            "name": in_language(project, "name")[0],
            "status": project.status,
            "status_label": str(statuses.get(project.status, "")),
            "approximate": project.location_approximate,
            "url": url.replace("SLUG", project.slug),
        }

    return properties


def allocation_excess(project: Project) -> dict | None:
    """``{"allocated": total}`` when the project's yearly allocations add up to more than its
    total investment (both in the project's currency), else None."""
    if project.pk is None or project.total_investment is None:
        return None
    allocated = YearlyAllocation.objects.filter(project=project).aggregate(total=Sum("allocated"))[
        "total"
    ]
    if allocated is None or allocated <= project.total_investment:
        return None
    return {"allocated": allocated}


def capital_plan() -> dict:
    """The capital plan of every project (drafts included: it is for staff): allocated and
    disbursed per year and currency, and per programme and currency, with disbursement rates,
    and the projects whose allocations exceed their total investment. Three queries."""
    per_year = (
        YearlyAllocation.objects.order_by()
        .values("year", "project__currency")
        .annotate(allocated=Sum("allocated"), disbursed=Sum("disbursed"), projects=Count("project"))
        .order_by("-year", "project__currency")
    )
    per_programme = (
        YearlyAllocation.objects.order_by()
        .values("project__programme_id", "project__programme__name", "project__currency")
        .annotate(allocated=Sum("allocated"), disbursed=Sum("disbursed"))
        .order_by("project__programme__name", "project__currency")
    )
    allocated = (
        YearlyAllocation.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("allocated"))
        .values("total")
    )
    over = (
        Project.objects.filter(total_investment__isnull=False)
        .annotate(allocated_total=Subquery(allocated))
        .filter(allocated_total__gt=F("total_investment"))
        .only("slug", "code", "name", "total_investment", "currency")
        .order_by("name", "pk")[:OVER_ALLOCATED_SHOWN]
    )

    def with_rate(row):
        return {**row, "rate": disbursement_rate(row["disbursed"], row["allocated"])}

    return {
        "years": [with_rate(row) for row in per_year],
        "programmes": [with_rate(row) for row in per_programme],
        "over_allocated": list(over),
    }


# The capital plan and the staff dashboard list at most this many records per heading.
OVER_ALLOCATED_SHOWN = 50
ATTENTION_SHOWN = 10

# Projects still to report on: not finished, not cancelled.
ACTIVE_STATUSES = (
    Project.Status.PROPOSED,
    Project.Status.APPROVED,
    Project.Status.UNDER_WAY,
    Project.Status.SUSPENDED,
)


def projects_without_recent_report(today: datetime.date | None = None):
    """Active projects with no progress report in the last ``TRACKER_REPORT_OVERDUE_DAYS``."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.TRACKER_REPORT_OVERDUE_DAYS)
    recent = ProgressReport.objects.filter(project=OuterRef("pk"), date__gte=cutoff)
    return Project.objects.filter(status__in=ACTIVE_STATUSES).filter(~Exists(recent))


def projects_past_planned_end(today: datetime.date | None = None):
    """Projects not yet in operation (nor cancelled) whose planned end has passed."""
    today = today or timezone.localdate()
    return Project.objects.filter(status__in=ACTIVE_STATUSES, planned_end__lt=today)


def allocations_not_disbursed(today: datetime.date | None = None):
    """Yearly allocations of this year and earlier with capital still to disburse."""
    today = today or timezone.localdate()
    return YearlyAllocation.objects.filter(year__lte=today.year, disbursed__lt=F("allocated"))


def staff_dashboard(today: datetime.date | None = None) -> dict:
    """What needs the staff's attention, for the admin index: per heading the number of records
    and the first ``ATTENTION_SHOWN`` of them. Six queries whatever the number of rows."""
    no_report = projects_without_recent_report(today)
    past_end = projects_past_planned_end(today)
    undisbursed = allocations_not_disbursed(today)
    return {
        "no_report": {
            "count": no_report.count(),
            "rows": list(
                no_report.only("pk", "name", "status").order_by("name", "pk")[:ATTENTION_SHOWN]
            ),
        },
        "past_end": {
            "count": past_end.count(),
            "rows": list(
                past_end.only("pk", "name", "status", "planned_end").order_by("planned_end", "pk")[
                    :ATTENTION_SHOWN
                ]
            ),
        },
        "undisbursed": {
            "count": undisbursed.count(),
            "rows": list(
                undisbursed.select_related("project")
                .only("pk", "year", "allocated", "disbursed", "project__name", "project__currency")
                .annotate(remaining=F("allocated") - F("disbursed"))
                .order_by("year", "-remaining", "pk")[:ATTENTION_SHOWN]
            ),
        },
        "overdue_days": settings.TRACKER_REPORT_OVERDUE_DAYS,
    }


# How many of a programme's projects its page lists; the rest are a link to the project list.
PROGRAMME_PROJECTS_SHOWN = 20


def programme_get(*, slug: str) -> Programme:
    """One programme with its sources; raises ``Programme.DoesNotExist``."""
    return Programme.objects.prefetch_related("citations__source").get(slug=slug)


def programme_overview(programme: Programme) -> dict:
    """What a programme's page shows of its projects, in three queries: how many are recorded
    in each status (every status listed), the capital allocated and disbursed per year and
    currency and over all years, and the first ``PROGRAMME_PROJECTS_SHOWN`` projects."""
    projects = Project.objects.published().filter(programme=programme)
    counts = dict(projects.order_by().values_list("status").annotate(n=Count("pk")))
    statuses = [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Project.Status.choices
    ]
    rows = (
        YearlyAllocation.objects.filter(project__is_published=True, project__programme=programme)
        .order_by()
        .values("year", "project__currency")
        .annotate(allocated=Sum("allocated"), disbursed=Sum("disbursed"))
    )
    years, totals = [], defaultdict(lambda: {"allocated": 0, "disbursed": 0})
    for row in sorted(rows, key=lambda r: (r["project__currency"], r["year"])):
        currency = row["project__currency"]
        values = {"allocated": row["allocated"], "disbursed": row["disbursed"]}
        years.append(
            {
                "year": row["year"],
                "currency": currency,
                **values,
                "rate": disbursement_rate(**values),
            }
        )
        totals[currency]["allocated"] += row["allocated"]
        totals[currency]["disbursed"] += row["disbursed"]
    per_currency = [
        {"currency": currency, **values, "rate": disbursement_rate(**values)}
        for currency, values in sorted(totals.items())
    ]
    return {
        "statuses": statuses,
        "recorded": sum(counts.values()),
        "years": years,
        "per_currency": per_currency,
        "projects": list(
            projects.select_related("district").order_by("name", "pk")[:PROGRAMME_PROJECTS_SHOWN]
        ),
    }


def programme_rows(programmes) -> list[dict]:
    """The programmes of a list page, each with its projects recorded and the capital allocated
    to them per currency, in two queries whatever the number of programmes."""
    programmes = list(programmes)
    ids = [programme.pk for programme in programmes]
    counts = dict(
        Project.objects.published()
        .filter(programme_id__any_of=ids)
        .order_by()
        .values_list("programme_id")
        .annotate(n=Count("pk"))
    )
    allocated = defaultdict(list)
    for row in (
        YearlyAllocation.objects.filter(
            project__is_published=True, project__programme_id__any_of=ids
        )
        .order_by("project__programme_id", "project__currency")
        .values("project__programme_id", "project__currency")
        .annotate(total=Sum("allocated"))
    ):
        allocated[row["project__programme_id"]].append((row["project__currency"], row["total"]))
    return [
        {
            "programme": programme,
            "recorded": counts.get(programme.pk, 0),
            "allocated": allocated.get(programme.pk, []),
        }
        for programme in programmes
    ]
