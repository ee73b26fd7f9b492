"""The columns of the gate list's and the trade list's CSV and XLSX downloads."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column, Rows

from .models import Gate

# The downloads read each gate as values (``core.exports.Rows``): each column names its field.
GATE_ROWS = Rows()

GATE_COLUMNS = (
    Column(_("Code"), "code"),
    Column(_("Name"), "name"),
    Column(_("Name in English"), "name_en"),
    Column(_("Kind"), "kind", Gate.Kind.choices),
    Column(_("Status"), "status", Gate.Status.choices),
    Column(_("Province"), "province"),
    Column(_("District"), "district__name"),
    Column(_("Counterpart across the border"), "counterpart_name"),
    Column(_("Counterpart country"), "counterpart_country"),
    Column(_("Counterpart locality"), "counterpart_locality"),
    Column(_("Belongs to the gate pair"), "parent__name"),
    Column(_("Economic zone"), "economic_zone__name"),
    Column(_("Latitude"), "latitude", unit="degrees"),
    Column(_("Longitude"), "longitude", unit="degrees"),
    Column(_("Position approximate"), "location_approximate"),
    Column(_("Location unconfirmed"), "location_unconfirmed"),
    Column(_("Synthetic test data"), "is_synthetic"),
    Column(_("Last updated"), "updated_at"),
)


# The trade records, read as values too.
TRADE_ROWS = Rows()

TRADE_COLUMNS = (
    Column(_("Gate"), "gate__name"),
    Column(_("Gate code"), "gate__code"),
    Column(_("Period start"), "period_start"),
    Column(_("Period end"), "period_end"),
    Column(_("Exports"), "exports", unit="money"),
    Column(_("Imports"), "imports", unit="money"),
    Column(_("Import-export turnover"), "turnover", unit="money"),
    Column(_("Currency"), "currency"),
    Column(_("Revenue collected"), "revenue_collected", unit="money"),
    Column(_("Currency of revenue"), "revenue_currency"),
    Column(_("Note"), "note"),
    Column(_("Source"), "source__title"),
    Column(_("Source address"), "source__url"),
    Column(_("Synthetic test data"), "is_synthetic"),
)
