"""Writes for projects. Admin, API, import and commands all call these."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from core.services import record_save, set_many
from gates.models import Gate

from .exceptions import ProjectStatusError
from .models import ProgressReport, Project, ReportPhoto, YearlyAllocation


def project_save(*, project: Project, gates: Iterable[Gate] | None = None) -> Project:
    """Validate and save a project, and set the gates it serves when given."""
    with transaction.atomic():
        record_save(instance=project)
        if gates is not None:
            set_many(instance=project, field="gates", objects=list(gates))
    return project


S = Project.Status

# The status changes anyone who may change a project can make; any other (a cancelled project
# reopened, an operating one back to "proposed"…) needs the ``projects.override_status``
# permission (managers), because it rewrites what the public was told.
STATUS_CHANGES: dict[str, set[str]] = {
    S.PROPOSED: {S.APPROVED, S.UNDER_WAY, S.SUSPENDED, S.CANCELLED},
    S.APPROVED: {S.UNDER_WAY, S.SUSPENDED, S.CANCELLED},
    S.UNDER_WAY: {S.IN_OPERATION, S.SUSPENDED, S.CANCELLED},
    S.SUSPENDED: {S.APPROVED, S.UNDER_WAY, S.CANCELLED},
    S.IN_OPERATION: {S.SUSPENDED},
    S.CANCELLED: set(),
}


def project_check_status(*, project: Project, status: str, may_override: bool = False) -> None:
    """Raise ``ProjectStatusError`` unless ``project`` may move from its stored status to
    ``status``."""
    if status not in Project.Status.values:
        raise ProjectStatusError(
            {"status": _("“%(status)s” is not a project status.") % {"status": status}}
        )
    current = project.status
    if status == current or may_override or status in STATUS_CHANGES.get(current, set()):
        return
    labels = dict(Project.Status.choices)
    if current == Project.Status.CANCELLED:
        message = _("“%(project)s” is cancelled; only a manager can reopen it.") % {
            "project": project
        }
    else:
        message = _(
            "“%(project)s” cannot go from “%(old)s” to “%(new)s”; only a manager can make "
            "that change."
        ) % {"project": project, "old": labels[current], "new": labels[status]}
    raise ProjectStatusError({"status": message})


def project_set_status(*, project: Project, status: str, may_override: bool = False) -> Project:
    """Move a project to ``status`` under the status rules (``STATUS_CHANGES``); who may
    override them is the caller's permission check (``projects.override_status``)."""
    project_check_status(project=project, status=status, may_override=may_override)
    if status == project.status:
        return project
    project.status = status
    return record_save(instance=project, update_fields=["status", "updated_at"])


def projects_set_status(
    *, projects: Iterable[Project], status: str, may_override: bool = False
) -> int:
    """Set the status of several projects, all or none; return how many changed."""
    changed = 0
    with transaction.atomic():
        for project in projects:
            before = project.status
            project_set_status(project=project, status=status, may_override=may_override)
            changed += before != status
    return changed


def allocation_save(*, allocation: YearlyAllocation) -> YearlyAllocation:
    """Validate and save one year's capital allocation and disbursement."""
    return record_save(instance=allocation)


def report_post(*, report: ProgressReport, user=None, may_override: bool = False) -> ProgressReport:
    """Save a progress report and bring its project to what it says: the status (under the
    status rules, see ``project_check_status``) and the physical progress.

    All or nothing: a status change the rules refuse saves neither the report nor the project.
    An older report than the project's latest one is kept, but does not move the project back.
    """
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=report.project_id)
        if user is not None and user.is_authenticated:
            if report.author_id is None:
                report.author = user
            # The history names who made the change, also outside a web request.
            report._history_user = project._history_user = user
        record_save(instance=report)
        newer = (
            ProgressReport.objects.filter(project=project, date__gt=report.date)
            .exclude(pk=report.pk)
            .exists()
        )
        if newer:
            return report
        try:
            project_check_status(project=project, status=report.status, may_override=may_override)
        except ProjectStatusError as error:
            raise ProjectStatusError({"status": error.message_dict["status"]}) from None
        project.status = report.status
        if report.progress_percent is not None:
            project.progress_percent = report.progress_percent
        record_save(instance=project)
    return report


def report_photo_save(*, photo: ReportPhoto) -> ReportPhoto:
    """Validate and save a report's photo.

    A new upload is decoded and re-encoded, with its thumbnail, by ``ReportPhoto`` itself
    (``full_clean`` decodes it and refuses what cannot be decoded, ``save`` stores the result),
    so a photo saved any other way is cleaned the same.
    """
    return record_save(instance=photo)
