"""Spreadsheet import of projects and of their yearly allocations (see ``core.imports``)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import (
    EXAMPLE_CODE,
    UNCHANGED,
    Column,
    ColumnType,
    Importer,
    Row,
    RowResult,
    by_codes,
    currency_column,
    field_column,
    published_column,
)
from core.models import District
from gates.models import Gate

from .models import Agency, Programme, Project, YearlyAllocation
from .services import allocation_save, project_check_status, project_save, project_set_status

T = ColumnType


def _project(name: str, type=T.TEXT, **options) -> Column:
    return field_column(Project, name, type, **options)


PROJECT_COLUMNS = (
    _project("code", T.CODE, required=True, example=EXAMPLE_CODE),
    _project(
        "name", required=True, example=gettext_lazy("EXAMPLE – delete this row before importing")
    ),
    _project("category", T.CHOICE, required=True, example=Project.Category.ROAD),
    _project("project_type", T.CHOICE, example=Project.Type.CONSTRUCTION),
    _project("status", T.CHOICE, example=Project.Status.UNDER_WAY),
    _project("funding_source", T.CHOICE, example=Project.FundingSource.PROVINCIAL_BUDGET),
    _project(
        "programme",
        T.CODE,
        hint=gettext_lazy("the programme's code or slug"),
        example="programme-code",
    ),
    _project("owner", T.CODE, hint=gettext_lazy("the agency's slug"), example="agency-slug"),
    _project("district", T.CODE, hint=gettext_lazy("the district's slug"), example="district-slug"),
    _project(
        "gates",
        T.CODES,
        hint=gettext_lazy("gate codes separated by ; or ,"),
        example="gate-code-1; gate-code-2",
    ),
    _project("total_investment", T.DECIMAL, example=Decimal("150000000000")),
    currency_column(Project),
    _project("approval_date", T.DATE, example=datetime.date(2024, 3, 15)),
    _project("planned_start", T.DATE, example=datetime.date(2024, 6, 1)),
    _project("planned_end", T.DATE, example=datetime.date(2026, 12, 31)),
    _project("actual_start", T.DATE),
    _project("actual_end", T.DATE),
    _project("progress_percent", T.DECIMAL, example=Decimal("12.5")),
    _project("length_km", T.DECIMAL, example=Decimal("4.25")),
    _project("description"),
    published_column(Project),
)

# Columns copied onto the project as they are.
PROJECT_FIELDS = (
    "name",
    "category",
    "project_type",
    "funding_source",
    "total_investment",
    "currency",
    "approval_date",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "progress_percent",
    "length_km",
    "description",
)


class ProjectImport(Importer):
    """Projects, matched by code. A status change of an existing project follows the status
    rules (``project_set_status``) unless the user may override them."""

    code = "projects"
    label = gettext_lazy("projects")
    permission = "projects.import_records"
    columns = PROJECT_COLUMNS
    field_columns = {"slug": "code"}

    def load(self, rows: list[Row]) -> None:
        self.projects = by_codes(
            Project.objects.prefetch_related("gates"), self.values(rows, "code"), "code"
        )
        self.programmes = by_codes(
            Programme.objects.all(), self.values(rows, "programme"), "code", "slug"
        )
        self.owners = by_codes(Agency.objects.all(), self.values(rows, "owner"), "slug")
        self.districts = by_codes(District.objects.all(), self.values(rows, "district"), "slug")
        self.gates = by_codes(Gate.objects.all(), self.values(rows, "gates"), "code")

    def import_row(self, row: Row, *, write: bool) -> RowResult:
        values = row.values
        project = self.projects.get(values["code"].lower())
        new = project is None
        if new:
            project = Project(code=values["code"], slug=slugify(values["code"]))
        references = {
            "programme": self.resolve(
                row, "programme", self.programmes, _("Unknown programme “%(value)s”.")
            ),
            "owner": self.resolve(row, "owner", self.owners, _("Unknown agency “%(value)s”.")),
            "district": self.resolve(
                row, "district", self.districts, _("Unknown district “%(value)s”.")
            ),
        }
        gates = self.resolve(row, "gates", self.gates, _("Unknown gates: %(value)s."))
        status = values.get("status")
        # A new project starts in any status; an existing one moves by the status rules.
        status_change = not new and status is not None and status != project.status
        wanted = {name: values.get(name) for name in PROJECT_FIELDS} | references
        if new:
            wanted["status"] = status
        changed = self.assign(row, project, wanted)
        if gates is not None and (new or set(gates) != set(project.gates.all())):
            changed.append("gates")
        self.publish(row, project, changed)
        result = self.result(row, new=new, changed=[*changed, *["status"] * status_change])
        if row.errors or result.action == UNCHANGED:
            return result

        may_override = self.user.has_perm("projects.override_status")
        try:
            if status_change:
                project_check_status(project=project, status=status, may_override=may_override)
        except ValidationError as exc:
            self.model_errors(row, exc)
        if new or changed:
            try:
                if write:
                    project_save(project=project, gates=gates)
                else:
                    project.full_clean()
            except ValidationError as exc:
                self.model_errors(row, exc)
        if write and status_change and not row.errors:
            project_set_status(project=project, status=status, may_override=may_override)
        return result


def _allocation(name: str, type=T.TEXT, **options) -> Column:
    return field_column(YearlyAllocation, name, type, **options)


ALLOCATION_COLUMNS = (
    _allocation(
        "project",
        T.CODE,
        required=True,
        hint=gettext_lazy("the project's code"),
        example=EXAMPLE_CODE,
    ),
    _allocation("year", T.INTEGER, required=True, example=2024),
    _allocation("allocated", T.DECIMAL, required=True, example=Decimal("50000000000")),
    _allocation("disbursed", T.DECIMAL, example=Decimal("20000000000")),
    currency_column(
        Project,
        hint=gettext_lazy(
            "the project's currency (checked, not changed: a project's years are in one currency)"
        ),
    ),
    _allocation("note"),
)


class AllocationImport(Importer):
    """Yearly allocations, matched by project code and year; amounts in the project's
    currency."""

    code = "allocations"
    label = gettext_lazy("yearly allocations")
    permission = "projects.import_records"
    columns = ALLOCATION_COLUMNS
    key_columns = ("project", "year")

    def load(self, rows: list[Row]) -> None:
        self.projects = by_codes(Project.objects.all(), self.values(rows, "project"), "code")
        self.allocations = {
            (allocation.project_id, allocation.year): allocation
            for allocation in YearlyAllocation.objects.filter(
                project__in=list(self.projects.values())
            ).select_related("project")
        }

    def import_row(self, row: Row, *, write: bool) -> RowResult:
        values = row.values
        project = self.resolve(row, "project", self.projects, _("Unknown project “%(value)s”."))
        if project is None:
            return self.result(row, new=False, changed=[])
        allocation = self.allocations.get((project.pk, values["year"]))
        new = allocation is None
        if new:
            allocation = YearlyAllocation(project=project, year=values["year"])
        currency = values.get("currency")
        if currency is not None and currency != project.currency:
            row.error(
                "currency",
                _("The amounts of “%(project)s” are in %(currency)s.")
                % {"project": project.code, "currency": project.currency},
            )
        wanted = {name: values.get(name) for name in ("allocated", "disbursed", "note")}
        changed = self.assign(row, allocation, wanted)
        result = self.result(row, new=new, changed=changed)
        if row.errors or result.action == UNCHANGED:
            return result
        try:
            if write:
                allocation_save(allocation=allocation)
            else:
                allocation.full_clean()
        except ValidationError as exc:
            self.model_errors(row, exc)
        return result
