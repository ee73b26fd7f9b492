"""An XLSX workbook written as it is sent: the rows go into the zip archive one chunk at a time and
each chunk of compressed bytes leaves at once, so the first byte comes before the first row is
read and a million rows never sit in memory or on disk.

An XLSX file is a zip archive of XML parts. ``zipfile`` writes to a stream it cannot seek (with a
data descriptor after each part), so the parts are written in the order they become known: the
sheets first, then the workbook that names them. Text is always an inline string cell (never a
formula, never a shared string to keep in memory); numbers, booleans and dates are typed cells.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

# Excel's limit of rows per sheet, less the header row; longer files continue on a new sheet.
ROWS_PER_SHEET = 1_048_575
# Rows written to the archive between two chunks sent.
ROWS_PER_CHUNK = 500
# Characters XML 1.0 cannot hold (as openpyxl's ILLEGAL_CHARACTERS_RE).
ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# Characters a sheet's name cannot hold, and its length.
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31
_EPOCH = datetime.datetime(1899, 12, 30)

# The cell styles (cellXfs in styles.xml), by position: amounts with thousands separators,
# whole ("#,##0", Excel's built-in 3) or with cents ("#,##0.00", built-in 4).
PLAIN, BOLD, DATE, DATETIME, QUOTED, BOLD_QUOTED, AMOUNT, AMOUNT_CENTS = range(8)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

STYLES = (
    _HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
ROOT_RELATIONSHIPS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE}">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
# The first row (the header) stays in view while the rows scroll.
SHEET_HEAD = (
    _HEAD + f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews><sheetData>"
)


def sheet_tail(last_column: str, last_row: int) -> str:
    """The end of a sheet: a filter button on each column of the header, over every row."""
    return f'</sheetData><autoFilter ref="A1:{last_column}{last_row}"/></worksheet>'


def column_letters(count: int) -> list[str]:
    """A, B, …, Z, AA, AB, …: the names of the first ``count`` columns."""
    letters = []
    for number in range(1, count + 1):
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def sheet_name(title: str, number: int) -> str:
    """The ``number``-th sheet's name: the title, then "title 2", "title 3"…"""
    name = _SHEET_NAME_FORBIDDEN.sub("", ILLEGAL.sub("", title)).strip("' ") or "data"
    suffix = "" if number == 1 else f" {number}"
    return name[: SHEET_NAME_LENGTH - len(suffix)] + suffix


def quote_sheet(name: str) -> str:
    """A sheet's name as a formula names it: 'Dự án' (quotes doubled inside)."""
    return "'" + name.replace("'", "''") + "'"


def cell(reference: str, value, style: int = PLAIN) -> str:
    """One ``<c>`` element: a typed number, boolean or date, or an inline string.

    ``style`` applies to text (PLAIN, BOLD, QUOTED, BOLD_QUOTED) and numbers (AMOUNT,
    AMOUNT_CENTS); dates take theirs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        styled = f' s="{style}"' if style else ""
        return f'<c r="{reference}"{styled}><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH) / datetime.timedelta(days=1)
        return f'<c r="{reference}" s="{DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        serial = (value - _EPOCH.date()).days
        return f'<c r="{reference}" s="{DATE}"><v>{serial}</v></c>'
    text = escape(value)
    styled = f' s="{style}"' if style else ""
    return (
        f'<c r="{reference}"{styled} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    )


class _Sink(io.RawIOBase):
    """Where the archive writes: it keeps the bytes until they are taken to be sent."""

    def __init__(self):
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def workbook(title: str, header: list[tuple[str, int]], rows: Iterable[list]) -> Iterator[bytes]:
    """The bytes of an XLSX file, as they are made.

    ``header`` is the first row, as (text, style); ``rows`` gives each row's cells as
    (value, style) pairs (``cell``); a sheet holds at most ``ROWS_PER_SHEET`` rows under its
    header, and the rows go on on a new sheet with the same header."""
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    letters = column_letters(len(header))
    names: list[str] = []
    last_rows: list[int] = []  # each sheet's last row, for its filter

    def open_sheet():
        names.append(sheet_name(title, len(names) + 1))
        part = archive.open(f"xl/worksheets/sheet{len(names)}.xml", "w", force_zip64=True)
        cells = "".join(
            cell(f"{letter}1", text, style)
            for letter, (text, style) in zip(letters, header, strict=True)
        )
        part.write(f'{SHEET_HEAD}<row r="1">{cells}</row>'.encode())
        return part

    part = open_sheet()
    yield sink.take()  # the archive's first bytes, before any row is read
    number, written, pending = 1, 0, []
    for row in rows:
        if written == ROWS_PER_SHEET:
            part.write("".join(pending).encode() + sheet_tail(letters[-1], number).encode())
            last_rows.append(number)
            part.close()
            part, number, written, pending = open_sheet(), 1, 0, []
        number += 1
        written += 1
        cells = "".join(
            cell(f"{letter}{number}", value, style)
            for letter, (value, style) in zip(letters, row, strict=True)
        )
        pending.append(f'<row r="{number}">{cells}</row>')
        if len(pending) == ROWS_PER_CHUNK:
            part.write("".join(pending).encode())
            pending = []
            chunk = sink.take()
            if chunk:
                yield chunk
    part.write("".join(pending).encode() + sheet_tail(letters[-1], number).encode())
    last_rows.append(number)
    part.close()
    for path, content in _package(names, letters[-1], last_rows).items():
        archive.writestr(path, content)
    archive.close()
    yield sink.take()


def _package(names: list[str], last_column: str, last_rows: list[int]) -> dict[str, str]:
    """The parts that name the sheets, written once every sheet is known; each sheet's filter
    is named as Excel names it (``_xlnm._FilterDatabase``)."""
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>'
        for n, name in enumerate(names, 1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(quote_sheet(name))}!$A$1:${last_column}${last_row}</definedName>"
        for n, (name, last_row) in enumerate(zip(names, last_rows, strict=True))
    )
    relationships = "".join(
        f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" '
        f'Type="{_RELATIONSHIPS}/worksheet"/>'
        for n in range(1, len(names) + 1)
    )
    styles_id = len(names) + 1
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(names) + 1)
    )
    return {
        "xl/workbook.xml": (
            _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            _HEAD + f'<Relationships xmlns="{_PACKAGE}">{relationships}'
            f'<Relationship Id="rId{styles_id}" Target="styles.xml" '
            f'Type="{_RELATIONSHIPS}/styles"/></Relationships>'
        ),
        "xl/styles.xml": STYLES,
        "_rels/.rels": ROOT_RELATIONSHIPS,
        "[Content_Types].xml": (
            _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        ),
    }
