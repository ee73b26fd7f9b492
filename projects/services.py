"""Writes of projects, yearly allocations, events, progress reports and photos: the admin (its
inline rows too), the API, the import and the commands all call these.

Each takes the record as stored (or new), the wanted ``data`` and the ``user`` who writes, and
decides what changed, the role rules (``core.services``), the status rules and the history; a
refusal raises ``core.exceptions.RecordError`` and writes nothing.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import RecordError
from core.services import forbidden, is_new, may, record_save, record_update

from .models import ProgressReport, Project, ReportPhoto, YearlyAllocation

# What may be written on a project: the API's write shape (its read shape adds ids, totals,
# allocations and timestamps) and the import's columns (those it has).
PROJECT_FIELDS = (
    "code",
    "slug",
    "name",
    "name_en",
    "programme",
    "gates",
    "category",
    "project_type",
    "status",
    "funding_source",
    "owner",
    "district",
    "total_investment",
    "currency",
    "approval_date",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "progress_percent",
    "length_km",
    "latitude",
    "longitude",
    "location_approximate",
    "description",
    "description_en",
    "is_published",
)

# What an editor (who may change projects, not add them) may change: where a project stands.
PROJECT_EDITOR_FIELDS = ("status", "progress_percent", "actual_start", "actual_end")

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
    """Raise ``RecordError`` unless ``project`` may move from its stored status to ``status``."""
    if status not in Project.Status.values:
        raise RecordError(
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
    raise RecordError({"status": message})


def project_update(project: Project, /, *, data: dict[str, Any], user=None, **options) -> dict:
    """Create or change a project; return what changed.

    An existing project's status moves by ``STATUS_CHANGES`` unless ``user`` may override them
    (``projects.override_status``); a new one starts in any status. Editors change only
    ``PROJECT_EDITOR_FIELDS``. ``options``: those of ``core.services.record_update``.
    """

    def status_rule(stored: Project, changed: dict) -> None:
        if "status" in changed and not is_new(stored):
            project_check_status(
                project=stored,
                status=changed["status"],
                may_override=may(user, "projects.override_status"),
            )

    return record_update(
        project,
        data=data,
        user=user,
        editor_fields=PROJECT_EDITOR_FIELDS,
        checks=[status_rule],
        **options,
    )


def projects_set_status(*, projects: Iterable[Project], status: str, user=None) -> int:
    """Set the status of several projects at once, all or none; return how many changed.

    For those who may override the status rules (managers), and only forward even for them:
    reopening or going back is done one project at a time, on its own page."""
    if not may(user, "projects.override_status"):
        raise forbidden("status", _("Only a manager can change the status of several projects."))
    changed = 0
    with transaction.atomic():
        for project in projects:
            project_check_status(project=project, status=status)
            changed += bool(project_update(project, data={"status": status}, user=user))
    return changed


def allocation_update(
    allocation: YearlyAllocation, /, *, data: dict[str, Any], user=None, **options
) -> dict:
    """Create or change one year's capital allocation and disbursement of a project."""
    return record_update(allocation, data=data, user=user, **options)


def report_post(
    report: ProgressReport, /, *, data: dict[str, Any] | None = None, user=None, **options
) -> ProgressReport:
    """Save a progress report and bring its project to what it says: the status (under the
    status rules, see ``project_update``) and the physical progress.

    All or nothing: a status change the rules refuse saves neither the report nor the project.
    An older report than the project's latest one is kept, but does not move the project back.
    ``save=False`` checks all of this and writes nothing.
    """
    save = options.get("save", True)
    with transaction.atomic():
        if user is not None and user.is_authenticated and report.author_id is None:
            report.author = user
        record_update(report, data=data or {}, user=user, **options)
        project = (Project.objects.select_for_update() if save else Project.objects.all()).get(
            pk=report.project_id
        )
        newer = (
            ProgressReport.objects.filter(project=project, date__gt=report.date)
            .exclude(pk=report.pk)
            .exists()
        )
        if newer:
            return report
        wanted = {"status": report.status}
        if report.progress_percent is not None:
            wanted["progress_percent"] = report.progress_percent
        project_update(project, data=wanted, user=user, save=save)
    return report


def report_photo_save(*, photo: ReportPhoto, user=None) -> ReportPhoto:
    """Validate and save a report's photo.

    A new upload is decoded and re-encoded, with its thumbnail, by ``ReportPhoto`` itself
    (``full_clean`` decodes it and refuses what cannot be decoded, ``save`` stores the result),
    so a photo saved any other way is cleaned the same.
    """
    if user is not None and user.is_authenticated:
        photo._history_user = user
    return record_save(instance=photo)
