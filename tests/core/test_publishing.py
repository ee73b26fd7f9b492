"""Drafts: seen by staff only until a manager publishes them; never on public pages, in the
anonymous API, the exports, the map or OC4IDS. Editors change only what their role allows."""

import json

import pytest
from rest_framework.test import APIClient

from gates.models import Gate
from investment.models import Investment, Investor
from projects.models import Project
from tests.conftest import role_member
from tests.gates.factories import GateFactory
from tests.helpers import if_match, token_client
from tests.investment.factories import InvestmentFactory, InvestorFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

DRAFT = "Bản nháp bí mật"


@pytest.fixture
def drafts():
    gate = GateFactory(name=f"{DRAFT} cửa khẩu", slug="draft-gate", is_published=False)
    public_gate = GateFactory(slug="public-gate")
    project = ProjectFactory(
        name=f"{DRAFT} dự án",
        slug="draft-project",
        is_published=False,
        latitude=22.8,
        longitude=106.5,
        gates=[gate, public_gate],
    )
    investor = InvestorFactory(
        name=f"{DRAFT} nhà đầu tư", slug="draft-investor", is_published=False
    )
    investment = InvestmentFactory(
        name=f"{DRAFT} đầu tư", slug="draft-investment", is_published=False
    )
    investment.investors.set([investor])
    # Published records that refer to the drafts.
    public = ProjectFactory(slug="public-project", gates=[gate, public_gate])
    public_investment = InvestmentFactory(slug="public-investment")
    public_investment.investors.set([investor, InvestorFactory(slug="public-investor")])
    return {"project": project, "gate": gate, "public": public}


PUBLIC_URLS = [
    "/",
    "/en/",
    "/projects/",
    "/projects/?search=nhap",
    "/projects/export.csv",
    "/projects/export.xlsx",
    "/projects/map.geojson",
    "/gates/",
    "/gates/export.csv",
    "/gates/map.geojson",
    "/gates/public-gate/",
    "/projects/public-project/",
    "/investors/",
    "/investments/",
    "/investors/public-investor/",
    "/map/",
    "/api/v1/projects/",
    "/api/v1/projects/?format=csv",
    "/api/v1/projects/?format=geojson",
    "/api/v1/projects/public-project/",
    "/api/v1/gates/",
    "/api/v1/investors/",
    "/api/v1/investments/",
    "/api/v1/investments/public-investment/",
    "/api/v1/oc4ids/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_drafts_never_appear_in_public_pages_api_exports_or_oc4ids(client, drafts, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    if url.endswith("xlsx"):
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body)).active
        text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert DRAFT not in text
    assert "draft-project" not in text and "draft-gate" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/projects/draft-project/",
        "/gates/draft-gate/",
        "/investors/draft-investor/",
        "/api/v1/projects/draft-project/",
        "/api/v1/gates/draft-gate/",
        "/api/v1/investors/draft-investor/",
        "/api/v1/investments/draft-investment/",
    ],
)
def test_a_drafts_own_address_is_a_404_for_the_public(client, drafts, url):
    assert client.get(url).status_code == 404


def test_the_dashboard_counts_only_published_projects(client, drafts):
    html = client.get("/").content.decode()
    assert Project.objects.count() == 2
    assert DRAFT not in html
    oc4ids = json.loads(b"".join(client.get("/api/v1/oc4ids/").streaming_content))
    assert [p["title"] for p in oc4ids["projects"]] == [drafts["public"].name]


def test_staff_see_drafts_in_the_api(django_user_model, drafts):
    api = token_client(role_member(django_user_model, "viewer"))
    slugs = {row["slug"] for row in api.get("/api/v1/projects/").json()["results"]}
    assert slugs == {"draft-project", "public-project"}
    draft = api.get("/api/v1/projects/draft-project/").json()
    assert draft["is_published"] is False
    assert {g["slug"] for g in draft["gates"]} == {"draft-gate", "public-gate"}
    # A draft has no public page to link to; a published record does.
    assert draft["page_url"] is None
    public = api.get("/api/v1/projects/public-project/").json()
    assert public["page_url"] == "http://testserver/projects/public-project/"


def test_an_editor_cannot_publish_and_a_manager_can(django_user_model, drafts):
    url = "/api/v1/projects/draft-project/"
    editor = token_client(role_member(django_user_model, "editor"))
    response = editor.patch(url, {"is_published": True}, format="json", **if_match(editor, url))
    assert response.status_code == 403
    assert Project.objects.get(slug="draft-project").is_published is False
    manager = token_client(role_member(django_user_model, "manager"))
    response = manager.patch(url, {"is_published": True}, format="json", **if_match(manager, url))
    assert response.status_code == 200
    assert APIClient().get(url).status_code == 200


def test_new_records_from_the_api_are_drafts(django_user_model):
    manager = token_client(role_member(django_user_model, "manager"))
    body = {"slug": "moi", "name": "Nhà đầu tư mới", "kind": "foreign_company"}
    assert manager.post("/api/v1/investors/", body, format="json").status_code == 201
    assert Investor.objects.get(slug="moi").is_published is False
    assert APIClient().get("/api/v1/investors/moi/").status_code == 404


def test_an_editor_changes_only_status_and_progress_through_the_api(django_user_model):
    ProjectFactory(slug="p", status="approved", name="Tên cũ")
    editor = token_client(role_member(django_user_model, "editor"))
    url = "/api/v1/projects/p/"
    response = editor.patch(url, {"name": "Tên mới"}, format="json", **if_match(editor, url))
    assert response.status_code == 403
    assert "name" in response.json()["detail"]
    assert Project.objects.get(slug="p").name == "Tên cũ"
    body = {"status": "under_way", "progress_percent": "12.5"}
    response = editor.patch(url, body, format="json", **if_match(editor, url))
    assert response.status_code == 200
    assert Project.objects.get(slug="p").status == "under_way"


def test_an_editors_admin_form_is_read_only_but_for_status_and_progress(client, django_user_model):
    project = ProjectFactory()
    client.force_login(role_member(django_user_model, "editor"))
    form = client.get(f"/admin/projects/project/{project.pk}/change/").context["adminform"].form
    assert set(form.fields) == {
        "status",
        "progress_percent",
        "actual_start",
        "actual_end",
        "record_version",
    }


def test_a_manager_publishes_from_the_admin(client, django_user_model):
    client.force_login(role_member(django_user_model, "manager"))
    gate = GateFactory(is_published=False)
    form = client.get(f"/admin/gates/gate/{gate.pk}/change/").context["adminform"].form
    assert "is_published" in form.fields
    client.logout()
    client.force_login(role_member(django_user_model, "editor", "e2"))
    # Editors may not change gates at all; managers' forms carry the published box.
    assert client.get(f"/admin/gates/gate/{gate.pk}/change/").status_code == 200
    assert Gate.objects.get(pk=gate.pk).is_published is False
    assert Investment.objects.count() == 0
