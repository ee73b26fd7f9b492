"""Spreadsheet import of investment projects (see ``core.imports``)."""

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

from .models import Investment, Investor
from .services import INVESTMENT_FIELDS, investment_update

T = ColumnType


def _investment(name: str, type=T.TEXT, **options) -> Column:
    return field_column(Investment, name, type, **options)


INVESTMENT_COLUMNS = (
    _investment("code", T.CODE, required=True, example=EXAMPLE_CODE),
    _investment(
        "name", required=True, example=gettext_lazy("EXAMPLE – delete this row before importing")
    ),
    _investment("name_en"),
    _investment("kind", T.CHOICE, required=True, example=Investment.Kind.FDI),
    _investment(
        "investors",
        T.CODES,
        required=True,
        hint=gettext_lazy("investor slugs separated by ; or ,"),
        example="investor-slug-1; investor-slug-2",
    ),
    _investment("capital", T.DECIMAL, example=Decimal("21675000")),
    currency_column(Investment, example="USD"),
    _investment("capital_type", T.CHOICE, example=Investment.CapitalType.REGISTERED),
    _investment("date", T.DATE, example=datetime.date(2024, 3, 15)),
    _investment("status", T.CHOICE, example=Investment.Status.LICENSED),
    _investment("gate", T.CODE, hint=gettext_lazy("the gate's code"), example="gate-code"),
    _investment(
        "district", T.CODE, hint=gettext_lazy("the district's slug"), example="district-slug"
    ),
    _investment("description"),
    _investment("description_en"),
    published_column(Investment),
)

# Columns copied onto the investment as they are.


class InvestmentImport(Importer):
    """Investment projects, matched by code, with their investors."""

    code = "investments"
    label = gettext_lazy("investment projects")
    permission = "investment.import_records"
    columns = INVESTMENT_COLUMNS
    field_columns = {"slug": "code"}

    def load(self, rows: list[Row]) -> None:
        self.investments = by_codes(
            Investment.objects.prefetch_related("investors"), self.values(rows, "code"), "code"
        )
        self.investors = by_codes(Investor.objects.all(), self.values(rows, "investors"), "slug")
        self.gates = by_codes(Gate.objects.all(), self.values(rows, "gate"), "code")
        self.districts = by_codes(District.objects.all(), self.values(rows, "district"), "slug")

    def import_row(self, row: Row, *, write: bool) -> RowResult:
        values = row.values
        investment = self.investments.get(values["code"].lower())
        if investment is None:
            investment = Investment(code=values["code"], slug=slugify(values["code"]))
        data = {name: values.get(name) for name in INVESTMENT_FIELDS} | {
            "gate": self.resolve(row, "gate", self.gates, _("Unknown gate “%(value)s”.")),
            "district": self.resolve(
                row, "district", self.districts, _("Unknown district “%(value)s”.")
            ),
            "investors": self.resolve(
                row, "investors", self.investors, _("Unknown investors: %(value)s.")
            ),
        }
        return self.write(row, investment_update, investment, data, write=write)
