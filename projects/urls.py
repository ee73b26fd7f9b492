from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project-list"),
    path(
        "export.csv",
        views.ProjectExportView.as_view(format="csv"),
        name="project-export-csv",
    ),
    path(
        "export.xlsx",
        views.ProjectExportView.as_view(format="xlsx"),
        name="project-export-xlsx",
    ),
    path(
        "export.datapackage.json",
        views.ProjectDataPackageView.as_view(),
        name="project-export-datapackage",
    ),
    path("map.geojson", views.ProjectGeoJSONView.as_view(), name="project-geojson"),
    path("<slug:slug>/", views.ProjectDetailView.as_view(), name="project-detail"),
]

# Included at /programmes/ by the root URLconf.
programme_urlpatterns = (
    [
        path("", views.ProgrammeListView.as_view(), name="programme-list"),
        path("<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    ],
    "programmes",
)
