"""Answers kept for anonymous readers until the data changes (``core.cache.kept_answer``): the
same address read again costs no query and gives the same bytes; any write shows at once; staff,
errors and streams are never kept."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.helpers import if_match, token_client
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/map/",
    "/projects/?status=under_way&ordering=-investment",
    "/en/projects/",
    "/projects/p-a/",
    "/api/v1/projects/?status=under_way",
    "/api/v1/projects/p-a/",
]


def read(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


@pytest.fixture
def project():
    return ProjectFactory(code="p-a", slug="p-a", name="Cầu A", status="under_way")


@pytest.mark.parametrize("url", PAGES)
def test_an_address_read_again_costs_no_query_and_gives_the_same_answer(client, project, url):
    first, made = read(client, url)
    assert first.status_code == 200
    assert made > 0
    again, made_again = read(client, url)
    assert (again.status_code, made_again) == (200, 0)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    # The middleware's headers are added afresh to a kept answer.
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "ETag"):
        assert again[header] == first[header], header


def test_a_kept_answer_is_still_conditional(client, project):
    url = "/api/v1/projects/p-a/"
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_write_from_the_api_shows_at_once_on_every_kept_answer(
    client, project, django_user_model, django_capture_on_commit_callbacks
):
    for url in PAGES:
        client.get(url)
    manager = django_user_model.objects.create_superuser("m", "m@example.org", "pw-123456")
    api = token_client(manager)
    url = "/api/v1/projects/p-a/"
    with django_capture_on_commit_callbacks(execute=True):
        changed = api.patch(url, {"name": "Cầu Mới"}, format="json", **if_match(api, url))
    assert changed.status_code == 200, changed.content
    for url in ["/projects/?status=under_way&ordering=-investment", "/projects/p-a/"]:
        assert "Cầu Mới" in client.get(url).content.decode(), url
    for url in ["/api/v1/projects/?status=under_way", "/api/v1/projects/p-a/"]:
        assert "Cầu Mới" in client.get(url).content.decode(), url


def test_a_change_made_outside_a_request_shows_at_once(client, project):
    assert "Cầu A" in client.get("/projects/p-a/").content.decode()
    project.name = "Cầu B"
    project.save()
    assert "Cầu B" in client.get("/projects/p-a/").content.decode()
    project.delete()
    assert client.get("/projects/p-a/").status_code == 404


def test_staff_answers_are_never_kept_nor_given_to_the_public(client, django_user_model):
    ProjectFactory(code="p-draft", slug="p-draft", name="Bản nháp", is_published=False)
    manager = django_user_model.objects.create_superuser("m", "m@example.org", "pw-123456")
    api = token_client(manager)
    url = "/api/v1/projects/"
    assert api.get(url).json()["count"] == 1  # staff see the draft through the API
    _staff_again, made = read(api, url)
    assert made > 0
    assert client.get(url).json()["count"] == 0
    assert api.get(url).json()["count"] == 1

    signed_in = Client()
    signed_in.force_login(manager)
    signed_in.get("/projects/")
    _page, made = read(signed_in, "/projects/")
    assert made > 0


def test_errors_are_never_kept(client, project):
    for url in ["/projects/?year_from=abc", "/projects/?page=99", "/projects/nothing-here/"]:
        first, _ = read(client, url)
        again, made = read(client, url)
        assert first.status_code == again.status_code >= 400
        assert made > 0, url


def test_streams_are_never_kept(client, project):
    for url in ["/projects/export.csv", "/api/v1/projects/?format=csv"]:
        client.get(url)
        response, made = read(client, url)
        assert response.streaming
        assert made > 0, url


def test_nothing_is_kept_when_keeping_is_off(client, project, settings):
    settings.TRACKER_KEEP_RESULTS = False
    client.get("/projects/p-a/")
    _again, made = read(client, "/projects/p-a/")
    assert made > 0


def test_an_answer_is_kept_per_host_and_scheme(client, project, settings):
    """An answer names itself (the API's page_url): another host or scheme gets its own."""
    settings.ALLOWED_HOSTS = ["testserver", "tracker.example.org"]
    url = "/api/v1/projects/p-a/"
    plain = client.get(url).json()["page_url"]
    other = client.get(url, HTTP_HOST="tracker.example.org").json()["page_url"]
    secure = client.get(url, secure=True).json()["page_url"]
    assert plain.startswith("http://testserver/")
    assert other.startswith("http://tracker.example.org/")
    assert secure.startswith("https://testserver/")
