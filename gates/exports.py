"""The columns of the gate list's CSV and XLSX downloads."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column

from .models import Gate

GATE_COLUMNS = (
    Column(_("Code"), lambda g: g.code),
    Column(_("Name"), lambda g: g.name),
    Column(_("Kind"), lambda g: g.kind, Gate.Kind.choices),
    Column(_("Status"), lambda g: g.status, Gate.Status.choices),
    Column(_("Province"), lambda g: g.province),
    Column(_("District"), lambda g: g.district.name if g.district_id else ""),
    Column(_("Counterpart across the border"), lambda g: g.counterpart_name),
    Column(_("Counterpart country"), lambda g: g.counterpart_country),
    Column(_("Counterpart locality"), lambda g: g.counterpart_locality),
    Column(_("Belongs to the gate pair"), lambda g: g.parent.name if g.parent_id else ""),
    Column(_("Economic zone"), lambda g: g.economic_zone.name if g.economic_zone_id else ""),
    Column(_("Latitude"), lambda g: g.latitude),
    Column(_("Longitude"), lambda g: g.longitude),
    Column(_("Position approximate"), lambda g: g.location_approximate),
    Column(_("Location unconfirmed"), lambda g: g.location_unconfirmed),
    Column(_("Synthetic test data"), lambda g: g.is_synthetic),
    Column(_("Last updated"), lambda g: g.updated_at),
)
