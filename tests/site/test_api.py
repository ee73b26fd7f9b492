"""The REST API v1: public reads with the public lists' filters, staff writes through the
services, formats, HTTP caching, CORS and throttling."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from projects.models import Project
from tests.gates.factories import GateFactory
from tests.helpers import if_match, token_client
from tests.investment.factories import InvestmentFactory
from tests.projects.factories import ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "projects",
    "programmes",
    "gates",
    "gate-events",
    "trade",
    "investors",
    "investments",
    "reported-figures",
]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-123456", is_staff=True)
    for codename in ("add_project", "change_project"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return token_client(user)


@pytest.fixture
def reader(django_user_model):
    return token_client(django_user_model.objects.create_user("reader", password="pw-123456"))


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_list_and_detail_is_public(api, demo_data, name):
    InvestmentFactory()  # the demo data records no investment individually
    response = api.get(f"/api/v1/{name}/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["results"]) > 0
    first = body["results"][0]
    key = first.get("slug") or first.get("code") or first["id"]
    if name in ("gate-events", "trade"):
        key = first["id"]
    assert api.get(f"/api/v1/{name}/{key}/").status_code == 200


def test_the_query_string_means_what_it_means_on_the_page(api, client, demo_data):
    query = "status=in_operation&gate=tra-linh&ordering=-name"
    page = [p.code for p in client.get(f"/projects/?{query}").context["page_obj"]]
    api_codes = [p["code"] for p in api.get(f"/api/v1/projects/?{query}").json()["results"]]
    assert api_codes == page
    assert api_codes  # not vacuous


def test_search_ignores_diacritics(api, demo_data):
    names = [g["name"] for g in api.get("/api/v1/gates/?search=TRA LINH").json()["results"]]
    assert names == ["Trà Lĩnh"]


def test_related_records_are_embedded(api, demo_data):
    project = api.get("/api/v1/projects/cao-toc-dong-dang-tra-linh/").json()
    assert project["gates"] == [{"slug": "tra-linh", "name": "Trà Lĩnh"}]
    assert project["citations"][0]["source"]["title"]


def test_capital_per_year_and_totals_are_in_the_project(api, db):
    project = ProjectFactory(slug="p")
    YearlyAllocationFactory(project=project, year=2021, allocated=100, disbursed=40)
    YearlyAllocationFactory(project=project, year=2022, allocated=50, disbursed=0)
    body = api.get("/api/v1/projects/p/").json()
    assert [a["year"] for a in body["allocations"]] == [2021, 2022]
    assert (body["allocated_total"], body["disbursed_total"]) == (150, 40)


def test_amounts_and_coordinates_are_json_numbers(api, db):
    """What pandas, GIS programs and generated clients expect; the schema says number."""
    ProjectFactory(slug="p", total_investment=21_000_000_000_000, latitude=22.85, longitude=106.6)
    raw = api.get("/api/v1/projects/p/").content.decode()
    assert '"total_investment":21000000000000.0' in raw.replace(" ", "")
    body = json.loads(raw)
    assert (body["latitude"], body["longitude"]) == (22.85, 106.6)
    listed = api.get("/api/v1/projects/").json()["results"][0]
    assert listed["total_investment"] == 21_000_000_000_000
    schema = api.get("/api/v1/schema/?format=json").json()
    fields = schema["components"]["schemas"]["Project"]["properties"]
    assert fields["total_investment"]["type"] == "number"
    assert fields["latitude"]["type"] == "number"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page_size=0", 400),
        ("page_size=201", 400),
        ("page_size=abc", 400),
        ("page_size=200", 200),
        ("page=abc", 404),
        ("page=99999", 404),
        ("status=exploded", 400),
        ("ordering=password", 400),
        ("investment_min=1e999999&currency=VND", 400),
        ("search=" + "x" * 10_000, 200),
        ("gate=%00", 400),
    ],
)
def test_bad_query_strings_get_a_4xx_with_a_message(api, db, query, status):
    response = api.get(f"/api/v1/projects/?{query}")
    assert response.status_code == status
    if status >= 400:
        assert response.json()


def test_csv_format_streams_the_filtered_list(api, db):
    ProjectFactory(status="in_operation", code="a")
    ProjectFactory(status="cancelled", code="b")
    response = api.get("/api/v1/projects/?format=csv&status=in_operation")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["code"], r["status"]) for r in rows] == [("a", "in_operation")]


def test_csv_format_keeps_every_value_exact(api, db):
    """The API's CSV is for programs: text as it is (the site's spreadsheet downloads neutralise
    formulas), numbers as numbers, times in Asia/Ho_Chi_Minh with their offset."""
    import datetime

    from django.utils import timezone

    project = ProjectFactory(name="-Cầu Tà Lùng II", latitude=-22.5, longitude=106)
    Project.objects.filter(pk=project.pk).update(
        updated_at=datetime.datetime(2026, 11, 27, 14, 13, tzinfo=datetime.UTC)
    )
    ProjectFactory(name='Cầu; =HYPERLINK("http://evil.example")')
    response = api.get("/api/v1/projects/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    first, second = csv.DictReader(io.StringIO(text))
    assert first["name"] == "-Cầu Tà Lùng II"
    assert second["name"] == 'Cầu; =HYPERLINK("http://evil.example")'
    assert Decimal(first["latitude"]) == Decimal("-22.5")
    assert first["updated_at"] == "2026-11-27T21:13:00+07:00"
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"


def test_geojson_format_has_the_rows_with_coordinates(api, db):
    GateFactory(latitude=22.8, longitude=106.5, slug="placed")
    GateFactory()
    response = api.get("/api/v1/gates/?format=geojson")
    assert response["Content-Type"] == "application/geo+json"
    assert int(response["Content-Length"]) == len(response.content)
    data = json.loads(response.content)
    [placed] = data["features"]
    assert placed["id"] == placed["properties"]["slug"] == "placed"
    assert placed["geometry"] == {"type": "Point", "coordinates": [106.5, 22.8]}
    assert placed["properties"]["url"] == "http://testserver" + reverse(
        "gates:gate-detail", args=["placed"]
    )


@pytest.mark.parametrize(
    "accept", ["text/plain, application/json", "application/json", "text/html", "*/*"]
)
@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_the_format_asked_for_wins_over_accept(api, db, accept, fmt):
    """GDAL asks for ?format=geojson with Accept: text/plain, application/json."""
    GateFactory(latitude=22.8, longitude=106.5)
    response = api.get(f"/api/v1/gates/?format={fmt}", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        {"csv": "text/csv", "geojson": "application/geo+json"}[fmt]
    )


def test_accept_alone_still_negotiates(api, db):
    assert api.get("/api/v1/gates/", HTTP_ACCEPT="text/csv").status_code == 200
    assert api.get("/api/v1/gates/", HTTP_ACCEPT="image/png").status_code == 406


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_an_error_is_json_whatever_format_was_asked(api, db, fmt):
    response = api.get(f"/api/v1/projects/?format={fmt}&status=exploded")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "status" in response.json()


def test_anonymous_and_unprivileged_writes_are_refused_and_store_nothing(api, reader, db):
    body = {"code": "x", "slug": "x", "name": "X", "category": "road"}
    assert api.post("/api/v1/projects/", body, format="json").status_code == 401
    assert reader.post("/api/v1/projects/", body, format="json").status_code == 403
    assert not Project.objects.exists()


def test_staff_with_permission_create_through_the_services(editor, db):
    GateFactory(slug="tra-linh")
    body = {
        "code": "new",
        "slug": "new",
        "name": "Đường mới",
        "category": "road",
        "gates": ["tra-linh"],
        "total_investment": "1000",
        "currency": "VND",
    }
    response = editor.post("/api/v1/projects/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["gates"] == [
        {"slug": "tra-linh", "name": Project.objects.get().gates.get().name}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"progress_percent": "150"}, "progress_percent"),
        ({"currency": "XYZ"}, "currency"),
        ({"status": "exploded"}, "status"),
        ({"total_investment": "-5"}, "total_investment"),
        ({"latitude": "22.5"}, "longitude"),  # coordinates come in pairs (model rule)
        ({"planned_start": "2022-01-01", "planned_end": "2021-01-01"}, "planned_end"),
        ({"gates": ["no-such-gate"]}, "gates"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_writes_are_400_per_field_and_change_nothing(editor, db, body, field):
    project = ProjectFactory(slug="p", progress_percent=40)
    before = Project.objects.values().get(pk=project.pk)
    headers = if_match(editor, "/api/v1/projects/p/")
    response = editor.patch("/api/v1/projects/p/", body, format="json", **headers)
    assert response.status_code == 400
    assert field in response.json()
    assert Project.objects.values().get(pk=project.pk) == before


def test_a_cancelled_project_cannot_be_reopened_through_the_api(editor, db):
    ProjectFactory(slug="p", status="cancelled")
    response = editor.patch(
        "/api/v1/projects/p/",
        {"status": "under_way"},
        format="json",
        **if_match(editor, "/api/v1/projects/p/"),
    )
    assert response.status_code == 400
    assert "status" in response.json()
    assert Project.objects.get().status == "cancelled"


def test_malformed_json_is_a_400(editor, db):
    response = editor.generic(
        "POST", "/api/v1/projects/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_conditional_get_answers_304(api, demo_data):
    first = api.get("/api/v1/gates/tra-linh/")
    etag = first["ETag"]
    assert etag
    again = api.get("/api/v1/gates/tra-linh/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_other_sites_may_read_but_not_write(api, demo_data):
    response = api.get("/api/v1/gates/", HTTP_ORIGIN="https://news.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        "/api/v1/gates/",
        HTTP_ORIGIN="https://news.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")


def test_anonymous_clients_are_throttled_with_retry_after(api, db, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    cache.clear()
    statuses = [api.get("/api/v1/gates/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(api.get("/api/v1/gates/")["Retry-After"]) > 0
    cache.clear()


def test_schema_and_docs_are_served(api, db):
    schema = api.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/projects/" in schema["paths"]
    responses = schema["paths"]["/api/v1/projects/{slug}/"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404"} <= set(responses)
    docs = api.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs


def test_deleting_a_record_others_refer_to_is_a_409_and_deletes_nothing(django_user_model, db):
    gate = GateFactory(slug="tra-linh")
    InvestmentFactory(gate=gate)
    staff = token_client(django_user_model.objects.create_superuser("s", "s@example.org", "pw"))
    response = staff.delete("/api/v1/gates/tra-linh/", **if_match(staff, "/api/v1/gates/tra-linh/"))
    assert response.status_code == 409
    assert response.json()["detail"]
    assert type(gate).objects.filter(slug="tra-linh").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/gate-events/99999999999999999999999/",
        "/api/v1/trade/-1/",
        "/api/v1/projects/%00/",
        "/api/v1/gates/a%00b/",
        "/api/v1/reported-figures/%27%3B--/",
    ],
)
def test_impossible_identifiers_are_404_not_database_errors(api, db, path):
    assert api.get(path).status_code == 404


def test_nul_characters_in_a_body_are_refused(editor, db):
    body = {"code": "x", "slug": "x", "name": "X", "category": "road", "gates": ["a\x00b"]}
    response = editor.post("/api/v1/projects/", body, format="json")
    assert response.status_code == 400
    assert "gates" in response.json()
    assert not Project.objects.exists()


def test_a_record_has_last_modified_and_answers_if_modified_since(api, db):
    ProjectFactory(slug="p")
    first = api.get("/api/v1/projects/p/")
    assert first["Last-Modified"]
    again = api.get("/api/v1/projects/p/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_an_oversized_body_is_refused_with_413_and_stores_nothing(editor, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"code": "x", "slug": "x", "name": "X", "category": "road", "description": "x" * 5000}
    response = editor.post("/api/v1/projects/", body, format="json")
    # Django refuses it (400) when it has read the body already, the API's parser (413) if not.
    assert response.status_code in (400, 413)
    assert not Project.objects.exists()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    assert editor.post("/api/v1/projects/", body, format="json").status_code == 201


def test_csv_names_linked_and_related_records_as_the_list_shows_them(api, db, django_user_model):
    """Read as values: the related programme by its slug, the gates by their slugs in name order,
    the public's without the draft gate, staff's with it."""
    from tests.helpers import token_client
    from tests.projects.factories import ProgrammeFactory

    gates = [
        GateFactory(name="Trà Lĩnh", slug="tra-linh"),
        GateFactory(name="Bí mật", slug="draft", is_published=False),
        GateFactory(name="Sóc Giang", slug="soc-giang"),
    ]
    ProjectFactory(code="a", programme=ProgrammeFactory(slug="ct-1"), gates=gates)
    ProjectFactory(code="b", programme=None)

    def rows(client):
        response = client.get("/api/v1/projects/?format=csv&ordering=name")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return {r["code"]: (r["programme"], r["gates"]) for r in csv.DictReader(io.StringIO(text))}

    assert rows(api) == {"a": ("ct-1", "soc-giang; tra-linh"), "b": ("", "")}
    manager = django_user_model.objects.create_superuser("m", "m@example.org", "pw-123456")
    assert rows(token_client(manager))["a"] == ("ct-1", "draft; soc-giang; tra-linh")


def test_a_repeated_ordering_is_refused_not_half_read(api, client, db):
    ProjectFactory()
    response = api.get("/api/v1/projects/?ordering=name&ordering=-investment")
    assert response.status_code == 400
    assert "ordering" in response.json()
    page = client.get("/projects/?ordering=name&ordering=-investment")
    assert page.status_code == 400
    assert api.get("/api/v1/projects/?ordering=status,-investment").status_code == 200


def test_a_large_collection_is_streamed_and_stays_valid(api, db, monkeypatch):
    from core import geojson

    monkeypatch.setattr(geojson, "BUFFERED_FEATURES", 2)
    for number in range(3):
        GateFactory(latitude=22.8, longitude=106.5 + number / 10)
    response = api.get("/api/v1/gates/?format=geojson")
    assert response.streaming
    data = json.loads(b"".join(response.streaming_content))
    assert len(data["features"]) == 3
    whole = api.get("/api/v1/gates/?format=geojson&kind=market")
    assert not whole.streaming  # no gate of that kind: an empty collection, sent whole
    assert json.loads(whole.content) == {"type": "FeatureCollection", "features": []}


def test_a_source_address_is_an_iri_in_the_schema_and_the_answer(api, db):
    from core.models import Citation, Source

    source = Source.objects.create(
        code="iri", title="Cửa khẩu Trà Lĩnh", url="https://infosekolah.net/vi/Cửa_khẩu_Trà_Lĩnh"
    )
    project = ProjectFactory(slug="p")
    Citation.objects.create(content_object=project, source=source)
    body = api.get("/api/v1/projects/p/").json()
    assert body["citations"][0]["source"]["url"] == "https://infosekolah.net/vi/Cửa_khẩu_Trà_Lĩnh"
    schema = api.get("/api/v1/schema/?format=json").json()
    assert schema["components"]["schemas"]["Source"]["properties"]["url"]["format"] == "iri"


@pytest.mark.parametrize(
    ("headers", "query", "language", "message"),
    [
        ({}, "", "vi", "Không có trang kết quả này."),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}, "", "en", "There is no such page of results."),
        ({"HTTP_ACCEPT_LANGUAGE": "en"}, "&lang=vi", "vi", "Không có trang kết quả này."),
        ({}, "&lang=en", "en", "There is no such page of results."),
        ({}, "&lang=fr", "vi", "Không có trang kết quả này."),
    ],
)
def test_the_api_answers_in_the_language_asked(client, db, headers, query, language, message):
    response = client.get(f"/api/v1/projects/?page=99{query}", **headers)
    assert response.status_code == 404
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    assert response.json() == {"detail": message}


def test_filter_messages_follow_the_api_language(client, db):
    english = client.get("/api/v1/projects/?status=bogus", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["status"][0].startswith("Select a valid choice.")
    vietnamese = client.get("/api/v1/projects/?status=bogus").json()
    assert vietnamese["status"][0].startswith("Hãy chọn")
    assert client.get("/api/v1/projects/?page_size=0&lang=en").json() == {
        "page_size": ["A whole number from 1 to 200."]
    }
