"""Reading an uploaded CSV or XLSX file into rows: the file's limits, the header matched to the
columns, and the count of an XLSX file's parts before openpyxl reads it.

Files
    XLSX (the first sheet) or CSV, told apart by their content. CSV is UTF-8 with or without
    a BOM, with "," or ";" between cells (whichever the header row uses more). The first
    non-blank row is the header; row numbers are the spreadsheet's (the header is row 1).

Header
    A column is named by its code (``total_investment``) or its Vietnamese or English label
    ("Tổng mức đầu tư"); case, diacritics, "_" and spaces do not matter.

Limits
    A file is refused, with a message and before anything is written, past 5 MB, 1,000 data
    rows, 200 columns, 16,384 cells in a row or 250,000 cells in all; an XLSX file also past
    100 MB unpacked, 50,000 shared strings (different texts) or XML too large for its cells (see
    ``_WorkbookCounter``). XLSX limits are counted on the packed file, streaming, before openpyxl
    reads it, since a file of a few hundred KB can unpack to millions of cells or strings. Reading
    stops after ``TRACKER_IMPORT_TIME_LIMIT`` seconds.
"""

import csv
import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _

from .cells import Column, header_key

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

_XLSX_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # old Excel .xls (and .doc…)


class FileError(Exception):
    """The file as a whole cannot be imported; ``messages`` say why."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


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
