"""Spreadsheet import of projects and of their yearly allocations (see ``core.imports``)."""

import datetime
from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports.cells import Column, ColumnType, currency_column, field_column, published_column
from core.imports.engine import EXAMPLE_CODE, Importer, RowResult, by_codes
from core.imports.reading import Row
from core.models import District
from gates.models import Gate

from .models import Agency, Programme, Project, YearlyAllocation
from .services import PROJECT_FIELDS, allocation_update, project_update

T = ColumnType


def _project(name: str, type=T.TEXT, **options) -> Column:
    return field_column(Project, name, type, **options)


PROJECT_COLUMNS = (
    _project("code", T.CODE, required=True, example=EXAMPLE_CODE),
    _project(
        "name", required=True, example=gettext_lazy("EXAMPLE – delete this row before importing")
    ),
    _project("name_en"),
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
    _project("description_en"),
    published_column(Project),
)


class ProjectImport(Importer):
    """Projects, matched by code, written by ``project_update``: a status change of an existing
    project follows the status rules unless the user may override them."""

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
        if project is None:
            project = Project(code=values["code"], slug=slugify(values["code"]))
        data = {name: values.get(name) for name in PROJECT_FIELDS} | {
            "programme": self.resolve(
                row, "programme", self.programmes, _("Unknown programme “%(value)s”.")
            ),
            "owner": self.resolve(row, "owner", self.owners, _("Unknown agency “%(value)s”.")),
            "district": self.resolve(
                row, "district", self.districts, _("Unknown district “%(value)s”.")
            ),
            "gates": self.resolve(row, "gates", self.gates, _("Unknown gates: %(value)s.")),
        }
        return self.write(row, project_update, project, data, write=write)


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
        data = {name: values.get(name) for name in ("allocated", "disbursed", "note")}
        return self.write(row, allocation_update, allocation, data, write=write)
