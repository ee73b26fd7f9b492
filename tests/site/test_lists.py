"""One list, one spec: the same query string keeps the same rows on the page, in its CSV, its
GeoJSON, the API's JSON and CSV, and OC4IDS; a filter value that is not valid is refused by all
of them (``core.lists.ListSpec``)."""

import csv
import io
import json

import pytest

from projects.models import Project
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

QUERY = {"status": "under_way", "search": "cau"}


@pytest.fixture
def projects():
    ProjectFactory(code="a", name="Cầu A", status="under_way", latitude=22.8, longitude=106.3)
    ProjectFactory(code="b", name="Cầu B", status="under_way")
    ProjectFactory(code="c", name="Đường C", status="under_way", latitude=22.7, longitude=106.2)
    ProjectFactory(code="d", name="Cầu D", status="approved", latitude=22.6, longitude=106.1)
    ProjectFactory(code="e", name="Cầu E", status="under_way", is_published=False)


def csv_codes(content: bytes, column: str) -> set[str]:
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return {row[column] for row in rows}


def streamed(response) -> bytes:
    """The body, streamed (downloads) or whole (a small GeoJSON)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_the_page_its_downloads_the_map_and_the_api_keep_the_same_rows(client, projects):
    page = client.get("/en/projects/", QUERY)
    assert {p.code for p in page.context["page_obj"].object_list} == {"a", "b"}
    assert csv_codes(streamed(client.get("/en/projects/export.csv", QUERY)), "Code") == {"a", "b"}
    features = json.loads(streamed(client.get("/en/projects/map.geojson", QUERY)))["features"]
    # The map shows the rows that have a position.
    assert {f["properties"]["slug"] for f in features} == {Project.objects.get(code="a").slug}
    api = client.get("/api/v1/projects/", QUERY).json()
    assert {p["code"] for p in api["results"]} == {"a", "b"}
    api_csv = streamed(client.get("/api/v1/projects/", {**QUERY, "format": "csv"}))
    assert csv_codes(api_csv, "code") == {"a", "b"}
    api_map = json.loads(streamed(client.get("/api/v1/projects/", {**QUERY, "format": "geojson"})))
    assert len(api_map["features"]) == 1
    package = json.loads(streamed(client.get("/api/v1/oc4ids/", QUERY)))
    assert len(package["projects"]) == 2


@pytest.mark.parametrize(
    "url",
    [
        "/en/projects/",
        "/en/projects/export.csv",
        "/en/projects/export.xlsx",
        "/en/projects/map.geojson",
        "/api/v1/projects/",
        "/api/v1/oc4ids/",
        "/en/gates/",
        "/en/gates/map.geojson",
        "/api/v1/gates/",
        "/en/investors/export.csv",
        "/api/v1/investments/",
    ],
)
def test_a_filter_value_that_is_not_valid_is_refused_everywhere(client, url):
    assert client.get(url, {"ordering": "not-a-column"}).status_code == 400


def test_a_list_s_total_is_counted_once_until_the_data_changes(client):
    """The total of a filtered list is kept until the next write (``core.cache``): another
    request for the same rows (here with ``page=1`` spelled out, so that the whole answer is not
    the one kept) makes no COUNT, and a new row is counted at once, on the page as in the API."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counted(url, params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        made_count = any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
        return response, made_count

    for url, total in [
        ("/api/v1/projects/", lambda r: r.json()["count"]),
        ("/projects/", lambda r: r.context["paginator"].count),
    ]:
        ProjectFactory(status="under_way")
        expected = Project.objects.filter(status="under_way").count()
        first, made = counted(url, {"status": "under_way"})
        assert (total(first), made) == (expected, True)
        again, made = counted(url, {"status": "under_way", "page": 1})
        assert (total(again), made) == (expected, False)
