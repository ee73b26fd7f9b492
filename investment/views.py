"""Public pages of investors and investments: lists, exports and the investor page."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.selectors import reported_figures_for
from core.views import ExportView, FilteredListView

from . import selectors
from .exports import INVESTMENT_COLUMNS, INVESTOR_COLUMNS
from .filters import InvestmentFilter, InvestorFilter
from .models import Investor


class InvestorListView(FilteredListView):
    filterset_class = InvestorFilter
    selector = selectors.investor_list
    template_name = "investment/investor_list.html"
    export_url_names = ("investment:investor-export-csv", "investment:investor-export-xlsx")


class InvestorExportView(ExportView):
    filterset_class = InvestorFilter
    selector = selectors.investor_list
    columns = INVESTOR_COLUMNS
    filename = "investors"
    title = _("Investors")


class InvestmentListView(FilteredListView):
    filterset_class = InvestmentFilter
    selector = selectors.investment_list
    template_name = "investment/investment_list.html"
    export_url_names = ("investment:investment-export-csv", "investment:investment-export-xlsx")


class InvestmentExportView(ExportView):
    filterset_class = InvestmentFilter
    selector = selectors.investment_list
    columns = INVESTMENT_COLUMNS
    filename = "investments"
    title = _("Investment projects")


class InvestorDetailView(View):
    def get(self, request, slug):
        try:
            investor = selectors.investor_get(slug=slug)
        except Investor.DoesNotExist:
            raise Http404(_("No investor has this address.")) from None
        investments = list(investor.investments.all())
        context = {
            "investor": investor,
            "investments": investments,
            "totals": selectors.capital_totals(investments),
            "figures": reported_figures_for(investor),
        }
        return render(request, "investment/investor_detail.html", context)
