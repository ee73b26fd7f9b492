from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site on top of the domain apps: the dashboard, the map, the admin's import and
    deleted-records pages, and the demo and synthetic data commands."""

    default = True
    name = "portal"
    verbose_name = _("Site")


class TrackerAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the tracker's own site (``portal.sites.TrackerAdminSite``)."""

    default = False
    default_site = "portal.sites.TrackerAdminSite"
