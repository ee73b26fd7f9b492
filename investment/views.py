"""Public pages of investors and investments: the lists, their downloads, the investor page."""

from django.utils.translation import gettext_lazy as _

from core.selectors import reported_figures_for
from core.views import DataPackageView, ExportView, FilteredListView, RecordDetailView

from . import selectors
from .lists import INVESTMENTS, INVESTORS


class InvestorListView(FilteredListView):
    spec = INVESTORS
    template_name = "investment/investor_list.html"
    export_url_names = ("investment:investor-export-csv", "investment:investor-export-xlsx")


class InvestorExportView(ExportView):
    spec = INVESTORS


class InvestmentListView(FilteredListView):
    spec = INVESTMENTS
    template_name = "investment/investment_list.html"
    export_url_names = ("investment:investment-export-csv", "investment:investment-export-xlsx")


class InvestmentExportView(ExportView):
    spec = INVESTMENTS


class InvestorDetailView(RecordDetailView):
    selector = staticmethod(selectors.investor_get)
    not_found = _("No investor has this address.")
    template_name = "investment/investor_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        investments = list(self.object.investments.all())
        selectors.attach_investor_totals([self.object])
        context["investments"] = investments
        context["totals"] = self.object.capital_totals
        context["figures"] = reported_figures_for(self.object)
        return context


class InvestorDataPackageView(DataPackageView):
    spec = INVESTORS
    csv_url_name = "investment:investor-export-csv"


class InvestmentDataPackageView(DataPackageView):
    spec = INVESTMENTS
    csv_url_name = "investment:investment-export-csv"
