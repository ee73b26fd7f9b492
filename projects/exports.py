"""The columns of the project list's CSV and XLSX downloads."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column, Rows, key

from .models import Project
from .selectors import complete_download_rows

# The downloads read each project as values (``core.exports.Rows``): each column names its
# field, or reads what ``complete_download_rows`` adds to each chunk (``key``).
PROJECT_ROWS = Rows(complete=complete_download_rows)

PROJECT_COLUMNS = (
    Column(_("Code"), "code"),
    Column(_("Name"), "name"),
    Column(_("Name in English"), "name_en"),
    Column(_("Status"), "status", Project.Status.choices),
    Column(_("Category"), "category", Project.Category.choices),
    Column(_("Type"), "project_type", Project.Type.choices),
    Column(_("Programme"), "programme__name"),
    Column(_("Gates served"), key("gates")),
    Column(_("District"), "district__name"),
    Column(_("Owner agency"), "owner__name"),
    Column(_("Funding source"), "funding_source", Project.FundingSource.choices),
    Column(_("Currency"), "currency"),
    Column(_("Total investment"), "total_investment", unit="money"),
    Column(_("Capital allocated (all years)"), key("allocated_total"), type="number", unit="money"),
    Column(_("Disbursed (all years)"), key("disbursed_total"), type="number", unit="money"),
    Column(_("Physical progress (%)"), "progress_percent", unit="percent"),
    Column(_("Approval date"), "approval_date"),
    Column(_("Planned start"), "planned_start"),
    Column(_("Planned end"), "planned_end"),
    Column(_("Length (km)"), "length_km", unit="km"),
    Column(_("Latitude"), "latitude", unit="degrees"),
    Column(_("Longitude"), "longitude", unit="degrees"),
    Column(_("Position approximate"), "location_approximate"),
    Column(_("Synthetic test data"), "is_synthetic"),
    Column(_("Last updated"), "updated_at"),
)
