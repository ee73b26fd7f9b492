"""The staff roles, as Django groups with model permissions; kept in step after every migrate.

- viewer: reads everything in the admin, changes nothing;
- editor: updates projects (status, progress…), yearly allocations and disbursements, adds
  project events, sources and citations; deletes nothing;
- editor also posts progress reports (with photos), but cannot change or delete them;
- manager: everything on the tracker's records, deleting, publishing, any status change and
  spreadsheet import included.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from .history import is_history

TRACKER_APPS = ("core", "gates", "projects", "investment")

VIEWER, EDITOR, MANAGER = "viewer", "editor", "manager"

# (app_label, model): actions beyond "view" that an editor has.
EDITOR_ACTIONS = {
    ("projects", "project"): ("change",),
    ("projects", "yearlyallocation"): ("add", "change"),
    ("projects", "projectevent"): ("add", "change"),
    ("projects", "progressreport"): ("add",),
    ("projects", "reportphoto"): ("add",),
    ("core", "source"): ("add", "change"),
    ("core", "citation"): ("add", "change"),
}


# Managers lift sign-in lockouts (django-axes): they see the attempts and delete them.
MANAGER_EXTRA = {
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accessfailurelog"),
    ("axes", "view_accesslog"),
}


def tracker_models():
    """The tracker's own models; their history is read through them, not granted apart."""
    for label in TRACKER_APPS:
        yield from (m for m in apps.get_app_config(label).get_models() if not is_history(m))


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """Each role's permissions as ``(app_label, codename)``."""
    roles: dict[str, set[tuple[str, str]]] = {VIEWER: set(), EDITOR: set(), MANAGER: set()}
    for model in tracker_models():
        app_label, name = model._meta.app_label, model._meta.model_name
        view = (app_label, f"view_{name}")
        roles[VIEWER].add(view)
        roles[EDITOR].add(view)
        for action in EDITOR_ACTIONS.get((app_label, name), ()):
            roles[EDITOR].add((app_label, f"{action}_{name}"))
        for action in ("view", "add", "change", "delete"):
            roles[MANAGER].add((app_label, f"{action}_{name}"))
        # Publishing, status overrides and spreadsheet import (the models' own permissions).
        for codename, _label in model._meta.permissions:
            roles[MANAGER].add((app_label, codename))
    roles[MANAGER] |= MANAGER_EXTRA
    return roles


def roles_sync(**kwargs) -> None:
    """Create the groups and give each exactly its permissions (idempotent)."""
    wanted = role_permissions()
    permissions = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={*TRACKER_APPS, *(app for app, _code in MANAGER_EXTRA)}
        )
    }
    for role, codes in wanted.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([permissions[code] for code in sorted(codes) if code in permissions])
