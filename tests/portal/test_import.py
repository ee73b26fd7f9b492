"""Spreadsheet import in the admin: a dry run that writes nothing, an apply that writes every row
or none, matching by code, Vietnamese numbers, CSV and XLSX, and a clear message for bad input."""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.imports import reading
from core.imports.cells import CellError, parse_date, parse_decimal
from core.imports.reading import MAX_ROWS
from investment.imports import InvestmentImport
from investment.models import Investment
from projects.imports import AllocationImport, ProjectImport
from projects.models import Project, YearlyAllocation
from tests.gates.factories import GateFactory
from tests.investment.factories import InvestmentFactory, InvestorFactory
from tests.projects.factories import ProgrammeFactory, ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db

# In English, so that messages can be compared (the default, Vietnamese, is tested apart).
URL = "/en/admin/import/"
KINDS = {
    "projects": ProjectImport,
    "allocations": AllocationImport,
    "investments": InvestmentImport,
}
HEADER = ["code", "name", "category", "status", "gates", "total_investment", "planned_start"]


def staff(django_user_model, *codenames, username="manager"):
    user = django_user_model.objects.create_user(username, password="pw-123456", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Uploads wait for their apply in a directory of the test's own."""
    settings.TRACKER_IMPORT_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def manager(django_user_model):
    return staff(django_user_model, "import_records")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def gates():
    return [GateFactory(code="g1"), GateFactory(code="g3")]


def csv_bytes(rows, *, delimiter=",", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(client, data: bytes, kind="projects", name="data.csv"):
    """Upload ``data`` for a dry run; the response, with the report in its context."""
    upload = SimpleUploadedFile(name, data)
    response = client.post(URL, {"kind": kind, "file": upload})
    assert response.status_code == 200
    return response


def apply(client, response):
    token = response.context["token"]
    assert token, response.context["report"]
    return client.post(URL, {"token": token})


def snapshot() -> dict:
    """Every table an import may write, to compare before and after."""
    return {
        "projects": list(Project.objects.order_by("pk").values()),
        "project_gates": list(Project.gates.through.objects.order_by("pk").values()),
        "allocations": list(YearlyAllocation.objects.order_by("pk").values()),
        "investments": list(Investment.objects.order_by("pk").values()),
        "investment_investors": list(Investment.investors.through.objects.order_by("pk").values()),
        "history": Project.history.count() + Investment.history.count(),
    }


def errors_of(response) -> list[tuple[int, str, str]]:
    """(row number, column, message) of every row error in a dry run or failed apply."""
    report = response.context["report"]
    return [(row.number, column, message) for row in report.rows for column, message in row.errors]


PROJECT_ROWS = [
    HEADER,
    ["cau-tra-linh", "Cầu Trà Lĩnh", "bridge", "under_way", "g1; g3", "1.234,5", "15/03/2024"],
    [
        "duong-ta-lung",
        "Đường Tà Lùng",
        "Đường giao thông",
        "dang thuc hien",
        "g1",
        "150.000.000.000",
        "",
    ],
]


# Dry run, apply, re-import ------------------------------------------------------------------


def test_dry_run_writes_nothing_and_apply_creates_drafts(manager_client, gates):
    before = snapshot()
    response = check(manager_client, csv_bytes(PROJECT_ROWS))
    report = response.context["report"]
    assert [(row.number, row.action) for row in report.rows] == [(2, "create"), (3, "create")]
    assert snapshot() == before

    response = apply(manager_client, response)
    assert response.status_code == 302
    bridge = Project.objects.get(code="cau-tra-linh")
    assert bridge.total_investment == Decimal("1234.5")
    assert bridge.planned_start == datetime.date(2024, 3, 15)
    assert set(bridge.gates.all()) == set(gates)
    assert bridge.is_published is False  # a new record is a draft
    road = Project.objects.get(code="duong-ta-lung")
    # Choices are read by code or by label, in either language and without diacritics.
    assert (road.category, road.status) == ("road", "under_way")
    assert road.total_investment == 150_000_000_000
    assert road.slug == "duong-ta-lung"


def test_reimport_updates_and_an_identical_import_is_unchanged(manager_client, gates):
    apply(manager_client, check(manager_client, csv_bytes(PROJECT_ROWS)))
    changed = [row[:] for row in PROJECT_ROWS]
    changed[1][5] = "2.000,25"
    response = check(manager_client, csv_bytes(changed))
    assert [row.action for row in response.context["report"].rows] == ["update", "unchanged"]
    assert response.context["report"].rows[0].changed == ["total_investment"]
    apply(manager_client, response)
    assert Project.objects.count() == 2
    assert Project.objects.get(code="cau-tra-linh").total_investment == Decimal("2000.25")

    history = Project.history.count()
    response = check(manager_client, csv_bytes(changed))
    assert [row.action for row in response.context["report"].rows] == ["unchanged"] * 2
    assert response.context["token"] == ""  # nothing to apply
    assert Project.history.count() == history


def test_existing_records_keep_their_published_flag(manager_client, gates):
    project = ProjectFactory(
        code="cau-tra-linh", is_published=True, total_investment=1, planned_end=None
    )
    apply(manager_client, check(manager_client, csv_bytes(PROJECT_ROWS)))
    project.refresh_from_db()
    assert project.is_published is True
    assert project.total_investment == Decimal("1234.5")
    assert Project.objects.get(code="duong-ta-lung").is_published is False


def test_published_column_needs_the_publish_permission(client, django_user_model, gates):
    rows = [["code", "name", "category", "published"], ["p-new", "Dự án mới", "road", "có"]]
    client.force_login(staff(django_user_model, "import_records"))
    response = check(client, csv_bytes(rows))
    assert errors_of(response) == [
        (2, "published", "Only a manager can publish a record or withdraw it.")
    ]
    client.force_login(staff(django_user_model, "import_records", "publish_project", username="p"))
    apply(client, check(client, csv_bytes(rows)))
    assert Project.objects.get(code="p-new").is_published is True


def test_a_status_change_follows_the_status_rules(client, django_user_model):
    ProjectFactory(code="p1", status="cancelled")
    rows = [["code", "name", "category", "status"], ["p1", "Dự án", "road", "under_way"]]
    client.force_login(staff(django_user_model, "import_records"))
    [(number, column, message)] = errors_of(check(client, csv_bytes(rows)))
    assert (number, column) == (2, "status")
    assert "cancelled" in message
    assert Project.objects.get(code="p1").status == "cancelled"

    client.force_login(staff(django_user_model, "import_records", "override_status", username="o"))
    apply(client, check(client, csv_bytes(rows)))
    assert Project.objects.get(code="p1").status == "under_way"


# Formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,5", "1234.5"),
        ("1234,5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1234.5", "1234.5"),
        ("1234", "1234"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567", "1234567"),
        # A lone separator before exactly three digits groups thousands (Vietnamese).
        ("1.234", "1234"),
        ("1,234", "1234"),
        # Otherwise it is the decimal mark.
        ("0,125", "0.125"),
        ("1234.567", "1234.567"),
        ("12,5", "12.5"),
    ],
)
def test_numbers_in_vietnamese_and_english_formats(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["12abc", "1.2.3,4,5", "NaN", "Infinity", "-inf", "1e5", "1234,", ",5", "1 2 3", "1.23.4"],
)
def test_garbage_is_not_a_number(text):
    with pytest.raises(CellError):
        parse_decimal(text)


def test_negative_numbers_only_where_allowed():
    # In a stated language: another test may have left Vietnamese active in this process.
    with translation.override("en"), pytest.raises(CellError, match="negative"):
        parse_decimal("-5")
    assert parse_decimal("-5", negative=True) == -5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/12/2025", datetime.date(2025, 12, 31)),
        ("1/2/2025", datetime.date(2025, 2, 1)),
        ("2025-12-31", datetime.date(2025, 12, 31)),
        (datetime.datetime(2025, 12, 31, 0, 0), datetime.date(2025, 12, 31)),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", False), (",", True), (";", False), (";", True)]
)
def test_csv_with_or_without_bom_and_either_delimiter(manager_client, gates, delimiter, bom):
    apply(
        manager_client, check(manager_client, csv_bytes(PROJECT_ROWS, delimiter=delimiter, bom=bom))
    )
    assert Project.objects.get(code="cau-tra-linh").total_investment == Decimal("1234.5")


def test_headers_by_vietnamese_or_english_label(manager_client):
    rows = [
        ["Mã", "TEN", "Nhóm công trình", "Tổng mức đầu tư", "Planned start"],
        ["p1", "Dự án", "road", "1.000", "2024-01-31"],
    ]
    apply(manager_client, check(manager_client, csv_bytes(rows)))
    project = Project.objects.get(code="p1")
    assert (project.total_investment, project.planned_start) == (1000, datetime.date(2024, 1, 31))


def test_xlsx_with_number_and_date_cells(manager_client, gates):
    rows = [
        HEADER,
        [
            "cau-tra-linh",
            "Cầu Trà Lĩnh",
            "bridge",
            "under_way",
            "g1,g3",
            1234.5,
            datetime.date(2024, 3, 15),
        ],
        ["duong", "Đường", "road", "", "", "1.234,5", "15/03/2024"],
    ]
    apply(manager_client, check(manager_client, xlsx_bytes(rows), name="data.xlsx"))
    for code in ("cau-tra-linh", "duong"):
        project = Project.objects.get(code=code)
        assert project.total_investment == Decimal("1234.5")
        assert project.planned_start == datetime.date(2024, 3, 15)


def test_formulas_are_stored_as_text_only(manager_client):
    formula = "=cmd|' /C calc'!A0"
    rows = [["code", "name", "category", "description"], ["p1", formula, "road", "+1+2"]]
    apply(manager_client, check(manager_client, xlsx_bytes(rows), name="data.xlsx"))
    project = Project.objects.get(code="p1")
    assert (project.name, project.description) == (formula, "+1+2")


def test_a_formula_in_a_number_column_is_refused(manager_client):
    rows = [["code", "name", "category", "total_investment"], ["p1", "P", "road", "=1+1"]]
    [(number, column, message)] = errors_of(check(manager_client, xlsx_bytes(rows), name="a.xlsx"))
    assert (number, column) == (2, "total_investment")
    assert "formula" in message


# Bad input: a clear message and nothing written ---------------------------------------------


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

FILE_ERRORS = {
    "empty": (b"", "data.csv", "empty"),
    "blank lines only": (b"\r\n\r\n", "data.csv", "no header"),
    "png renamed csv": (PNG, "data.csv", "neither an XLSX workbook nor a CSV"),
    "zip renamed xlsx": (zip_bytes(), "data.xlsx", "not a readable Excel workbook"),
    "binary junk": (bytes(range(256)) * 4, "data.csv", "neither an XLSX workbook nor a CSV"),
    "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "data.xls", ".xls"),
    "windows-1258": ("code,name,category\np1,Trà Đà,road\n".encode("cp1258"), "a.csv", "UTF-8"),
    "utf-16": ("code,name,category\np1,Cầu,road\n".encode("utf-16"), "a.csv", "UTF-8"),
    "nul bytes": (b"code,name,category\np1,A\x00B,road\n", "a.csv", "UTF-8"),
    "missing columns": (b"code,status\np1,approved\n", "a.csv", "missing: name, category"),
    "unknown column": (b"code,name,category,colour\np1,A,road,red\n", "a.csv", "“colour”"),
    "duplicate column": (
        b"code,name,category,Name\np1,A,road,B\n",
        "a.csv",
        "“name” appears twice",
    ),
    "unclosed quote": (b'code,name,category\np1,"A,road\n', "a.csv", "Row 2"),
    "huge cell": (b"code,name,category\np1," + b"x" * 200_000 + b",road\n", "a.csv", "Row 2"),
    "too many rows": (
        b"code,name,category\n" + b"p,A,road\n" * (MAX_ROWS + 1),
        "a.csv",
        "more than",
    ),
    "a million columns": (b"," * 1_000_000 + b"\n", "a.csv", "Row 1 has more than 16,384 cells."),
    "a row too wide": (
        b"code,name,category\np1,A,road" + b"," * 20_000 + b"\n",
        "a.csv",
        "Row 2 has more than 16,384 cells.",
    ),
    "too many cells": (
        b"code,name,category\n" + (b"p,A,road" + b"," * 297 + b"\n") * 900,
        "a.csv",
        "The file has more than 250,000 cells",
    ),
}


@pytest.mark.parametrize("case", FILE_ERRORS)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(manager_client, case):
    ProjectFactory(code="p1", name="Before")
    data, name, expected = FILE_ERRORS[case]
    before = snapshot()
    response = check(manager_client, data, name=name)
    report = response.context["report"]
    assert any(expected in message for message in report.file_errors), report.file_errors
    assert response.context["token"] == ""
    assert expected in response.content.decode()
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused(manager_client):
    data = b"code,name,category\n" + b"x" * (5 * 1024 * 1024)
    response = manager_client.post(
        URL, {"kind": "projects", "file": SimpleUploadedFile("a.csv", data)}
    )
    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()


# Hostile files: refused as soon as they pass a limit, before openpyxl reads them --------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{PACKAGE}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{SPREADSHEET}.worksheet+xml"/><Override '
        f'PartName="/xl/sharedStrings.xml" ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
        f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
        '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PACKAGE}/relationships">'
        f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}
HEADER_ROW = (
    b'<row r="1">'
    + b"".join(
        f'<c t="inlineStr"><is><t>{name}</t></is></c>'.encode()
        for name in ("code", "name", "category")
    )
    + b"</row>"
)


def packed_workbook(
    rows: Iterable[bytes] = (),
    strings: Iterable[bytes] = (),
    *,
    dimension: str = "A1:C2",
    sst: str = "",
    after_rows: bytes = b"",
    prologue: bytes = b"",
) -> bytes:
    """An XLSX file written with zipfile alone, streaming the rows after the header row (inside
    <sheetData>) and the shared strings (inside <sst sst>): millions of elements pack into a few
    hundred KB, as they would in a hostile upload."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'.encode())
            part.write(b"<sheetData>" + HEADER_ROW)
            for chunk in rows:
                part.write(chunk)
            part.write(b"</sheetData>" + after_rows + b"</worksheet>")
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(prologue + f'<sst xmlns="{MAIN}"{sst}>'.encode())
            for chunk in strings:
                part.write(chunk)
            part.write(b"</sst>")
    return buffer.getvalue()


def shared_strings_workbook() -> bytes:
    """A packed workbook of one project whose three texts are shared strings, as Excel writes."""
    row = b'<row r="2"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>'
    strings = [b"<si><t>p1</t></si><si><t>A</t></si><si><t>road</t></si>"]
    return packed_workbook([row], strings, sst=' count="3" uniqueCount="3"')


def test_a_packed_workbook_imports(manager_client):
    """The workbooks below are well formed: their limits alone refuse them."""
    apply(manager_client, check(manager_client, shared_strings_workbook(), name="data.xlsx"))
    assert Project.objects.values_list("code", "name", "category").get() == ("p1", "A", "road")


HOSTILE_WORKBOOKS = {
    "5.5 million shared strings": (
        lambda: packed_workbook(strings=[b"<si><t/></si>" * 100_000] * 55),
        "more than 50,000 different texts",
    ),
    "5.5 million shared strings declared": (
        lambda: packed_workbook(strings=[b"<si><t/></si>"], sst=' uniqueCount="5500000"'),
        "more than 50,000 different texts",
    ),
    "a huge dimension and 260,000 cells": (
        lambda: packed_workbook(
            (
                f'<row r="{number}">'.encode() + b"<c/>" * 100 + b"</row>"
                for number in range(2, 2602)
            ),
            dimension="A1:XFD1048576",
        ),
        "The file has more than 250,000 cells",
    ),
    "a row of 20,000 cells": (
        lambda: packed_workbook([b'<row r="2">' + b"<c/>" * 20_000 + b"</row>"]),
        "Row 2 has more than 16,384 cells.",
    ),
    "a cell of 40,000 rich-text runs": (
        lambda: packed_workbook(
            [b'<row r="2"><c t="inlineStr"><is>' + b"<r><t>a</t></r>" * 40_000 + b"</is></c></row>"]
        ),
        "Row 2 holds more than 65,536 XML elements.",
    ),
    "300,000 merged cells": (
        lambda: packed_workbook(
            after_rows=b"<mergeCells>" + b'<mergeCell ref="A1:B1"/>' * 300_000 + b"</mergeCells>"
        ),
        "more than 200,000 XML elements besides its cells",
    ),
    "entities": (
        lambda: packed_workbook(
            prologue=b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        ),
        "not a readable Excel workbook",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_WORKBOOKS)
def test_a_hostile_workbook_is_refused_before_openpyxl_reads_it(manager_client, monkeypatch, case):
    build, expected = HOSTILE_WORKBOOKS[case]
    data = build()
    assert len(data) < 500_000
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kwargs: opened.append(args))
    ProjectFactory(code="p1", name="Before")
    before = snapshot()
    response = check(manager_client, data, name="data.xlsx")
    report = response.context["report"]
    assert any(expected in message for message in report.file_errors), report.file_errors
    # Refused while its parts were counted: openpyxl loaded none of its strings or cells.
    assert opened == []
    assert response.context["token"] == ""
    assert snapshot() == before


@pytest.mark.parametrize("name", ["data.csv", "data.xlsx"])
@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("MAX_CELLS", "The file has more than 5 cells; split it into several files."),
        ("MAX_ROW_CELLS", "Row 1 has more than 2 cells."),
    ],
)
def test_a_file_at_a_cell_limit_imports_and_one_past_it_is_refused(
    manager_client, monkeypatch, name, limit, message
):
    rows = [["code", "name", "category"], ["p1", "A", "road"]]
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    monkeypatch.setattr(reading, limit, 6 if limit == "MAX_CELLS" else 3)
    assert check(manager_client, data, name=name).context["report"].counts["create"] == 1
    monkeypatch.setattr(reading, limit, 5 if limit == "MAX_CELLS" else 2)
    response = check(manager_client, data, name=name)
    assert response.context["report"].file_errors == [message]


def test_a_workbook_at_the_shared_string_limit_imports_and_one_past_it_is_refused(
    manager_client, monkeypatch
):
    data = shared_strings_workbook()
    monkeypatch.setattr(reading, "MAX_SHARED_STRINGS", 3)
    assert check(manager_client, data, name="a.xlsx").context["report"].counts["create"] == 1
    monkeypatch.setattr(reading, "MAX_SHARED_STRINGS", 2)
    [message] = check(manager_client, data, name="a.xlsx").context["report"].file_errors
    assert message.startswith("The workbook has more than 2 different texts")


@pytest.mark.parametrize("name", ["data.csv", "data.xlsx"])
def test_reading_stops_at_the_time_limit_and_writes_nothing(manager_client, settings, name):
    rows = [["code", "name", "category"], ["p1", "A", "road"]]
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    ready = check(manager_client, data, name=name)
    settings.TRACKER_IMPORT_TIME_LIMIT = 0
    message = "Reading the file took more than 0 seconds, the limit; split it into several files."
    assert check(manager_client, data, name=name).context["report"].file_errors == [message]
    response = apply(manager_client, ready)
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_limits_are_explained_in_vietnamese(manager_client):
    data = b"code,name,category\np1,A,road" + b"," * 20_000 + b"\n"
    response = manager_client.post(
        "/admin/import/", {"kind": "projects", "file": SimpleUploadedFile("a.csv", data)}
    )
    assert "Dòng 2 có hơn 16384 ô." in response.content.decode()


ROW_ERRORS = {
    "unknown gate": (["gates", "g1; nowhere"], "gates", "nowhere"),
    "unknown programme": (["programme", "no-such"], "programme", "no-such"),
    "unknown owner": (["owner", "no-such"], "owner", "no-such"),
    "letters in an amount": (["total_investment", "12abc"], "total_investment", "12abc"),
    "two decimal marks": (["total_investment", "1.2.3,4,5"], "total_investment", "not a number"),
    "NaN": (["total_investment", "NaN"], "total_investment", "not a number"),
    "Infinity": (["total_investment", "Infinity"], "total_investment", "not a number"),
    "negative": (["total_investment", "-1.000"], "total_investment", "negative"),
    "too many decimals": (["total_investment", "1,234"], None, None),  # 1234: fine
    "three decimals": (["total_investment", "1,2345"], "total_investment", "decimal places"),
    "not a date": (["planned_start", "31/02/2024"], "planned_start", "not a date"),
    "unknown category": (["category", "spaceport"], "category", "spaceport"),
    "progress over 100": (["progress_percent", "150"], "progress_percent", "between 0 and 100"),
    "end before start": (["planned_start", "01/01/2025"], "planned_end", ""),
    "bad code": (["code", "a/b"], "code", ""),
    "blank code": (["code", ""], "code", "blank"),
    "cell too long": (["description", "x" * 25_000], "description", "too long"),
}


@pytest.mark.parametrize("case", ROW_ERRORS)
def test_a_bad_cell_names_the_row_and_column_and_changes_nothing(manager_client, gates, case):
    ProgrammeFactory(code="ct-11")
    (column, value), expected_column, expected = ROW_ERRORS[case][0], *ROW_ERRORS[case][1:]
    cells = {
        "code": "p-new",
        "name": "Dự án",
        "category": "road",
        "planned_start": "",
        "planned_end": "31/12/2024",
        "progress_percent": "",
    } | {column: value}
    rows = [list(cells), list(cells.values())]
    before = snapshot()
    response = check(manager_client, csv_bytes(rows))
    if expected_column is None:
        assert errors_of(response) == []
        return
    errors = errors_of(response)
    assert errors, case
    assert all(number == 2 for number, _column, _message in errors)
    assert any(c == expected_column and expected in m for _n, c, m in errors), errors
    assert response.context["token"] == ""
    assert snapshot() == before


def test_the_same_code_twice_in_a_file_is_refused(manager_client):
    rows = [["code", "name", "category"], ["p1", "A", "road"], ["P1", "B", "road"]]
    errors = errors_of(check(manager_client, csv_bytes(rows)))
    assert [(number, column) for number, column, _message in errors] == [(3, "")]
    assert "Row 2" in errors[0][2]


def test_headers_are_named_as_the_file_names_them(manager_client):
    rows = [["Mã", "Tên", "nhom cong trinh", "Tổng mức đầu tư"], ["p1", "A", "road", "abc"]]
    [(_number, column, _message)] = errors_of(check(manager_client, csv_bytes(rows)))
    assert column == "Tổng mức đầu tư"


def test_one_bad_row_among_good_rows_writes_nothing(manager_client, gates):
    rows = [*PROJECT_ROWS, ["p-bad", "Xấu", "road", "", "g9", "1", ""]]
    before = snapshot()
    response = check(manager_client, csv_bytes(rows))
    assert [row.action for row in response.context["report"].rows] == ["create", "create", ""]
    assert response.context["token"] == ""
    assert "Unknown gates: g9." in response.content.decode()
    assert snapshot() == before


def test_apply_writes_nothing_when_a_row_fails_by_then(manager_client, gates):
    """The apply validates again: a row that became wrong after the dry run (here, its gate was
    deleted) stops the whole import."""
    extra = GateFactory(code="g9")
    rows = [*PROJECT_ROWS, ["p-late", "Muộn", "road", "", "g9", "1", ""]]
    response = check(manager_client, csv_bytes(rows))
    assert response.context["report"].counts["create"] == 3
    extra.delete()
    before = snapshot()
    response = apply(manager_client, response)
    assert response.status_code == 200
    assert errors_of(response) == [(4, "gates", "Unknown gates: g9.")]
    assert "Nothing was changed" in response.content.decode()
    assert snapshot() == before


def test_a_failing_save_rolls_back_the_rows_written_before_it(manager, gates):
    rows = [*PROJECT_ROWS, ["p-bad", "Xấu", "road", "", "", "1", "15/03/2024"]]
    rows[0] = [*HEADER, "planned_end"]
    rows[-1].append("01/01/2020")  # ends before it starts: refused by the model's clean()
    before = snapshot()
    report = ProjectImport(user=manager).run(csv_bytes(rows), write=True)
    assert not report.written
    assert [row.number for row in report.rows if row.errors] == [4]
    assert snapshot() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_template_example_row_is_refused(manager_client, file_format):
    for code in KINDS:
        data = manager_client.get(URL, {"template": code, "format": file_format}).content
        response = check(manager_client, data, kind=code, name=f"template.{file_format}")
        assert errors_of(response) == [(2, "", "This is the template's example row: delete it.")]


# Templates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", KINDS)
def test_templates_download_and_their_header_alone_imports_nothing(manager_client, code):
    kind = KINDS[code]
    codes = [column.code for column in kind.columns]
    response = manager_client.get(URL, {"template": code, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == codes
    assert "example-delete-this-row" in example

    response = manager_client.get(URL, {"template": code, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == codes
    assert sheet.max_row == 2

    before = snapshot()
    header_only = csv_bytes([header], bom=True)
    response = check(manager_client, header_only, kind=code)
    report = response.context["report"]
    assert (report.rows, report.file_errors, response.context["token"]) == ([], [], "")
    assert snapshot() == before


def test_an_unknown_template_is_404(manager_client):
    assert manager_client.get(URL, {"template": "gates"}).status_code == 404


# Allocations and investments ----------------------------------------------------------------


def test_allocations_are_matched_by_project_and_year(manager_client):
    project = ProjectFactory(code="p1")
    YearlyAllocationFactory(project=project, year=2020, allocated=100, disbursed=10)
    rows = [
        ["project", "year", "allocated", "disbursed", "note"],
        ["p1", "2020", "200", "50,5", ""],
        ["p1", "2021", "1.000.000", "", "Năm 2021"],
    ]
    response = check(manager_client, csv_bytes(rows), kind="allocations")
    assert [row.action for row in response.context["report"].rows] == ["update", "create"]
    apply(manager_client, response)
    years = {a.year: (a.allocated, a.disbursed) for a in project.allocations.all()}
    assert years == {2020: (200, Decimal("50.5")), 2021: (1_000_000, 0)}
    response = check(manager_client, csv_bytes(rows), kind="allocations")
    assert [row.action for row in response.context["report"].rows] == ["unchanged"] * 2


def test_allocation_errors(manager_client):
    ProjectFactory(code="p1", currency="VND")
    rows = [
        ["project", "year", "allocated", "disbursed", "currency"],
        ["nowhere", "2020", "1", "", ""],
        ["p1", "2020", "100", "200", ""],
        ["p1", "2021", "100", "", "USD"],
        ["p1", "1900", "100", "", ""],
        ["p1", "20.5", "100", "", ""],
    ]
    before = snapshot()
    errors = errors_of(check(manager_client, csv_bytes(rows), kind="allocations"))
    assert [(number, column) for number, column, _message in errors] == [
        (2, "project"),
        (3, "disbursed"),
        (4, "currency"),
        (5, "year"),
        (6, "year"),
    ]
    assert "nowhere" in errors[0][2]
    assert snapshot() == before


def test_investments_with_their_investors(manager_client):
    first, second = InvestorFactory(slug="cong-ty-a"), InvestorFactory(slug="cong-ty-b")
    gate = GateFactory(code="g1")
    rows = [
        ["code", "name", "kind", "investors", "capital", "currency", "date", "gate"],
        [
            "fdi-1",
            "Nhà máy",
            "fdi",
            "cong-ty-a; cong-ty-b",
            "21.675.000",
            "USD",
            "01/02/2023",
            "g1",
        ],
    ]
    apply(manager_client, check(manager_client, csv_bytes(rows), kind="investments"))
    investment = Investment.objects.get(code="fdi-1")
    assert set(investment.investors.all()) == {first, second}
    assert (investment.capital, investment.currency, investment.gate) == (21_675_000, "USD", gate)
    assert investment.is_published is False

    rows[1][3] = "cong-ty-b"
    response = check(manager_client, csv_bytes(rows), kind="investments")
    assert response.context["report"].rows[0].changed == ["investors"]
    apply(manager_client, response)
    assert list(investment.investors.all()) == [second]
    assert Investment.objects.count() == 1


def test_investment_errors(manager_client):
    InvestorFactory(slug="cong-ty-a")
    InvestmentFactory(code="fdi-old")
    rows = [
        ["code", "name", "kind", "investors", "gate", "capital"],
        ["fdi-1", "A", "fdi", "no-such", "", ""],
        ["fdi-2", "B", "fdi", "", "", ""],
        ["fdi-3", "C", "fdi", "cong-ty-a", "no-gate", ""],
        ["fdi-4", "D", "fdi", "cong-ty-a", "", "1,5 triệu"],
        ["fdi-old", "E", "loan", "", "", ""],
    ]
    before = snapshot()
    errors = errors_of(check(manager_client, csv_bytes(rows), kind="investments"))
    assert [(number, column) for number, column, _message in errors] == [
        (2, "investors"),
        (3, "investors"),
        (4, "gate"),
        (5, "capital"),
        (6, "kind"),
    ]
    assert snapshot() == before


# Access, CSRF and the upload between the two steps ------------------------------------------


def test_only_users_with_the_permission_may_import(client, django_user_model):
    client.force_login(staff(django_user_model, "change_project", "add_project"))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"template": "projects"}).status_code == 403
    data = csv_bytes(PROJECT_ROWS[:1] + [["p1", "A", "road", "", "", "", ""]])
    response = client.post(URL, {"kind": "projects", "file": SimpleUploadedFile("a.csv", data)})
    assert response.status_code == 403
    assert client.post(URL, {"token": "0" * 32}).status_code == 403
    assert not Project.objects.exists()


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url", [URL, "/admin/import/"])
def test_the_page_renders_for_managers_in_both_languages(manager_client, url):
    response = manager_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "?template=investments&amp;format=xlsx" in html
    assert "total_investment" in html  # the columns, with what each takes


def test_the_preview_names_the_file_and_its_kind(manager_client):
    data = csv_bytes([["code", "name", "category"], ["p1", "A", "road"]])
    html = check(manager_client, data, name="projects-2025.csv").content.decode()
    assert "File “projects-2025.csv”, projects." in html
    assert "To create: 1." in html


def test_a_post_without_a_file_shows_the_form_again(manager_client):
    response = manager_client.post(URL, {"kind": "projects"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_posts_need_the_csrf_token(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    data = csv_bytes([["code", "name", "category"], ["p1", "A", "road"]])
    response = client.post(URL, {"kind": "projects", "file": SimpleUploadedFile("a.csv", data)})
    assert response.status_code == 403
    assert not Project.objects.exists()


@pytest.mark.parametrize("token", ["0" * 32, "../../../etc/passwd", "", "x" * 5000])
def test_an_unknown_token_is_refused_without_writing(manager_client, token):
    response = manager_client.post(URL, {"token": token}, follow=True)
    assert response.status_code == 200
    assert "no longer available" in response.content.decode()


def test_a_token_applies_once_and_only_for_its_session(
    manager_client, django_user_model, upload_dir
):
    response = check(manager_client, csv_bytes([["code", "name", "category"], ["p1", "A", "road"]]))
    token = response.context["token"]
    other = Client()
    other.force_login(staff(django_user_model, "import_records", username="other"))
    other.post(URL, {"token": token})
    assert not Project.objects.exists()  # another user's session does not know the token

    manager_client.post(URL, {"token": token})
    assert Project.objects.count() == 1
    assert not (upload_dir / token).exists()  # an applied upload is deleted
    response = manager_client.post(URL, {"token": token}, follow=True)
    assert "no longer available" in response.content.decode()


def test_an_upload_changed_on_disk_is_not_applied(manager_client, upload_dir):
    response = check(manager_client, csv_bytes([["code", "name", "category"], ["p1", "A", "road"]]))
    (upload_dir / response.context["token"]).write_bytes(b"code,name,category\np2,B,road\n")
    response = apply(manager_client, response)
    assert not Project.objects.exists()


# Queries ------------------------------------------------------------------------------------


def project_file(count: int) -> bytes:
    """``count`` new projects, each with its own programme and two gates of its own."""
    rows = [["code", "name", "category", "programme", "gates"]]
    for n in range(count):
        ProgrammeFactory(code=f"ct-{n}")
        GateFactory(code=f"a-{n}")
        GateFactory(code=f"b-{n}")
        rows.append([f"p-{n}", f"Dự án {n}", "road", f"ct-{n}", f"a-{n}; b-{n}"])
    return csv_bytes(rows)


# Validating a new project costs a fixed number of queries (``full_clean``: its unique fields,
# its foreign keys and each CHECK constraint); what the rows refer to is loaded once per file.
QUERIES_PER_ROW = 30
QUERIES_PER_FILE = 15


@pytest.mark.parametrize("count", [5, 40])
def test_the_dry_run_loads_references_once_per_file(
    manager_client, django_assert_max_num_queries, count
):
    data = project_file(count)
    with django_assert_max_num_queries(QUERIES_PER_FILE + QUERIES_PER_ROW * count) as queries:
        response = check(manager_client, data)
    assert response.context["report"].counts["create"] == count
    sql = [query["sql"] for query in queries.captured_queries]
    assert len([q for q in sql if 'FROM "gates_gate"' in q]) == 1
    assert len([q for q in sql if q.startswith('SELECT "projects_programme"."id"')]) == 1
    assert len([q for q in sql if q.startswith('SELECT "projects_project"."id"')]) == 1


def test_each_kind_of_file_needs_its_own_permission(client, django_user_model):
    """Projects and allocations need ``projects.import_records``, investments
    ``investment.import_records``: a user with one sees, uploads and applies only its kinds."""
    user = django_user_model.objects.create_user("p", password="pw-123456", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="import_records", content_type__app_label="projects")
    )
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "?template=projects&amp;format=csv" in html
    assert "?template=investments" not in html
    assert client.get(URL, {"template": "investments"}).status_code == 404
    rows = [["code", "name", "kind"], ["i1", "A", "fdi"]]
    upload = SimpleUploadedFile("i.csv", csv_bytes(rows))
    response = client.post(URL, {"kind": "investments", "file": upload})
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Investment.objects.exists()


def test_an_upload_waits_for_a_user_who_may_still_import_its_kind(client, django_user_model):
    """A dry run stored for a kind the user may no longer import is not applied."""
    user = staff(django_user_model, "import_records", username="both")
    client.force_login(user)
    InvestorFactory(slug="cong-ty-a")
    rows = [["code", "name", "kind", "investors"], ["i1", "A", "fdi", "cong-ty-a"]]
    token = check(client, csv_bytes(rows), kind="investments").context["token"]
    assert token
    user.user_permissions.remove(
        Permission.objects.get(codename="import_records", content_type__app_label="investment")
    )
    client.force_login(django_user_model.objects.get(pk=user.pk))
    response = client.post(URL, {"token": token}, follow=True)
    assert "no longer available" in response.content.decode()
    assert not Investment.objects.exists()
