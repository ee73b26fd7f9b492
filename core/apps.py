from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Sources and reported figures")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from .cache import data_changed
        from .db import register_lookups
        from .roles import roles_sync, tracker_models

        register_lookups()

        # After every migrate (permissions are created then), bring the staff roles in step.
        post_migrate.connect(roles_sync, dispatch_uid="core.roles_sync")

        # A tracker record saved or deleted, or a link between two added or removed: results
        # kept in the cache are retired (core.cache). Connected per model, to the models whose
        # history already listens (a listener on every model would stop Django from deleting
        # the rows of a link table in bulk).
        def record_written(sender, **kwargs):
            data_changed()

        for model in tracker_models():
            for signal in (post_save, post_delete):
                signal.connect(record_written, sender=model, weak=False, dispatch_uid=id(model))
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    record_written,
                    sender=field.remote_field.through,
                    weak=False,
                    dispatch_uid=id(field.remote_field.through),
                )
        post_migrate.connect(data_changed, dispatch_uid="core.data_changed.migrate")
