"""The investor and investment lists: their pages, downloads and API lists read these."""

from django.utils.translation import gettext_lazy as _

from core.lists import ListSpec

from . import selectors
from .exports import INVESTMENT_COLUMNS, INVESTOR_COLUMNS
from .filters import InvestmentFilter, InvestorFilter

INVESTORS = ListSpec(
    name="investors",
    title=_("Investors"),
    filterset=InvestorFilter,
    selector=selectors.investor_list,
    prepare=selectors.attach_investor_totals,
    columns=INVESTOR_COLUMNS,
)

INVESTMENTS = ListSpec(
    name="investments",
    title=_("Investment projects"),
    filterset=InvestmentFilter,
    selector=selectors.investment_list,
    columns=INVESTMENT_COLUMNS,
)
