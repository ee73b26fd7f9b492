"""The templates staff download: a kind of record's header and an example row, as CSV or XLSX."""

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

from .engine import Importer


def example_row(importer: type[Importer]) -> list[Any]:
    """The template's example row; its key is ``EXAMPLE_CODE``, which the import refuses."""
    return [
        column.example
        if isinstance(column.example, int | Decimal | datetime.date)
        else str(column.example)
        for column in importer.columns
    ]


def template_csv(importer: type[Importer]) -> bytes:
    """A CSV template: the header (column codes) and the example row, UTF-8 with a BOM so that
    Excel opens it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.code for column in importer.columns])
    writer.writerow([_example_text(value) for value in example_row(importer)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(importer: type[Importer]) -> bytes:
    """An XLSX template: the header (column codes) and the example row as typed cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(importer.label)[:31]
    sheet.append([column.code for column in importer.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(example_row(importer))
    for cell in sheet[2]:
        cell.font = Font(italic=True)
        if isinstance(cell.value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(cell.value, str):
            cell.data_type = "s"  # text, never a formula
    for index, column in enumerate(importer.columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            12, len(column.code) + 2
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _example_text(value: Any) -> str:
    """A template value written as a Vietnamese spreadsheet shows it: 1.500.000,5 and 31/12/2025."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | Decimal):
        integer, _point, fraction = f"{value:,}".partition(".")
        text = integer.replace(",", ".")
        return f"{text},{fraction}" if fraction else text
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
