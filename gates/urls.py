from django.urls import path

from . import views

app_name = "gates"

urlpatterns = [
    path("", views.GateListView.as_view(), name="gate-list"),
    path("export.csv", views.GateExportView.as_view(format="csv"), name="gate-export-csv"),
    path("export.xlsx", views.GateExportView.as_view(format="xlsx"), name="gate-export-xlsx"),
    path("map.geojson", views.GateGeoJSONView.as_view(), name="gate-geojson"),
    path("<slug:slug>/", views.GateDetailView.as_view(), name="gate-detail"),
]
