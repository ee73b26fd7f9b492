"""The project list: its page (/projects/), downloads, GeoJSON, API list and OC4IDS read this."""

from django.utils.translation import gettext_lazy as _

from core.lists import ListSpec

from . import selectors
from .exports import PROJECT_COLUMNS, PROJECT_ROWS
from .filters import ProjectFilter

PROJECTS = ListSpec(
    name="projects",
    title=_("Projects"),
    filterset=ProjectFilter,
    selector=selectors.project_list,
    prepare=selectors.attach_capital_totals,
    columns=PROJECT_COLUMNS,
    download=PROJECT_ROWS,
    map_fields=selectors.MAP_FIELDS,
    map_properties=selectors.project_map_properties,
)
