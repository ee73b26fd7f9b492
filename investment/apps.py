from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "investment"
    verbose_name = _("Investment and aid")

    def ready(self):
        from core.imports.engine import register

        from .imports import InvestmentImport

        register(InvestmentImport)
