from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Border-gate infrastructure")

    def ready(self):
        from core.imports.engine import register

        from .imports import AllocationImport, ProjectImport

        register(ProjectImport)
        register(AllocationImport)
