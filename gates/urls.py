from django.urls import path

from . import views

app_name = "gates"

urlpatterns = [
    path("", views.GateListView.as_view(), name="gate-list"),
    path("export.csv", views.GateExportView.as_view(format="csv"), name="gate-export-csv"),
    path("export.xlsx", views.GateExportView.as_view(format="xlsx"), name="gate-export-xlsx"),
    path(
        "export.datapackage.json",
        views.GateDataPackageView.as_view(),
        name="gate-export-datapackage",
    ),
    path("map.geojson", views.GateGeoJSONView.as_view(), name="gate-geojson"),
    path("<slug:slug>/", views.GateDetailView.as_view(), name="gate-detail"),
]

# Included at /trade/ by the root URLconf.
trade_urlpatterns = (
    [
        path("", views.TradeListView.as_view(), name="trade-list"),
        path("export.csv", views.TradeExportView.as_view(format="csv"), name="trade-export-csv"),
        path("export.xlsx", views.TradeExportView.as_view(format="xlsx"), name="trade-export-xlsx"),
        path(
            "export.datapackage.json",
            views.TradeDataPackageView.as_view(),
            name="trade-export-datapackage",
        ),
    ],
    "trade",
)

# Included at /zones/ by the root URLconf: economic zones and border markets.
zone_urlpatterns = (
    [
        path("", views.ZoneListView.as_view(), name="zone-list"),
        path("<slug:slug>/", views.ZoneDetailView.as_view(), name="zone-detail"),
    ],
    "zones",
)
