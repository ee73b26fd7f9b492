"""Every list downloads as CSV and XLSX with its filters, streamed, with formulas neutralised."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.utils.html import escape
from openpyxl import load_workbook

from core.api.viewsets import DownloadsBusy
from core.views import ExportView
from projects.exports import PROJECT_COLUMNS
from tests.gates.factories import GateFactory
from tests.investment.factories import InvestmentFactory, InvestorFactory
from tests.projects.factories import ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","click")'


def read_csv(response) -> list[list[str]]:
    assert response.streaming  # written to the client as it is produced
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs then read it as UTF-8
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def read_xlsx(response):
    assert response.streaming
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def test_project_csv_has_the_filtered_rows_only(client):
    gate = GateFactory(slug="tra-linh")
    wanted = ProjectFactory(status="under_way", gates=[gate], name="Cầu Trà Lĩnh")
    YearlyAllocationFactory(project=wanted, year=2021, allocated=100, disbursed=40)
    ProjectFactory(status="cancelled", gates=[gate])
    ProjectFactory(status="under_way")
    rows = read_csv(client.get("/projects/export.csv?status=under_way&gate=tra-linh"))
    header, body = rows[0], rows[1:]
    assert len(header) == len(PROJECT_COLUMNS)
    assert [row[0] for row in body] == [wanted.code]
    assert body[0][1] == "Cầu Trà Lĩnh"
    # Capital allocated and disbursed over the years, machine-readable.
    allocated = header.index("Vốn bố trí (lũy kế các năm)")
    assert (Decimal(body[0][allocated]), Decimal(body[0][allocated + 1])) == (100, 40)


def test_export_uses_the_same_search_as_the_page(client, db):
    GateFactory(name="Trà Lĩnh")
    GateFactory(name="Tà Lùng")
    rows = read_csv(client.get("/gates/export.csv?search=tra linh"))
    assert [row[1] for row in rows[1:]] == ["Trà Lĩnh"]


def test_csv_neutralises_formulas(client):
    ProjectFactory(name=FORMULA)
    ProjectFactory(name="-2+3")
    ProjectFactory(name="@SUM(A1)")
    names = {row[1] for row in read_csv(client.get("/projects/export.csv"))[1:]}
    assert names == {"'" + FORMULA, "'-2+3", "'@SUM(A1)"}


# Formulas inside a cell: a spreadsheet that splits the cell again at ";" (Vietnamese Excel's
# separator) or ",", or at a tab or line break when it ignores the quotes, and trims the spaces
# or quotes in front, would run each of them. Each gets its apostrophe.
INSIDE = {
    f"abc;{FORMULA}": f"abc;'{FORMULA}",
    "x,+1": "x,'+1",
    "a; -2+3": "a; '-2+3",
    "a;\t@SUM(A1)": "a;\t'@SUM(A1)",
    'a, "=1+1"': 'a, "\'=1+1"',
    " =1+1": "' =1+1",
    "Ghi chú\n=1+1": "Ghi chú\n'=1+1",
    "=1,=2": "'=1,'=2",
}
# Text that only looks close to a formula stays as it is.
PLAIN = ["Cầu Trà Lĩnh - Hùng Quốc", "Km 5, phía Bắc", "1,5 km; 2-3 làn", "a@b.example"]


def runs_as_formula(text: str) -> bool:
    """Whether a piece of ``text``, split at a separator and trimmed, starts a formula."""
    pieces = re.split(r"[,;\t\r\n]", text)
    return any(re.sub(r'^[\s"]+', "", piece).startswith(("=", "+", "-", "@")) for piece in pieces)


def test_csv_neutralises_formulas_inside_a_cell(client):
    for name in [*INSIDE, *PLAIN]:
        ProjectFactory(name=name, gates=[GateFactory(name="-2+3"), GateFactory(name="Tà Lùng")])
    rows = read_csv(client.get("/en/projects/export.csv"))
    gates = rows[0].index("Gates served")
    names = {row[1] for row in rows[1:]}
    assert names == {*INSIDE.values(), *PLAIN}
    assert not any(runs_as_formula(name) for name in names)
    # Names joined in one cell: "'-2+3; Tà Lùng" or "Tà Lùng; '-2+3".
    assert all(runs_as_formula(row[gates].replace("'", "")) for row in rows[1:])
    assert not any(runs_as_formula(row[gates]) for row in rows[1:])


def test_negative_numbers_stay_numbers(client):
    ProjectFactory(name="-5", latitude=Decimal("-22.5"), longitude=Decimal("-106.25"))
    header, row = read_csv(client.get("/en/projects/export.csv"))
    assert row[1] == "'-5"  # text
    latitude, longitude = row[header.index("Latitude")], row[header.index("Longitude")]
    assert (Decimal(latitude), Decimal(longitude)) == (Decimal("-22.5"), Decimal("-106.25"))
    sheet = read_xlsx(client.get("/en/projects/export.xlsx"))
    cells = {cell.value: cell for cell in sheet[2]}
    assert cells["-5"].data_type == "s"
    assert cells[-22.5].data_type == cells[-106.25].data_type == "n"


def test_xlsx_marks_the_text_csv_neutralises_as_text(client):
    """Stored as typed text, the cells stay text; the formula-like ones are also marked as text
    typed after an apostrophe (quotePrefix), so editing one in Excel does not make it a formula."""
    for name in [*INSIDE, *PLAIN]:
        ProjectFactory(name=name)
    sheet = read_xlsx(client.get("/projects/export.xlsx"))
    cells = {row[1].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == {*INSIDE, *PLAIN}  # the text itself, without apostrophes
    assert all(cell.data_type == "s" for cell in cells.values())
    assert {name for name, cell in cells.items() if cell.quotePrefix} == set(INSIDE)


def test_xlsx_stores_formula_like_text_as_text(client):
    ProjectFactory(name=FORMULA, total_investment=1234)
    sheet = read_xlsx(client.get("/projects/export.xlsx"))
    header = [cell.value for cell in sheet[1]]
    amount_column = header.index("Tổng mức đầu tư") + 1
    name_cell, amount_cell = sheet.cell(row=2, column=2), sheet.cell(row=2, column=amount_column)
    assert name_cell.value == FORMULA
    assert name_cell.data_type == "s"  # a string, never a formula
    assert amount_cell.value == 1234  # amounts stay numbers


def test_xlsx_drops_characters_a_spreadsheet_cannot_hold(client):
    GateFactory(name="Cửa khẩu\x07 chuông")
    sheet = read_xlsx(client.get("/gates/export.xlsx"))
    assert sheet.cell(row=2, column=2).value == "Cửa khẩu chuông"


@pytest.mark.parametrize(
    "path",
    [
        "/projects/export.csv",
        "/projects/export.xlsx",
        "/gates/export.csv",
        "/gates/export.xlsx",
        "/investors/export.csv",
        "/investors/export.xlsx",
        "/investments/export.csv",
        "/investments/export.xlsx",
    ],
)
def test_every_list_downloads_in_both_formats(client, path):
    investor = InvestorFactory()
    InvestmentFactory(investors=[investor])
    ProjectFactory(gates=[GateFactory()])
    response = client.get(path)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if path.endswith(".csv"):
        assert len(read_csv(response)) == 2
    else:
        assert read_xlsx(response).max_row == 2


def test_investor_export_totals_each_currency_apart(client):
    investor = InvestorFactory(name="Vinh Cơ")
    InvestmentFactory(investors=[investor], capital=10, currency="USD")
    InvestmentFactory(investors=[investor], capital=5, currency="VND")
    InvestmentFactory(investors=[investor], capital=3, currency="VND", capital_type="disbursed")
    rows = read_csv(client.get("/en/investors/export.csv"))
    assert rows[1][5] == "10.00 USD (Registered); 3.00 VND (Disbursed); 5.00 VND (Registered)"


DOWNLOADS = [
    "/projects/export.csv",
    "/projects/export.xlsx",
    "/gates/export.csv",
    "/api/v1/projects/?format=csv",
    "/api/v1/oc4ids/",
]


@pytest.fixture
def one_slot(settings):
    from django.core.cache import cache

    settings.TRACKER_EXPORT_SLOTS = 1
    settings.TRACKER_EXPORT_WAIT = 0
    yield "download-slot:0"
    cache.delete("download-slot:0")


@pytest.mark.parametrize("url", DOWNLOADS)
def test_a_download_with_no_slot_free_answers_503_and_starts_nothing(client, one_slot, url):
    from django.core.cache import cache

    ProjectFactory()
    cache.add(one_slot, "another download", 60)
    busy = client.get(url)
    assert busy.status_code == 503
    assert not busy.streaming
    assert int(busy["Retry-After"]) > 0
    if url.startswith("/api/"):
        # In the format asked for, errors are written as JSON.
        assert json.loads(busy.content)["detail"] == str(DownloadsBusy().detail)
    else:
        assert busy.context["error"] == ExportView.busy_message()
        assert escape(busy.context["error"]) in busy.content.decode()
    cache.delete(one_slot)
    free = client.get(url)
    assert free.status_code == 200
    assert free.streaming
    b"".join(free.streaming_content)


def test_a_download_holds_its_slot_until_it_ends_or_the_client_goes(client, one_slot):
    from django.core.cache import cache

    ProjectFactory()
    first = client.get("/projects/export.csv")
    assert first.status_code == 200
    assert cache.get(one_slot) is not None
    assert client.get("/api/v1/projects/?format=csv").status_code == 503
    b"".join(first.streaming_content)  # the download ends: its slot is given back
    assert cache.get(one_slot) is None
    second = client.get("/projects/export.xlsx")
    assert second.status_code == 200
    assert cache.get(one_slot) is not None
    b"".join(second.streaming_content)
    assert client.get("/api/v1/oc4ids/").status_code == 200


def test_a_download_gives_its_slot_back_when_the_client_goes(one_slot):
    """The server closes the answer of a client that goes away: closing the download's chunks
    gives the slot back at once (here without a request, since the test client's close() also
    ends the test's database connection)."""
    from django.core.cache import cache

    from core.exports import SEND_SIZE, ExportsBusy, download

    made = []

    def chunks():
        for number in range(1000):
            made.append(number)
            yield str(number % 10) * (SEND_SIZE // 2)

    stream = download(chunks())
    assert made == [0, 1]  # started: its first piece is made at once (two chunks fill it)
    assert cache.get(one_slot) is not None
    with pytest.raises(ExportsBusy):
        download(chunks())
    stream.close()
    assert cache.get(one_slot) is None
    assert len(made) == 2
    again = download(chunks())
    assert next(again) == "0" * (SEND_SIZE // 2) + "1" * (SEND_SIZE // 2)
    again.close()


def test_a_download_is_sent_in_pieces_not_row_by_row(client):
    """Each piece a download yields is one write to the client: rows are joined into pieces of
    about SEND_SIZE, and the file is the same."""
    from core.exports import SEND_SIZE, batched

    ProjectFactory.create_batch(3)
    pieces = list(client.get("/projects/export.csv").streaming_content)
    assert len(pieces) == 1  # three rows and a header: one piece
    rows = [str(number) * 100 for number in range(2000)]
    joined = list(batched(iter(rows)))
    assert "".join(joined) == "".join(rows)
    assert all(len(piece) >= SEND_SIZE for piece in joined[:-1])
    assert len(joined) > 1
    assert list(batched(iter([b"ab", b"c"]), size=2)) == [b"ab", b"c"]


def test_a_download_waits_for_a_slot_to_come_free(client, one_slot, settings):
    import threading

    from django.core.cache import cache

    settings.TRACKER_EXPORT_WAIT = 10
    ProjectFactory()
    cache.add(one_slot, "another download", 60)
    threading.Timer(0.5, cache.delete, [one_slot]).start()
    response = client.get("/projects/export.csv")
    assert response.status_code == 200
    assert len(read_csv(response)) == 2


def test_downloads_go_ahead_with_the_cache_unreachable(client, settings):
    settings.TRACKER_EXPORT_SLOTS = 1
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    ProjectFactory()
    assert len(read_csv(client.get("/projects/export.csv"))) == 2


@pytest.mark.django_db(transaction=True)
def test_a_download_reads_in_a_transaction_of_its_own_and_ends_it(client):
    """Outside any transaction (as in production), a download's rows are read in one (on
    PostgreSQL: a cursor without hold, so the first rows go out before the last are read) that
    ends with the download, read to its end or closed halfway."""
    from django.db import connection

    from core.exports import CHUNK_SIZE, streamed
    from projects.models import Project

    ProjectFactory.create_batch(3)
    response = client.get("/projects/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 4
    assert not connection.in_atomic_block
    rows = streamed(Project.objects.order_by("pk"), CHUNK_SIZE)
    first = next(rows)
    assert connection.in_atomic_block == (connection.vendor == "postgresql")
    assert first == Project.objects.order_by("pk").first()
    rows.close()
    assert not connection.in_atomic_block
    assert connection.get_autocommit()


def test_xlsx_amounts_read_with_separators_and_coordinates_in_full(client):
    ProjectFactory(
        total_investment=Decimal("21000000000000"),
        latitude=Decimal("22.835612"),
        longitude=Decimal("106.412345"),
    )
    sheet = read_xlsx(client.get("/en/projects/export.xlsx"))
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]
    amount = row[header.index("Total investment")]
    assert (amount.value, amount.number_format) == (21_000_000_000_000, "#,##0")
    latitude = row[header.index("Latitude")]
    assert (latitude.value, latitude.number_format) == (22.835612, "General")
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(header)).column_letter}2"
    assert sheet.freeze_panes == "A2"
