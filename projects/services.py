"""Writes for projects. Admin, API, import and commands all call these."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from core.services import record_save, set_many
from gates.models import Gate

from .exceptions import ProjectStatusError
from .models import Project, YearlyAllocation


def project_save(*, project: Project, gates: Iterable[Gate] | None = None) -> Project:
    """Validate and save a project, and set the gates it serves when given."""
    with transaction.atomic():
        record_save(instance=project)
        if gates is not None:
            set_many(instance=project, field="gates", objects=list(gates))
    return project


def project_set_status(*, project: Project, status: str, allow_reopen: bool = False) -> Project:
    """Move a project to ``status``.

    A cancelled project stays cancelled unless ``allow_reopen`` is given (who may do that is the
    caller's permission check).
    """
    if status not in Project.Status.values:
        raise ProjectStatusError(
            {"status": _("“%(status)s” is not a project status.") % {"status": status}}
        )
    if status == project.status:
        return project
    if project.status == Project.Status.CANCELLED and not allow_reopen:
        raise ProjectStatusError(
            {
                "status": _("“%(project)s” is cancelled; it cannot be reopened.")
                % {"project": project}
            }
        )
    project.status = status
    return record_save(instance=project, update_fields=["status", "updated_at"])


def projects_set_status(*, projects: Iterable[Project], status: str) -> int:
    """Set the status of several projects, all or none; return how many changed."""
    changed = 0
    with transaction.atomic():
        for project in projects:
            before = project.status
            project_set_status(project=project, status=status)
            changed += before != status
    return changed


def allocation_save(*, allocation: YearlyAllocation) -> YearlyAllocation:
    """Validate and save one year's capital allocation and disbursement."""
    return record_save(instance=allocation)
