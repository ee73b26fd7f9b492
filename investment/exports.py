"""The columns of the investor and investment lists' CSV and XLSX downloads."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column

from .models import Investment, Investor


def _totals(investor) -> str:
    """Its capital per currency and kind (``attach_investor_totals`` set them on the rows)."""
    return "; ".join(
        f"{t['amount']} {t['currency']} ({t['label']})" for t in investor.capital_totals
    )


INVESTOR_COLUMNS = (
    Column(_("Name"), lambda i: i.name),
    Column(_("Name in English"), lambda i: i.name_en),
    Column(_("Kind"), lambda i: i.kind, Investor.Kind.choices),
    Column(_("Country"), lambda i: i.country),
    Column(_("Investment projects"), lambda i: len(i.investments.all()), type="integer"),
    Column(_("Capital per currency"), _totals),
    Column(_("Synthetic test data"), lambda i: i.is_synthetic, type="boolean"),
)

INVESTMENT_COLUMNS = (
    Column(_("Code"), lambda i: i.code),
    Column(_("Name"), lambda i: i.name),
    Column(_("Name in English"), lambda i: i.name_en),
    Column(_("Kind"), lambda i: i.kind, Investment.Kind.choices),
    Column(_("Status"), lambda i: i.status, Investment.Status.choices),
    Column(_("Investors"), lambda i: "; ".join(x.name for x in i.investors.all())),
    Column(
        _("Investor countries"),
        lambda i: "; ".join(sorted({x.country for x in i.investors.all() if x.country})),
    ),
    Column(_("Sectors"), lambda i: "; ".join(s.name for s in i.sectors.all())),
    Column(_("Currency"), lambda i: i.currency),
    Column(_("Capital"), lambda i: i.capital, type="number", unit="money"),
    Column(_("Capital is"), lambda i: i.capital_type, Investment.CapitalType.choices),
    Column(_("Date"), lambda i: i.date, type="date"),
    Column(_("District"), lambda i: i.district.name if i.district_id else ""),
    Column(_("Gate"), lambda i: i.gate.name if i.gate_id else ""),
    Column(_("Synthetic test data"), lambda i: i.is_synthetic, type="boolean"),
    Column(_("Last updated"), lambda i: i.updated_at, type="datetime"),
)
