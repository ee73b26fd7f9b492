"""Public pages of projects: the filtered list, its exports and the project page."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.geojson import geojson_response
from core.selectors import reported_figures_for
from core.views import ExportView, FilteredListView

from . import selectors
from .exports import PROJECT_COLUMNS
from .filters import ProjectFilter
from .models import Project


class ProjectListView(FilteredListView):
    filterset_class = ProjectFilter
    selector = selectors.project_list
    prepare_rows = selectors.attach_capital_totals
    template_name = "projects/project_list.html"
    map_layer = "projects"
    export_url_names = ("projects:project-export-csv", "projects:project-export-xlsx")


class ProjectExportView(ExportView):
    filterset_class = ProjectFilter
    selector = selectors.project_list
    prepare_rows = selectors.attach_capital_totals
    columns = PROJECT_COLUMNS
    filename = "projects"
    title = _("Projects")


class ProjectDetailView(View):
    def get(self, request, slug):
        try:
            project = selectors.project_get(slug=slug)
        except Project.DoesNotExist:
            raise Http404(_("No project has this address.")) from None
        allocations = list(project.allocations.all())
        context = {
            "project": project,
            "allocations": allocations,
            "capital": selectors.allocation_totals(project, allocations),
            "figures": reported_figures_for(project),
        }
        return render(request, "projects/project_detail.html", context)


class ProjectGeoJSONView(View):
    """Every project with coordinates that matches the list's filters, for the map."""

    def get(self, request):
        filterset = ProjectFilter(
            request.GET, queryset=Project.objects.published().order_by("pk"), request=request
        )
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors}, status=400)
        queryset = filterset.qs.only(*selectors.MAP_FIELDS)
        return geojson_response(queryset, selectors.project_map_properties())
