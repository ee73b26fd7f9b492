"""Projects as an OC4IDS 0.9 project package (Open Contracting for Infrastructure Data Standard).

The mapping, in one place:
- ``id``: the publisher's registered prefix (``settings.TRACKER_OC4IDS_PREFIX``) and the code;
- ``status``: proposed → identification, approved → preparation, under way and suspended →
  implementation, in operation → completion, cancelled → cancelled (projectStatus, closed);
- ``type``: the project type, which uses the projectType codes (closed);
- ``sector``: the category as projectSector codes (open);
- ``period``: planned start and end; ``budget``: the total investment with its approval date, and
  the yearly allocations as a budget breakdown; ``transactions``: the yearly disbursements that
  were made (none of 0 or not reported), each dated at its year's end or, for the year under
  way, today: never in the future;
- ``updated``: the project's last change; ``language``: "vi", the language of its texts;
- ``locations``: a GeoJSON point where the position is recorded, and the address (district,
  province, country) where the district is known;
- ``parties``: the owner agency as public authority (its legal name; no registry identifier is
  recorded for Vietnamese agencies), and every funder the funding source names: a public budget,
  or the (unnamed) ODA donors, private partners of a PPP, private investors, or several sources;
  ``documents``: the project's progress reports (``physicalProgressReport``, on its page), the
  cited sources (without a type: OC4IDS has no code for a press article or a reference page, and
  the kind of a legal document is not recorded) and the project page.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from .models import Project

STATUS = {
    Project.Status.PROPOSED: "identification",
    Project.Status.APPROVED: "preparation",
    Project.Status.UNDER_WAY: "implementation",
    Project.Status.SUSPENDED: "implementation",
    Project.Status.IN_OPERATION: "completion",
    Project.Status.CANCELLED: "cancelled",
}
SECTORS = {
    Project.Category.ROAD: ["transport", "transport.road"],
    Project.Category.BRIDGE: ["transport", "transport.road"],
    Project.Category.LOGISTICS: ["transport"],
    Project.Category.INSPECTION: ["governance"],
    Project.Category.PLANNING: ["economy"],
    Project.Category.MARKET: ["economy"],
    Project.Category.TOURISM: ["cultureSportsAndRecreation"],
}
# Funding sources that name a public budget, as the funder party they stand for.
FUNDERS = {
    Project.FundingSource.CENTRAL_BUDGET: (
        "central-budget",
        "Ngân sách trung ương (central state budget)",
    ),
    Project.FundingSource.PROVINCIAL_BUDGET: (
        "provincial-budget",
        "Ngân sách tỉnh (provincial budget)",
    ),
    Project.FundingSource.STATE_BUDGET: ("state-budget", "Ngân sách nhà nước (state budget)"),
    Project.FundingSource.ODA: ("oda-donors", "Nhà tài trợ ODA (ODA donors, not named)"),
    Project.FundingSource.PPP: (
        "ppp-private-partners",
        "Nhà đầu tư đối tác công tư (private partners of the PPP, not named)",
    ),
    Project.FundingSource.PRIVATE: (
        "private-investors",
        "Nhà đầu tư tư nhân (private investors, not named)",
    ),
    Project.FundingSource.MIXED: (
        "mixed-sources",
        "Nhiều nguồn vốn (several sources, not broken down)",
    ),
}
# The country of every project, as OC4IDS addresses name it.
COUNTRY = "Viet Nam"


def moment(date: datetime.date | None, *, end: bool = False) -> str | None:
    """A date as the date-time OC4IDS expects, in Viet Nam's time zone."""
    if date is None:
        return None
    time = "23:59:59" if end else "00:00:00"
    return f"{date.isoformat()}T{time}+07:00"


def value(amount, currency: str) -> dict | None:
    if amount is None:
        return None
    return {"amount": float(Decimal(amount)), "currency": currency}


def project_id(project: Project) -> str:
    return f"{settings.TRACKER_OC4IDS_PREFIX}{project.code}"


def disbursed_on(year: int, today: datetime.date) -> str:
    """When a year's disbursement is counted: its last day, or today for the year under way."""
    if year >= today.year:
        return timezone.localtime().isoformat(timespec="seconds")
    return moment(datetime.date(year, 12, 31), end=True)


def project_release(
    project: Project,
    *,
    page_url: str,
    allocations,
    citations,
    reports=(),
    today: datetime.date | None = None,
) -> dict:
    """One project in OC4IDS, with its yearly ``allocations`` (in year order), its ``citations``
    (with their sources) and its progress ``reports``; every key without a value is left out."""
    today = today or timezone.localdate()
    parties, authority = [], None
    if project.owner_id:
        authority = {"id": f"agency-{project.owner.slug}", "name": project.owner.name}
        parties.append(
            {
                **authority,
                "identifier": {"legalName": project.owner.name},
                "roles": ["publicAuthority"],
            }
        )
    funder = FUNDERS.get(project.funding_source)
    if funder:
        parties.append({"id": funder[0], "name": funder[1], "roles": ["funder"]})
    allocations = list(allocations)
    budget = {
        "amount": value(project.total_investment, project.currency),
        "approvalDate": moment(project.approval_date),
    }
    if allocations:
        budget["budgetBreakdowns"] = [
            {
                "id": "yearly-allocations",
                "description": "Capital allocated per year",
                "budgetBreakdown": [
                    {
                        "id": str(a.year),
                        "amount": value(a.allocated, project.currency),
                        "period": {
                            "startDate": moment(datetime.date(a.year, 1, 1)),
                            "endDate": moment(datetime.date(a.year, 12, 31), end=True),
                        },
                    }
                    for a in allocations
                ],
            }
        ]
    release = {
        "id": project_id(project),
        "title": project.name,
        "description": project.description or None,
        "status": STATUS.get(project.status),
        "type": project.project_type or None,
        "sector": SECTORS.get(project.category),
        "period": compact(
            {
                "startDate": moment(project.planned_start),
                "endDate": moment(project.planned_end, end=True),
            }
        ),
        "budget": compact(budget),
        "updated": timezone.localtime(project.updated_at).isoformat(timespec="seconds")
        if project.updated_at
        else None,
        "language": "vi",
        "transactions": [
            {
                "id": f"{a.year}-disbursed",
                "date": disbursed_on(a.year, today),
                "value": value(a.disbursed, project.currency),
                **({"payer": {"id": funder[0], "name": funder[1]}} if funder else {}),
            }
            for a in allocations
            if a.disbursed and a.year <= today.year
        ]
        or None,
        "locations": locations(project),
        "parties": parties or None,
        "publicAuthority": authority,
        "documents": [
            {
                "id": f"report-{report.pk}",
                "documentType": "physicalProgressReport",
                "title": f"Progress report of {report.date.isoformat()}",
                "url": f"{page_url}#report-{report.pk}",
                "datePublished": moment(report.date),
                "language": "vi",
            }
            for report in reports
        ]
        + [
            compact(
                {
                    "id": citation.source.code,
                    "title": citation.source.title,
                    "url": citation.source.url or None,
                    "datePublished": moment(citation.source.published_on),
                    "language": citation.source.language or None,
                }
            )
            for citation in citations
        ]
        + [{"id": "page", "title": "Project page on the tracker", "url": page_url}],
        "identifiers": [{"id": project.code, "scheme": "tracker-code"}],
    }
    return compact(release)


def address(project: Project) -> dict | None:
    """The project's address as far as it is known: its district, province and country."""
    if not project.district_id:
        return None
    district = project.district
    return compact({"locality": district.name, "region": district.province, "countryName": COUNTRY})


def locations(project: Project) -> list[dict] | None:
    """Where the project is: its position (a GeoJSON point) and its address, either or both."""
    location = compact(
        {
            "id": "1",
            "description": "Approximate position"
            if project.has_coordinates and project.location_approximate
            else None,
            "geometry": {
                "type": "Point",
                "coordinates": [float(project.longitude), float(project.latitude)],
            }
            if project.has_coordinates
            else None,
            "address": address(project),
        }
    )
    return [location] if len(location) > 1 else None


def compact(mapping: dict) -> dict:
    """``mapping`` without its empty values (OC4IDS fields may be absent, not null)."""
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}
