"""Public pages of projects: the filtered list, its downloads and GeoJSON, the project page."""

from django.utils.translation import gettext_lazy as _

from core.selectors import reported_figures_for
from core.views import ExportView, FilteredListView, GeoJSONView, RecordDetailView

from . import selectors
from .lists import PROJECTS


class ProjectListView(FilteredListView):
    spec = PROJECTS
    template_name = "projects/project_list.html"
    map_layer = "projects"
    export_url_names = ("projects:project-export-csv", "projects:project-export-xlsx")


class ProjectExportView(ExportView):
    spec = PROJECTS


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
        context["figures"] = reported_figures_for(self.object)
        return context
