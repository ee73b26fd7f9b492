"""Spreadsheet import: staff upload a CSV or XLSX file of records, see a dry run, then apply it.

This module is the generic part: reading the file into rows, matching the header to the
columns a kind of record declares (``projects.imports``, ``investment.imports``), parsing each
cell, and the run that validates (dry run) or writes (apply) every row. Rows are matched to
existing records by their code, so importing a file again updates rather than duplicates.

Files
    XLSX (the first sheet) or CSV, told apart by their content. CSV is UTF-8 with or without
    a BOM, with "," or ";" between cells (whichever the header row uses more). The first
    non-blank row is the header; row numbers are the spreadsheet's (the header is row 1).

Header
    A column is named by its code (``total_investment``) or its Vietnamese or English label
    ("Tổng mức đầu tư"); case, diacritics, "_" and spaces do not matter.

Cells
    A blank cell leaves the field as it is (a new record gets the field's default), so a
    spreadsheet with only some columns filled never wipes data; clear a field in the admin.

Numbers
    "1.234.567,5", "1234,5", "1 234,5", "1,234.5", "1234.5" and "1234" are all read. When a
    number has both "." and ",", the last one is the decimal mark and the other groups
    thousands. A lone "." or "," followed by exactly three digits, after one to three digits
    that do not start with 0, groups thousands, as Vietnamese writes them: "1.234" and "1,234"
    are 1234. Any other lone "." or "," is the decimal mark: "1,5", "0,125", "1234.567". So to
    write 1.234 (with three decimals), write "1,2340" or use a number cell. XLSX number cells
    are used as they are.

Dates
    31/12/2025 (also 31-12-2025, 31.12.2025) or 2025-12-31, or an XLSX date cell.

Formulas are never evaluated: an XLSX formula is read as its text, and a text column stores it
as text; a number or date column refuses it.

Limits
    A file is refused, with a message and before anything is written, past 5 MB, 1,000 data
    rows, 200 columns, 16,384 cells in a row or 250,000 cells in all; an XLSX file also past
    100 MB unpacked, 50,000 shared strings (different texts) or XML too large for its cells (see
    ``_WorkbookCounter``). XLSX limits are counted on the packed file, streaming, before openpyxl
    reads it, since a file of a few hundred KB can unpack to millions of cells or strings. Reading
    stops after ``TRACKER_IMPORT_TIME_LIMIT`` seconds.
"""

import csv
import datetime
import enum
import io
import math
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import fold

MAX_FILE_SIZE = 5 * 1024 * 1024
# Every row is validated as the admin validates it (full_clean, CHECK constraints included: about
# 10 ms a row in the dry run, 20 ms in the apply with its history), so a file stays within the
# time of one request.
MAX_ROWS = 1000
# An XLSX file is a zip: refuse one that unpacks to far more than any honest sheet (a zip bomb).
MAX_UNZIPPED_SIZE = 100 * 1024 * 1024
# Blank rows are skipped but still read; a sheet formatted down to row 1,048,576 stops here.
MAX_PHYSICAL_ROWS = 20 * MAX_ROWS
MAX_COLUMNS = 200
MAX_CELL_LENGTH = 20_000
# Cells in all (1,000 rows of 200 columns, and some blank ones) and in one row (Excel's widest):
# openpyxl turns each XLSX cell into Python objects (about 10 µs each), so a zip packing
# millions of "<c/>" into a few hundred KB would otherwise hold a worker for minutes.
MAX_CELLS = 250_000
MAX_ROW_CELLS = 16_384
# An XLSX file's shared strings (its different texts) are all read before its first row.
MAX_SHARED_STRINGS = 50_000
# XML elements of an XLSX file: in all, in one row (a cell's rich text has several), and
# outside its rows (formats, names, strings…: read whole, so the time limit cannot cut them).
MAX_XML_ELEMENTS = 1_000_000
MAX_ROW_XML_ELEMENTS = 4 * MAX_ROW_CELLS
MAX_XML_ELEMENTS_OUTSIDE_ROWS = 200_000

# The key of the templates' example row: refused, so importing the template unedited is harmless.
EXAMPLE_CODE = "example-delete-this-row"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

_XLSX_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # old Excel .xls (and .doc…)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_YES = {"1", "yes", "y", "true", "x", "co"}
_NO = {"0", "no", "n", "false", "khong"}


class FileError(Exception):
    """The file as a whole cannot be imported; ``messages`` say why."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


class CellError(ValueError):
    """One cell's value is not what its column takes."""


class ColumnType(enum.StrEnum):
    TEXT = "text"
    CODE = "code"
    CODES = "codes"
    DECIMAL = "decimal"
    INTEGER = "integer"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"


FORMATS = {
    ColumnType.TEXT: gettext_lazy("text"),
    ColumnType.CODE: gettext_lazy("a code"),
    ColumnType.CODES: gettext_lazy("codes separated by ; or ,"),
    ColumnType.DECIMAL: gettext_lazy("a number: 1.234.567,5 or 1234567.5"),
    ColumnType.INTEGER: gettext_lazy("a whole number"),
    ColumnType.DATE: gettext_lazy("a date: 31/12/2025 or 2025-12-31"),
    ColumnType.BOOLEAN: gettext_lazy("yes or no (có/không, 1/0)"),
}


def header_key(value: object) -> str:
    """How a header cell or a choice is compared: folded, with "_", "-" and spaces alike."""
    return re.sub(r"[\s_\-]+", " ", fold(value)).strip(" *:")


def _labels(label) -> set[str]:
    """``label`` in every language of the site."""
    names = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(str(label))
    return names


@dataclass(frozen=True)
class Column:
    """One column a kind of record takes."""

    code: str
    label: Any  # a lazy translated string; its Vietnamese and English forms name the column too
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    choices: tuple = ()  # for CHOICE: the model field's (value, label) pairs
    negative: bool = False  # for numbers
    hint: Any = ""  # what the column takes, when its type does not say it all (a lazy string)
    example: Any = ""  # the value in the template's example row

    @cached_property
    def names(self) -> set[str]:
        return {header_key(self.code)} | {header_key(name) for name in _labels(self.label)}

    @cached_property
    def choice_keys(self) -> dict[str, str]:
        keys = {}
        for value, label in self.choices:
            keys[header_key(value)] = value
            keys.update((header_key(name), value) for name in _labels(label))
        return keys

    def format(self) -> str:
        """The values the column takes, for the import page and error messages."""
        if self.hint:
            return str(self.hint)
        if self.type == ColumnType.CHOICE:
            choices = ", ".join(f"{value} ({label})" for value, label in self.choices)
            return _("one of: %(choices)s") % {"choices": choices}
        return str(FORMATS[self.type])

    def parse(self, raw: Any) -> Any:
        """The cell's value, or None for a blank cell; raises ``CellError``."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if isinstance(raw, str):
            raw = raw.strip()
            if len(raw) > MAX_CELL_LENGTH:
                raise CellError(
                    _("The cell is too long (%(length)s characters; at most %(limit)s).")
                    % {"length": len(raw), "limit": MAX_CELL_LENGTH}
                )
            if "\x00" in raw:
                raise CellError(_("The cell contains a NUL character."))
            if raw.startswith("=") and self.type != ColumnType.TEXT:
                raise CellError(
                    _(
                        "“%(value)s” is a formula; formulas are not calculated. Paste the values "
                        "instead (Paste special → Values)."
                    )
                    % {"value": raw[:50]}
                )
        parse = getattr(self, f"_parse_{self.type}")
        return parse(raw)

    def _parse_text(self, raw) -> str:
        return as_text(raw)

    def _parse_code(self, raw) -> str:
        text = as_text(raw)
        if re.search(r"\s", text):
            raise CellError(_("“%(value)s” is not a code: codes have no spaces.") % {"value": text})
        return text

    def _parse_codes(self, raw) -> list[str]:
        codes = [code.strip() for code in re.split(r"[;,\n]", as_text(raw))]
        return list(dict.fromkeys(code for code in codes if code))

    def _parse_decimal(self, raw) -> Decimal:
        return parse_decimal(raw, negative=self.negative)

    def _parse_integer(self, raw) -> int:
        value = parse_decimal(raw, negative=self.negative)
        if value != value.to_integral_value():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
        return int(value)

    def _parse_date(self, raw) -> datetime.date:
        return parse_date(raw)

    def _parse_boolean(self, raw) -> bool:
        if isinstance(raw, bool):
            return raw
        key = fold(as_text(raw))
        if key in _YES or key in _NO:
            return key in _YES
        raise CellError(
            _("“%(value)s” is not yes or no: write có or không (yes/no, 1/0).") % {"value": raw}
        )

    def _parse_choice(self, raw) -> str:
        value = self.choice_keys.get(header_key(as_text(raw)))
        if value is None:
            raise CellError(
                _("“%(value)s” is not accepted here: write %(format)s.")
                % {"value": raw, "format": self.format()}
            )
        return value


def field_column(model: type[models.Model], name: str, type=ColumnType.TEXT, **options) -> Column:
    """The column for the model field ``name``: labelled with its verbose name, with its
    choices for a choice column."""
    model_field = model._meta.get_field(name)
    if type == ColumnType.CHOICE:
        options.setdefault("choices", tuple(model_field.choices))
    return Column(code=name, label=model_field.verbose_name, type=type, **options)


def currency_column(model: type[models.Model], **options) -> Column:
    options.setdefault("hint", gettext_lazy("an ISO 4217 currency code: VND, USD, CNY…"))
    options.setdefault("example", "VND")
    return field_column(model, "currency", ColumnType.CHOICE, **options)


def published_column(model: type[models.Model]) -> Column:
    """The optional ``published`` column (see ``Importer.publish``)."""
    return Column(
        code="published",
        label=model._meta.get_field("is_published").verbose_name,
        type=ColumnType.BOOLEAN,
        example=False,
    )


def as_text(raw: Any) -> str:
    """A cell as text: XLSX numbers without a spurious ".0", dates as 2025-12-31."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime | datetime.date):
        return raw.isoformat()
    return str(raw).strip()


def parse_decimal(raw: Any, *, negative: bool = False) -> Decimal:
    """A number from a cell, by the rule in the module docstring; raises ``CellError``."""
    if isinstance(raw, bool | datetime.date | datetime.time):
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
    if isinstance(raw, int | Decimal):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
        value = Decimal(repr(raw))  # the shortest form that reads back as the same float
    else:
        value = _decimal_from_text(str(raw))
    if not value.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
    if value < 0 and not negative:
        raise CellError(
            _("“%(value)s” is negative; this column takes zero or more.") % {"value": raw}
        )
    return value


def _decimal_from_text(text: str) -> Decimal:
    invalid = CellError(
        _("“%(value)s” is not a number. Write numbers as 1.234.567,5 or 1234567.5.")
        % {"value": text[:50]}
    )
    number = text.translate(_SPACES).strip()
    sign = ""
    if number[:1] in ("-", "+", "−"):
        sign = "" if number[0] == "+" else "-"
        number = number[1:].lstrip()
    if not re.fullmatch(r"\d[\d., ]*", number):
        raise invalid
    dots, commas = number.count("."), number.count(",")
    # Split off the decimals; what is left is the integer part, maybe grouped by thousands.
    integer, fraction = number, None
    if dots and commas:
        point = "." if number.rfind(".") > number.rfind(",") else ","
        if number.count(point) > 1:
            raise invalid
        integer, fraction = number.split(point)
    elif dots + commas == 1:
        integer, fraction = re.split(r"[.,]", number)
        # "1.234" is one thousand two hundred and thirty-four (Vietnamese), not 1.234.
        if len(fraction) == 3 and re.fullmatch(r"[1-9]\d{0,2}", integer):
            integer, fraction = f"{integer} {fraction}", None
    groups = re.split(r"[., ]", integer)
    if len(groups) > 1 and not (
        re.fullmatch(r"\d{1,3}", groups[0]) and all(re.fullmatch(r"\d{3}", g) for g in groups[1:])
    ):
        raise invalid
    if fraction is not None and not re.fullmatch(r"\d+", fraction):
        raise invalid
    digits = "".join(groups) + (f".{fraction}" if fraction else "")
    try:
        return Decimal(sign + digits)
    except InvalidOperation:
        raise invalid from None


def parse_date(raw: Any) -> datetime.date:
    """A date from an XLSX date cell, 31/12/2025 (or with "-" or ".") or 2025-12-31."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = as_text(raw)
    invalid = CellError(
        _("“%(value)s” is not a date. Write dates as 31/12/2025 or 2025-12-31.") % {"value": text}
    )
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        day, month, year = match.groups()
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = match.groups()
    else:
        raise invalid
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise invalid from None


# Reading the file ---------------------------------------------------------------------------


@dataclass
class Row:
    """A data row: its spreadsheet row number, its parsed values and what is wrong with it."""

    number: int
    raw: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column code or "", message)
    is_example: bool = False  # the templates' example row

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))


@dataclass
class Table:
    headers: dict[str, str]  # column code → the header as the file wrote it
    rows: list[Row]


def read_table(data: bytes, columns: Iterable[Column]) -> Table:
    """Read an uploaded CSV or XLSX file; raises ``FileError`` when it cannot be imported."""
    columns = list(columns)
    if not data:
        raise FileError(_("The file is empty."))
    if len(data) > MAX_FILE_SIZE:
        raise FileError(
            _("The file is larger than %(size)s.") % {"size": _megabytes(MAX_FILE_SIZE)}
        )
    deadline = _Deadline()
    if data.startswith(_XLSX_SIGNATURE):
        lines = _xlsx_rows(data, deadline)
    elif data.startswith(_OLE_SIGNATURE):
        raise FileError(
            _(
                "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as "
                "CSV UTF-8."
            )
        )
    else:
        lines = _csv_rows(data)
    header_number, header, matched = 0, [], []
    rows: list[Row] = []
    for number, cells in lines:
        deadline.check()
        if number > MAX_PHYSICAL_ROWS:
            raise _too_many_rows()
        if all(_blank(cell) for cell in cells):
            continue
        if not header_number:
            header_number, header = number, list(cells)
            matched = _match_header(header, columns)
            continue
        if len(rows) == MAX_ROWS:
            raise _too_many_rows()
        row = Row(number=number, raw={})
        for index, cell in enumerate(cells[:MAX_COLUMNS]):
            if index < len(matched) and matched[index] is not None:
                row.raw[matched[index].code] = cell
            elif index >= len(matched) and not _blank(cell):
                row.error(
                    "", _("Column %(index)s has a value but no header.") % {"index": index + 1}
                )
        rows.append(row)
    if not header_number:
        raise FileError(_("The file has no header row."))
    headers = {column.code: str(header[i]).strip() for i, column in enumerate(matched) if column}
    return Table(headers=headers, rows=rows)


def _too_many_rows() -> FileError:
    return FileError(
        _("The file has more than %(count)s rows; split it into several files.")
        % {"count": formats.number_format(MAX_ROWS, force_grouping=True)}
    )


def _too_many_cells() -> FileError:
    return FileError(
        _("The file has more than %(count)s cells; split it into several files.")
        % {"count": formats.number_format(MAX_CELLS, force_grouping=True)}
    )


def _row_too_long(number: int) -> FileError:
    return FileError(
        _("Row %(row)s has more than %(count)s cells.")
        % {"row": number, "count": formats.number_format(MAX_ROW_CELLS, force_grouping=True)}
    )


class _Deadline:
    """The time reading a file may take: ``TRACKER_IMPORT_TIME_LIMIT`` seconds from now."""

    def __init__(self):
        self.seconds = settings.TRACKER_IMPORT_TIME_LIMIT
        self.end = time.monotonic() + self.seconds

    def check(self) -> None:
        """Raise ``FileError`` once the time is up."""
        if time.monotonic() >= self.end:
            raise FileError(
                _(
                    "Reading the file took more than %(seconds)s seconds, the limit; split it "
                    "into several files."
                )
                % {"seconds": formats.number_format(self.seconds)}
            )


def _megabytes(size: int) -> str:
    return _("%(size)s MB") % {"size": size // (1024 * 1024)}


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _match_header(header: list, columns: list[Column]) -> list[Column | None]:
    while header and _blank(header[-1]):
        header.pop()
    by_name = {name: column for column in columns for name in column.names}
    matched: list[Column | None] = []
    errors, unknown, seen = [], [], set()
    for index, cell in enumerate(header[:MAX_COLUMNS]):
        column = by_name.get(header_key(cell))
        matched.append(column)
        if _blank(cell):
            errors.append(_("Column %(index)s has no header.") % {"index": index + 1})
        elif column is None:
            unknown.append(f"“{str(cell).strip()[:50]}”")
        elif column.code in seen:
            errors.append(_("The column “%(column)s” appears twice.") % {"column": column.code})
        else:
            seen.add(column.code)
    if len(header) > MAX_COLUMNS:
        errors.append(_("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS})
    if unknown:
        errors.append(
            _("Unknown columns: %(columns)s. The columns are: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(c.code for c in columns)}
        )
    missing = [column.code for column in columns if column.required and column.code not in seen]
    if missing:
        errors.append(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if errors:
        raise FileError(*errors)
    return matched


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    if b"\x00" in data:
        # UTF-16 text (Excel's "Unicode text") and binary files such as images have NUL bytes.
        raise FileError(
            _(
                "This is neither an XLSX workbook nor a CSV file in UTF-8. In Excel, use Save as "
                "“CSV UTF-8 (Comma delimited)” or “Excel Workbook (.xlsx)”."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileError(
            _(
                "The file is not UTF-8 text (line %(line)s). In Excel, use Save as “CSV UTF-8 "
                "(Comma delimited)”, or save the file as an Excel workbook (.xlsx)."
            )
            % {"line": line}
        ) from None
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    # Vietnamese Excel writes ";" between cells (the "," is the decimal mark); header names
    # have neither, so the one the header uses more is the delimiter.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = cells_read = 0
    try:
        for number, cells in enumerate(reader, start=1):
            # A row is read whole (at most the 5 MB of the file); refuse it before using it.
            if len(cells) > MAX_ROW_CELLS:
                raise _row_too_long(number)
            cells_read += len(cells)
            if cells_read > MAX_CELLS:
                raise _too_many_cells()
            yield number, cells
    except csv.Error:
        raise FileError(
            _(
                "Row %(row)s cannot be read: a quote is not closed or a cell is longer than "
                "the import allows."
            )
            % {"row": number + 1}
        ) from None


def _xlsx_rows(data: bytes, deadline: _Deadline) -> Iterator[tuple[int, tuple]]:
    from openpyxl import load_workbook  # only when an XLSX file comes

    unreadable = FileError(
        _(
            "The file is not a readable Excel workbook (.xlsx). Open it in Excel and save it "
            "again as .xlsx, or as CSV UTF-8."
        )
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            if unzipped > MAX_UNZIPPED_SIZE:
                raise FileError(
                    _("The workbook is too large once unpacked; split it into several files.")
                )
            counter = _WorkbookCounter(deadline, unreadable)
            for info in archive.infolist():
                deadline.check()
                with archive.open(info) as part:
                    counter.read(part)
    except FileError:
        raise
    except Exception:  # a broken, encrypted or oddly compressed zip, a part not as declared…
        raise unreadable from None
    try:
        # Read-only: rows are streamed; formulas come as their text, never calculated. Each
        # read from the zip checks the time, so a part that parses slowly stops too.
        workbook = load_workbook(_TimedFile(data, deadline), read_only=True, data_only=False)
    except FileError:
        raise
    except Exception:  # openpyxl raises anything from KeyError to XML errors on a bad file
        raise unreadable from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        yield from enumerate(rows, start=1)
    except FileError:
        raise
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()


class _TimedFile(io.BytesIO):
    """The upload as openpyxl reads it: once the time is up, its next read stops the parse."""

    def __init__(self, data: bytes, deadline: _Deadline):
        super().__init__(data)
        self.deadline = deadline

    def read(self, size: int | None = -1, /) -> bytes:
        self.deadline.check()
        return super().read(size)


_OUTSIDE, _ROW, _IN_ROW = range(3)  # where an XML element is, for _WorkbookCounter
_COUNT_RE = re.compile(r"\d{1,18}")


class _WorkbookCounter:
    """Counts what an XLSX file holds by streaming each of its parts through expat (no tree, no
    objects) and refuses it, with a ``FileError``, as soon as it holds more than the limits.

    It counts as openpyxl reads, whatever the parts are named or declared: every child of a
    ``<row>`` is a cell (openpyxl reads each as one), every ``<si>`` a shared string, and every
    element outside rows (formats, names, strings; openpyxl reads them whole, before the first
    row) adds to one more limit. A document type declaration (which no workbook has; entities
    can multiply text) makes the file unreadable. A part that is not XML (an image) is skipped:
    openpyxl does not parse it either.
    """

    def __init__(self, deadline: _Deadline, unreadable: FileError):
        self.deadline = deadline
        self.unreadable = unreadable
        self.elements = self.outside_rows = self.cells = self.strings = 0

    def read(self, part) -> None:
        """Count the elements of one part (a file-like object)."""
        # The counts of the whole workbook, as locals while this part is read (it is faster).
        elements, outside_rows, cells, strings = (
            self.elements,
            self.outside_rows,
            self.cells,
            self.strings,
        )
        stack = [_OUTSIDE]  # where each open element is: _OUTSIDE, _ROW or _IN_ROW
        rows: list[list[int]] = []  # per open <row>: its number, cells and elements
        last_row = 0
        local_names: dict[str, str] = {}  # "x:row" → "row"

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal elements, outside_rows, cells, strings, last_row
            elements += 1
            if elements > MAX_XML_ELEMENTS:
                raise self._too_large(MAX_XML_ELEMENTS)
            local = local_names.get(name)
            if local is None:
                local = local_names[name] = name.rpartition(":")[2]
            where = stack[-1]
            if where != _OUTSIDE:
                row = rows[-1]
                row[2] += 1
                if row[2] > MAX_ROW_XML_ELEMENTS:
                    raise self._too_large(MAX_ROW_XML_ELEMENTS, row=row[0])
                if where == _ROW:
                    row[1] += 1
                    cells += 1
                    if row[1] > MAX_ROW_CELLS:
                        raise _row_too_long(row[0])
                    if cells > MAX_CELLS:
                        raise _too_many_cells()
            elif local != "row":
                outside_rows += 1
                if outside_rows > MAX_XML_ELEMENTS_OUTSIDE_ROWS:
                    raise self._too_large(MAX_XML_ELEMENTS_OUTSIDE_ROWS, outside_rows=True)
            if local == "row":
                number = attrs.get("r", "")
                last_row = int(number) if _COUNT_RE.fullmatch(number) else last_row + 1
                rows.append([last_row, 0, 0])
                stack.append(_ROW)
                return
            if local == "si":
                strings += 1
                if strings > MAX_SHARED_STRINGS:
                    raise self._too_many_strings()
            elif local == "sst":
                # The count it declares: refuse at once a file that says it is too large.
                declared = attrs.get("uniqueCount", "")
                if _COUNT_RE.fullmatch(declared) and int(declared) > MAX_SHARED_STRINGS:
                    raise self._too_many_strings()
            stack.append(_OUTSIDE if where == _OUTSIDE else _IN_ROW)

        def end(name: str) -> None:
            if stack.pop() == _ROW:
                rows.pop()

        def doctype(*args) -> None:
            raise self.unreadable

        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.StartDoctypeDeclHandler = doctype
        try:
            while chunk := part.read(64 * 1024):
                self.deadline.check()
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            pass  # not XML, or broken: openpyxl refuses it in turn if the workbook needs it
        self.elements, self.outside_rows, self.cells, self.strings = (
            elements,
            outside_rows,
            cells,
            strings,
        )

    def _too_many_strings(self) -> FileError:
        return FileError(
            _(
                "The workbook has more than %(count)s different texts (shared strings); split "
                "it into several files."
            )
            % {"count": formats.number_format(MAX_SHARED_STRINGS, force_grouping=True)}
        )

    def _too_large(
        self, limit: int, *, row: int | None = None, outside_rows: bool = False
    ) -> FileError:
        count = formats.number_format(limit, force_grouping=True)
        if row is not None:
            message = _("Row %(row)s holds more than %(count)s XML elements.")
        elif outside_rows:
            message = _(
                "The workbook holds more than %(count)s XML elements besides its cells "
                "(formats, names, charts…). Copy the cells to import into a new workbook, or "
                "save the sheet as CSV UTF-8."
            )
        else:
            message = _(
                "The workbook holds more than %(count)s XML elements; split it into several files."
            )
        return FileError(message % {"count": count, "row": row})


# Running an import -------------------------------------------------------------------------


@dataclass
class RowResult:
    """What the import does with one row: its action, or why it cannot."""

    number: int
    key: str
    action: str = ""
    changed: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Report:
    """The outcome of a dry run or an apply."""

    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, "errors": 0}
        for row in self.rows:
            counts["errors" if row.errors else row.action] += 1
        return counts

    @property
    def can_apply(self) -> bool:
        return not self.has_errors and any(row.action != UNCHANGED for row in self.rows)


class Importer:
    """One kind of record staff can import. Subclasses declare ``columns`` and implement
    ``load`` (fetch every record the file refers to, one query per model) and ``import_row``.

    A new instance serves one run, for one user: what they may publish and which status
    changes they may make are checked with their permissions.
    """

    code: str
    label: Any
    # The permission needed to import this kind of file ("projects.import_records").
    permission: str
    columns: tuple[Column, ...]
    # The columns that identify a record: a file names each record once.
    key_columns: tuple[str, ...] = ("code",)
    # Model field names whose errors belong to another column (a new record's slug is its code).
    field_columns: dict[str, str] = {}

    def __init__(self, *, user):
        self.user = user

    def key(self, row: Row) -> tuple | None:
        """What identifies the row's record, or None when a key cell is blank or wrong."""
        key = tuple(row.values.get(column) for column in self.key_columns)
        if any(part is None for part in key):
            return None
        return tuple(str(part).lower() for part in key)

    def label_of(self, row: Row) -> str:
        return " ".join(str(row.values.get(column, "")) for column in self.key_columns).strip()

    def load(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def import_row(self, row: Row, *, write: bool) -> RowResult:
        raise NotImplementedError

    def run(self, data: bytes, *, write: bool) -> Report:
        """Dry run (``write=False``, nothing written) or apply: every row or none."""
        try:
            table = read_table(data, self.columns)
        except FileError as exc:
            return Report(file_errors=exc.messages)
        rows = table.rows
        self._parse(rows)
        self.load(rows)
        if write:
            with transaction.atomic():
                results = [self._import(row, write=True) for row in rows]
                written = not any(result.errors for result in results)
                if not written:
                    transaction.set_rollback(True)
        else:
            results, written = [self._import(row, write=False) for row in rows], False
        for result in results:
            result.errors = [(table.headers.get(c, c), message) for c, message in result.errors]
            result.changed = [table.headers.get(c, c) for c in result.changed]
        return Report(rows=results, written=written)

    def _parse(self, rows: list[Row]) -> None:
        first_row: dict[Any, int] = {}
        for row in rows:
            for column in self.columns:
                if column.code not in row.raw:
                    continue
                try:
                    value = column.parse(row.raw[column.code])
                except CellError as exc:
                    row.error(column.code, str(exc))
                    continue
                if value is not None:
                    row.values[column.code] = value
            if any(fold(value) == EXAMPLE_CODE for value in row.values.values()):
                row.is_example = True
                row.errors = [("", _("This is the template's example row: delete it."))]
            key = self.key(row)
            if key is None:
                continue
            if key in first_row:
                row.error(
                    "",
                    _("Row %(row)s is for the same record; each record may appear only once.")
                    % {"row": first_row[key]},
                )
            first_row.setdefault(key, row.number)

    def _import(self, row: Row, *, write: bool) -> RowResult:
        if row.is_example:
            return RowResult(number=row.number, key=self.label_of(row), errors=row.errors)
        if self.key(row) is None:
            failed = {column for column, _message in row.errors}
            for column in self.key_columns:
                if column not in row.values and column not in failed:
                    row.error(column, _("This cell cannot be blank."))
            return RowResult(number=row.number, key=self.label_of(row), errors=row.errors)
        try:
            result = self.import_row(row, write=write)
        except IntegrityError:
            # Another user saved a conflicting record meanwhile (the row passed validation).
            row.error("", _("The row conflicts with a record saved meanwhile; try again."))
            result = RowResult(number=row.number, key=self.label_of(row))
        result.errors = row.errors
        if result.errors:
            result.action = ""
        return result

    # Helpers for ``import_row`` ---------------------------------------------------------

    def values(self, rows: list[Row], column: str) -> set[str]:
        """Every value of ``column`` in the file (the codes of a codes column)."""
        found = set()
        for row in rows:
            value = row.values.get(column)
            found.update(value if isinstance(value, list) else [] if value is None else [value])
        return {str(value) for value in found}

    def resolve(self, row: Row, column: str, records: dict[str, models.Model], message: str):
        """The record a reference cell names (one, or a list for a codes column); an error
        naming the unknown codes otherwise. ``message`` has a ``%(value)s``."""
        value = row.values.get(column)
        if value is None:
            return None
        codes = value if isinstance(value, list) else [value]
        unknown = [code for code in codes if code.lower() not in records]
        if unknown:
            row.error(column, message % {"value": ", ".join(unknown)})
            return None
        found = [records[code.lower()] for code in codes]
        return found if isinstance(value, list) else found[0]

    def write(
        self, row: Row, service, instance: models.Model, data: dict[str, Any], *, write: bool
    ) -> RowResult:
        """Bring ``instance`` to the row's ``data`` (field → value; a blank or missing cell,
        None, changes nothing; the key columns found the record and are not changed) with the
        record's write ``service``: a dry run unless ``write``. The optional ``published``
        column sets ``is_published``. The service's refusals (its rules, the model's validation)
        become the row's errors, by column."""
        new = instance._state.adding
        data = {
            name: value
            for name, value in data.items()
            if value is not None and name not in self.key_columns
        }
        if row.values.get("published") is not None:
            data["is_published"] = row.values["published"]
        if row.errors:
            return self.result(row, new=new, changed=[])
        try:
            changed = service(instance, data=data, user=self.user, save=write)
        except ValidationError as exc:
            self.model_errors(row, exc)
            changed = {}
        columns = {"is_published": "published"}
        return self.result(row, new=new, changed=[columns.get(name, name) for name in changed])

    def model_errors(self, row: Row, exc: ValidationError) -> None:
        """Turn a model's ``ValidationError`` into the row's errors, by column."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                row.error("", message)
            return
        for name, messages in exc.message_dict.items():
            columns = {"is_published": "published", **self.field_columns}
            column = "" if name == NON_FIELD_ERRORS else columns.get(name, name)
            for message in messages:
                row.error(column, message)

    def result(self, row: Row, *, new: bool, changed: list[str]) -> RowResult:
        action = CREATE if new else UPDATE if changed else UNCHANGED
        return RowResult(number=row.number, key=self.label_of(row), action=action, changed=changed)


# The kinds of file staff can import, by code, in the order the apps register them
# (``register`` in each domain app's ``AppConfig.ready()``); the import page offers these.
_importers: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Offer ``importer`` on the import page (called from its app's ``AppConfig.ready()``)."""
    _importers[importer.code] = importer
    return importer


def importers() -> dict[str, type[Importer]]:
    """Every registered importer, by code."""
    return dict(_importers)


def by_codes(queryset: models.QuerySet, codes: set[str], *fields: str) -> dict[str, Any]:
    """The records whose ``fields`` (code, slug…) are among ``codes``, in one query, keyed by
    each of those fields lowercased (codes are matched regardless of case)."""
    if not codes:
        return {}
    wanted = codes | {code.lower() for code in codes}
    condition = models.Q()
    for name in fields:
        condition |= models.Q(**{f"{name}__in": wanted})
    records = {}
    for record in queryset.filter(condition):
        for name in fields:
            records.setdefault(getattr(record, name).lower(), record)
    return records


# Templates ---------------------------------------------------------------------------------


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
