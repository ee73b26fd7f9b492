from django.urls import path

from . import views

app_name = "investment"

urlpatterns = [
    path("investors/", views.InvestorListView.as_view(), name="investor-list"),
    path(
        "investors/export.csv",
        views.InvestorExportView.as_view(format="csv"),
        name="investor-export-csv",
    ),
    path(
        "investors/export.xlsx",
        views.InvestorExportView.as_view(format="xlsx"),
        name="investor-export-xlsx",
    ),
    path(
        "investors/export.datapackage.json",
        views.InvestorDataPackageView.as_view(),
        name="investor-export-datapackage",
    ),
    path("investors/<slug:slug>/", views.InvestorDetailView.as_view(), name="investor-detail"),
    path("investments/", views.InvestmentListView.as_view(), name="investment-list"),
    path(
        "investments/export.csv",
        views.InvestmentExportView.as_view(format="csv"),
        name="investment-export-csv",
    ),
    path(
        "investments/export.xlsx",
        views.InvestmentExportView.as_view(format="xlsx"),
        name="investment-export-xlsx",
    ),
    path(
        "investments/export.datapackage.json",
        views.InvestmentDataPackageView.as_view(),
        name="investment-export-datapackage",
    ),
]
