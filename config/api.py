"""The API, version 1: one router for every app, the OpenAPI schema and its documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core.api.views import ReportedFigureViewSet
from gates.api.views import GateEventViewSet, GateViewSet, TradeRecordViewSet
from investment.api.views import InvestmentViewSet, InvestorViewSet
from projects.api.views import OC4IDSViewSet, ProgrammeViewSet, ProjectViewSet

router = DefaultRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("gates", GateViewSet, basename="gate")
router.register("gate-events", GateEventViewSet, basename="gate-event")
router.register("trade", TradeRecordViewSet, basename="trade")
router.register("investors", InvestorViewSet, basename="investor")
router.register("investments", InvestmentViewSet, basename="investment")
router.register("reported-figures", ReportedFigureViewSet, basename="reported-figure")
router.register("oc4ids", OC4IDSViewSet, basename="oc4ids")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, not inline (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
