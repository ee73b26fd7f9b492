"""Anything a visitor can type into a query string gets a clear page or a 404, never a 500,
and is escaped wherever it is shown."""

import pytest

from tests.gates.factories import GateFactory
from tests.investment.factories import InvestmentFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'
HOSTILE_QUERIES = [
    "status=exploded",
    "status=",
    "page=abc",
    "page=0",
    "page=-1",
    "page=999999",
    "page=" + "9" * 5000,
    "page=1.5",
    "gate=%00",
    "district=no-such-district",
    "programme=%27%20OR%201%3D1--",
    "year_from=abc",
    "year_from=-5",
    "year_from=2020&year_to=2010",
    "year_to=99999999999999999999999",
    "investment_min=1e999999&currency=VND",
    "investment_min=-1&currency=VND",
    "investment_min=NaN&currency=VND",
    "investment_min=Infinity&currency=VND",
    "currency=XXX",
    "progress_min=101",
    "progress_max=-0.5",
    "capital_min=10&capital_max=1&currency=USD",
    "ordering=password",
    "ordering=-search_text,name",
    "kind=%3Cb%3E",
    "country=ZZ",
    "search=" + "a" * 10_000,
    "search=%25%25%25__",
    "search=%27%3B%20DROP%20TABLE%20projects_project%3B--",
    "search=%00%01%02",
    "search=" + XSS,
    "status=under_way&status=" + XSS,
    "ordering=" + XSS,
    "layer=" + XSS,
]
PATHS = [
    "/projects/",
    "/gates/",
    "/investors/",
    "/investments/",
    "/projects/export.csv",
    "/projects/export.xlsx",
    "/gates/export.csv",
    "/investors/export.xlsx",
    "/investments/export.csv",
    "/gates/map.geojson",
    "/projects/map.geojson",
    "/map/",
    "/",
]


@pytest.fixture
def some_records(db):
    gate = GateFactory(latitude=22.8, longitude=106.5)
    ProjectFactory(gates=[gate], latitude=22.8, longitude=106.5)
    InvestmentFactory()


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("path", PATHS)
def test_hostile_query_strings_never_cause_a_server_error(client, some_records, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 400, 404)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert XSS.encode() not in body


def test_invalid_filter_values_are_named_on_the_page(client, db):
    response = client.get("/projects/?status=exploded&year_from=abc")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "exploded" in html  # Django names the refused choice
    assert response.context["page_obj"] is None


@pytest.mark.parametrize("page", ["abc", "0", "-3", "1.5", "9" * 30])
def test_a_page_that_is_not_a_number_gets_a_message(client, db, page):
    response = client.get(f"/gates/?page={page}")
    assert response.status_code == 404
    assert response.context["error"]


def test_a_page_past_the_end_says_how_many_pages_there_are(client, db):
    response = client.get("/gates/?page=999999")
    assert response.status_code == 404
    assert "999999" in response.context["error"] or "999.999" in response.context["error"]


def test_search_text_is_escaped_in_the_form(client, db):
    html = client.get("/projects/", {"search": XSS}).content.decode()
    assert XSS not in html
    assert "&lt;script&gt;" in html


def test_a_rejected_export_explains_itself_and_writes_nothing(client, db):
    response = client.get("/projects/export.csv?status=exploded")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "exploded" in html
