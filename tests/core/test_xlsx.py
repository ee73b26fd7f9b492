"""The XLSX writer (``core.xlsx``): a workbook sent as it is written, that spreadsheet programs
read with its types, styles and sheets."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core import xlsx

HEADER = [("Tên", xlsx.BOLD), ("Số", xlsx.BOLD), ("=công thức", xlsx.BOLD_QUOTED)]


def read(chunks):
    return load_workbook(io.BytesIO(b"".join(chunks)))


def test_the_first_bytes_leave_before_any_row_is_read():
    pulled = []

    def rows():
        for number in range(3 * xlsx.ROWS_PER_CHUNK):
            pulled.append(number)
            yield [(f"Dự án {number}", xlsx.PLAIN), (number, xlsx.PLAIN), (None, xlsx.PLAIN)]

    chunks = xlsx.workbook("Dự án", HEADER, rows())
    first = next(chunks)
    assert first.startswith(b"PK\x03\x04")  # a zip archive's first part begins
    assert pulled == []
    rest = list(chunks)
    assert len(pulled) == 3 * xlsx.ROWS_PER_CHUNK
    sheet = read([first, *rest]).worksheets[0]
    assert sheet.max_row == 1 + 3 * xlsx.ROWS_PER_CHUNK
    assert sheet.cell(row=1 + 3 * xlsx.ROWS_PER_CHUNK, column=1).value == "Dự án 1499"


def test_cells_keep_their_types_and_text_is_never_a_formula():
    when = datetime.datetime(2020, 5, 17, 8, 30, 15)
    row = [
        ('=HYPERLINK("http://evil.example")', xlsx.QUOTED),
        (Decimal("-513.20"), xlsx.PLAIN),
        (datetime.date(2020, 5, 17), xlsx.PLAIN),
    ]
    more = [("<b>&amp; ' \"</b>", xlsx.PLAIN), (True, xlsx.PLAIN), (when, xlsx.PLAIN)]
    sheet = read(xlsx.workbook("Dự án", HEADER, [row, more])).worksheets[0]
    header = [sheet.cell(row=1, column=n) for n in (1, 2, 3)]
    assert [c.value for c in header] == ["Tên", "Số", "=công thức"]
    assert all(c.font.b and c.data_type == "s" for c in header)
    assert [c.quotePrefix for c in header] == [False, False, True]
    text, amount, day = (sheet.cell(row=2, column=n) for n in (1, 2, 3))
    assert (text.value, text.data_type, text.quotePrefix) == (row[0][0], "s", True)
    assert (amount.value, amount.data_type) == (-513.2, "n")
    assert (day.value, day.number_format) == (datetime.datetime(2020, 5, 17), "yyyy-mm-dd")
    markup, flag, moment = (sheet.cell(row=3, column=n) for n in (1, 2, 3))
    assert (markup.value, markup.quotePrefix) == ("<b>&amp; ' \"</b>", False)
    assert (flag.value, moment.value) == (True, when)
    assert sheet.freeze_panes == "A2"  # the header stays in view


def test_rows_beyond_a_sheet_go_on_on_a_new_sheet_with_the_header(monkeypatch):
    monkeypatch.setattr(xlsx, "ROWS_PER_SHEET", 4)
    rows = ([(f"r{n}", xlsx.PLAIN), (n, xlsx.PLAIN), (None, xlsx.PLAIN)] for n in range(10))
    book = read(xlsx.workbook("Dự án: [2020/2025]", HEADER, rows))
    assert book.sheetnames == ["Dự án 20202025", "Dự án 20202025 2", "Dự án 20202025 3"]
    assert [sheet.max_row for sheet in book.worksheets] == [5, 5, 3]
    assert [c.value for c in book.worksheets[2][1]] == ["Tên", "Số", "=công thức"]
    assert book.worksheets[2].cell(row=3, column=1).value == "r9"


@pytest.mark.parametrize(
    ("title", "expected"),
    [("", "data"), ("x" * 40, "x" * 31), ("'Sổ*?'", "Sổ"), ("Tab\x07le", "Table")],
)
def test_a_sheet_name_is_one_a_spreadsheet_accepts(title, expected):
    assert xlsx.sheet_name(title, 1) == expected
    assert len(xlsx.sheet_name(title, 12)) <= xlsx.SHEET_NAME_LENGTH


def test_the_file_is_a_well_formed_package():
    archive = zipfile.ZipFile(io.BytesIO(b"".join(xlsx.workbook("x", HEADER, []))))
    assert archive.testzip() is None
    assert {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    } == set(archive.namelist())


def test_column_names_go_on_past_z():
    assert xlsx.column_letters(28)[-3:] == ["Z", "AA", "AB"]
    assert xlsx.column_letters(703)[-1] == "AAA"


def test_every_sheet_has_a_filter_on_its_header_over_its_rows(monkeypatch):
    monkeypatch.setattr(xlsx, "ROWS_PER_SHEET", 4)
    rows = ([(f"r{n}", xlsx.PLAIN), (n, xlsx.PLAIN), (None, xlsx.PLAIN)] for n in range(6))
    book = read(xlsx.workbook("Dự án của 'tỉnh'", HEADER, rows))
    assert [sheet.auto_filter.ref for sheet in book.worksheets] == ["A1:C5", "A1:C3"]
    assert all(sheet.freeze_panes == "A2" for sheet in book.worksheets)


def test_amounts_have_thousands_separators_and_cents_only_where_they_have_some():
    row = [
        ("Cầu", xlsx.PLAIN),
        (Decimal("21000000000000.00"), xlsx.AMOUNT),
        (Decimal("1250.50"), xlsx.AMOUNT_CENTS),
    ]
    sheet = read(xlsx.workbook("Dự án", HEADER, [row])).worksheets[0]
    whole, cents = sheet.cell(row=2, column=2), sheet.cell(row=2, column=3)
    assert (whole.value, whole.number_format) == (21_000_000_000_000, "#,##0")
    assert (cents.value, cents.number_format) == (1250.5, "#,##0.00")
