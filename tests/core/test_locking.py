"""Every write path that locks rows (SELECT … FOR UPDATE: the stale-edit check, posting a
report, restoring) runs in a transaction of its own. These tests are not wrapped in one, so on
PostgreSQL a path without its own transaction fails here as it would in production (SQLite
ignores the lock, which once hid a crash)."""

import pytest

from projects.models import ProgressReport, Project
from tests.conftest import role_member
from tests.core.test_admin import project_form
from tests.helpers import if_match, token_client
from tests.projects.factories import ProjectFactory
from tests.projects.test_reports import ADD_URL, report_form

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_api_patch_with_if_match(django_user_model):
    project = ProjectFactory(slug="p", progress_percent=40)
    api = token_client(role_member(django_user_model, "editor"))
    url = "/api/v1/projects/p/"
    response = api.patch(url, {"progress_percent": "45"}, format="json", **if_match(api, url))
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.progress_percent == 45


def test_an_admin_change(client, django_user_model):
    project = ProjectFactory(progress_percent=40)
    client.force_login(role_member(django_user_model, "manager"))
    url = f"/admin/projects/project/{project.pk}/change/"
    response = client.post(url, project_form(project, progress_percent="50"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.progress_percent == 50


def test_posting_a_report(client, django_user_model):
    project = ProjectFactory(status="approved", progress_percent=0)
    client.force_login(role_member(django_user_model, "editor"))
    assert client.post(ADD_URL, report_form(project)).status_code == 302
    assert ProgressReport.objects.get().project == project
    project.refresh_from_db()
    assert project.status == "under_way"


def test_restoring_a_deleted_record(client, django_user_model):
    project = ProjectFactory(code="cau-x", slug="cau-x", name="Cầu X")
    pk = project.pk
    client.force_login(role_member(django_user_model, "manager"))
    assert client.post(f"/admin/projects/project/{pk}/delete/", {"post": "yes"}).status_code == 302
    version = project.history.filter(history_type="+").get()
    url = f"/admin/projects/project/{pk}/history/{version.history_id}/"
    form = client.get(url).context["adminform"].form
    data = {**project_form(project), "record_version": form["record_version"].value()}
    assert client.post(url, {**data, "is_published": "on"}).status_code == 302
    assert Project.objects.get(pk=pk).code == "cau-x"


def test_a_bulk_status_change(client, django_user_model):
    projects = ProjectFactory.create_batch(2, status="under_way")
    client.force_login(role_member(django_user_model, "manager"))
    response = client.post(
        "/admin/projects/project/",
        {
            "action": "set_status_suspended",
            "_selected_action": [p.pk for p in projects],
            "post": "yes",
            "index": "0",
        },
    )
    assert response.status_code == 302
    assert set(Project.objects.values_list("status", flat=True)) == {"suspended"}
