"""Public pages of projects: the filtered list, its downloads and GeoJSON, the project page;
the programmes' list and pages."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from core.cache import KeptAnswerMixin
from core.charts import bar_rows
from core.formatting import money_scales
from core.history import information_date
from core.selectors import reported_figures_for
from core.views import (
    PAGE_SIZE,
    DataPackageView,
    ExportView,
    FilteredListView,
    GeoJSONView,
    RecordDetailView,
)

from . import selectors
from .lists import PROJECTS


class ProjectListView(FilteredListView):
    spec = PROJECTS
    template_name = "projects/project_list.html"
    map_layer = "projects"
    export_url_names = ("projects:project-export-csv", "projects:project-export-xlsx")


class ProjectExportView(ExportView):
    spec = PROJECTS


class ProjectDataPackageView(DataPackageView):
    spec = PROJECTS
    csv_url_name = "projects:project-export-csv"


class ProjectGeoJSONView(GeoJSONView):
    spec = PROJECTS


class ProjectDetailView(RecordDetailView):
    selector = staticmethod(selectors.project_get)
    not_found = _("No project has this address.")
    template_name = "projects/project_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allocations = list(self.object.allocations.all())
        context["allocations"] = allocations
        context["capital"] = selectors.allocation_totals(self.object, allocations)
        figures = list(reported_figures_for(self.object))
        context["figures"] = figures
        context["information_date"] = information_date(
            self.object.citations.all(),
            [(e.date, e.date_precision) for e in self.object.events.all()]
            + [(r.date, "day") for r in self.object.latest_reports]
            + [(f.as_of, f.as_of_precision) for f in figures],
        )
        return context


class ProgrammeListView(KeptAnswerMixin, ListView):
    """Every programme, with its projects planned and recorded and its capital."""

    template_name = "projects/programme_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.programme_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.programme_rows(context["object_list"])
        return context


class ProgrammeDetailView(RecordDetailView):
    """A programme: its plan beside what is recorded of it (projects by status, capital per
    year), the figures reported about it, its projects and its sources."""

    selector = staticmethod(selectors.programme_get)
    not_found = _("No programme has this address.")
    template_name = "projects/programme_detail.html"
    context_object_name = "programme"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = self.object
        overview = selectors.programme_overview(programme)
        context["overview"] = overview
        context["figures"] = reported_figures_for(programme)
        context["status_rows"] = bar_rows(overview["statuses"], lambda s: s["count"])
        context["year_rows"] = bar_rows(
            overview["years"], lambda y: y["allocated"], lambda y: y["currency"]
        )
        # The plan, what is allocated and what is disbursed, each currency in one unit.
        context["scales"] = money_scales(
            [(programme.currency, programme.allocated_capital)]
            + [
                (row["currency"], amount)
                for row in [*overview["years"], *overview["per_currency"]]
                for amount in (row["allocated"], row["disbursed"])
            ]
            + [(f.currency, f.value) for f in context["figures"] if f.unit == "money"]
        )
        return context
