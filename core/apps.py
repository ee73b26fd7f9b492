from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Sources and reported figures")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import roles_sync

        # After every migrate (permissions are created then), bring the staff roles in step.
        post_migrate.connect(roles_sync, dispatch_uid="core.roles_sync")
