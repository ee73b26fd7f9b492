"""The columns of the project list's CSV and XLSX downloads."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column

from .models import Project

PROJECT_COLUMNS = (
    Column(_("Code"), lambda p: p.code),
    Column(_("Name"), lambda p: p.name),
    Column(_("Status"), lambda p: p.status, Project.Status.choices),
    Column(_("Category"), lambda p: p.category, Project.Category.choices),
    Column(_("Type"), lambda p: p.project_type, Project.Type.choices),
    Column(_("Programme"), lambda p: p.programme.name if p.programme_id else ""),
    Column(_("Gates served"), lambda p: "; ".join(g.name for g in p.gates.all())),
    Column(_("District"), lambda p: p.district.name if p.district_id else ""),
    Column(_("Owner agency"), lambda p: p.owner.name if p.owner_id else ""),
    Column(_("Funding source"), lambda p: p.funding_source, Project.FundingSource.choices),
    Column(_("Currency"), lambda p: p.currency),
    Column(_("Total investment"), lambda p: p.total_investment),
    Column(_("Capital allocated (all years)"), lambda p: p.allocated_total),
    Column(_("Disbursed (all years)"), lambda p: p.disbursed_total),
    Column(_("Physical progress (%)"), lambda p: p.progress_percent),
    Column(_("Approval date"), lambda p: p.approval_date),
    Column(_("Planned start"), lambda p: p.planned_start),
    Column(_("Planned end"), lambda p: p.planned_end),
    Column(_("Length (km)"), lambda p: p.length_km),
    Column(_("Latitude"), lambda p: p.latitude),
    Column(_("Longitude"), lambda p: p.longitude),
    Column(_("Position approximate"), lambda p: p.location_approximate),
    Column(_("Synthetic test data"), lambda p: p.is_synthetic),
    Column(_("Last updated"), lambda p: p.updated_at),
)
