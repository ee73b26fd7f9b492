"""Full history (who, when, what from what to what), restore of deleted records, and no lost
updates: in the admin (stale form refused) and in the API (If-Match / ETag, 412 and 428)."""

import datetime

import pytest

from core.history import record_version
from projects.models import Project, YearlyAllocation
from tests.conftest import role_member
from tests.core.test_admin import project_form
from tests.helpers import if_match, token_client
from tests.projects.factories import ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db


def change_url(project):
    return f"/admin/projects/project/{project.pk}/change/"


def logged_in(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


def test_every_change_is_kept_with_who_and_a_readable_diff(client, django_user_model):
    project = ProjectFactory(progress_percent=40, status="under_way")
    manager = role_member(django_user_model, "manager", "lan")
    client.force_login(manager)
    form = project_form(project, progress_percent="55", status="in_operation")
    assert client.post(change_url(project), form).status_code == 302
    latest = project.history.order_by("-history_id").first()
    assert latest.history_user == manager
    assert latest.history_type == "~"
    page = client.get(f"/admin/projects/project/{project.pk}/history/").content.decode()
    assert "lan" in page
    # The diff: field, old value → new value.
    assert "Tiến độ thi công (%):</strong> 40,00&nbsp;&rarr;&nbsp;55,00" in page
    labels = dict(Project.Status.choices)
    assert f"{labels['under_way']}&nbsp;&rarr;&nbsp;{labels['in_operation']}" in page


def test_a_deleted_project_is_restored_by_a_manager_with_its_code_and_address(
    client, django_user_model
):
    project = ProjectFactory(code="cau-x", slug="cau-x", name="Cầu X", progress_percent=30)
    pk = project.pk
    manager = role_member(django_user_model, "manager")
    client.force_login(manager)
    response = client.post(f"/admin/projects/project/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Project.objects.filter(pk=pk).exists()

    deleted = client.get("/admin/deleted/").content.decode()
    assert "Cầu X" in deleted
    assert "Cầu X" in client.get("/admin/deleted/?model=projects.project").content.decode()
    assert "Cầu X" not in client.get("/admin/deleted/?model=gates.gate").content.decode()
    for junk in ("?model=%00", "?model=<script>", "?p=abc", "?p=99999999999999999999"):
        assert client.get(f"/admin/deleted/{junk}").status_code == 200
    history = client.get(f"/admin/projects/project/{pk}/history/")
    assert history.status_code == 200
    version = project.history.filter(history_type="+").get()
    revert_url = f"/admin/projects/project/{pk}/history/{version.history_id}/"
    form = client.get(revert_url).context["adminform"].form
    data = {
        **project_form(project),
        "record_version": form.fields["record_version"].initial,
        "is_published": "on",
    }
    response = client.post(revert_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    restored = Project.objects.get(pk=pk)
    assert (restored.code, restored.slug, restored.name) == ("cau-x", "cau-x", "Cầu X")
    assert client.get(restored.get_absolute_url()).status_code == 200


def test_an_editor_cannot_restore_or_revert(client, django_user_model):
    project = ProjectFactory()
    version = project.history.get()
    client.force_login(role_member(django_user_model, "editor"))
    url = f"/admin/projects/project/{project.pk}/history/{version.history_id}/"
    assert client.post(url, project_form(project)).status_code == 403


def test_a_stale_admin_edit_is_refused_naming_who_changed_what(client, django_user_model):
    from django.test import Client

    project = ProjectFactory(progress_percent=40, status="under_way")
    first = logged_in(Client, role_member(django_user_model, "editor", "hoa"))
    second = logged_in(Client, role_member(django_user_model, "manager", "minh"))
    # Both open the page; the form carries the version each of them saw.
    form_a = project_form(project, progress_percent="60")
    form_b = project_form(project, progress_percent="45", name="Tên mới")
    assert first.post(change_url(project), form_a).status_code == 302
    response = second.post(change_url(project), form_b)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "hoa" in errors
    assert "40" in errors and "60" in errors
    project.refresh_from_db()
    assert (project.progress_percent, project.name) == (60, Project.objects.get().name)
    assert project.name != "Tên mới"


def test_a_damaged_version_field_is_a_message_not_a_500(staff_client):
    project = ProjectFactory()
    for bad in ("", "abc", "9" * 40, "-1"):
        response = staff_client.post(change_url(project), project_form(project, record_version=bad))
        assert response.status_code == 200
        assert response.context["adminform"].form.non_field_errors()


@pytest.fixture
def manager_api(django_user_model):
    return token_client(role_member(django_user_model, "manager", "api-manager"))


def test_api_writes_without_if_match_are_428_and_change_nothing(manager_api):
    project = ProjectFactory(slug="p", progress_percent=40)
    before = Project.objects.values().get(pk=project.pk)
    response = manager_api.patch("/api/v1/projects/p/", {"progress_percent": "50"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert manager_api.delete("/api/v1/projects/p/").status_code == 428
    star = manager_api.patch(
        "/api/v1/projects/p/", {"progress_percent": "50"}, format="json", HTTP_IF_MATCH="*"
    )
    assert star.status_code == 428
    assert Project.objects.values().get(pk=project.pk) == before


def test_api_stale_write_is_412_naming_who_changed_what(manager_api, django_user_model):
    project = ProjectFactory(slug="p", progress_percent=40)
    stale = if_match(manager_api, "/api/v1/projects/p/")
    other = token_client(role_member(django_user_model, "editor", "hoa"))
    response = other.patch(
        "/api/v1/projects/p/",
        {"progress_percent": "60"},
        format="json",
        **if_match(other, "/api/v1/projects/p/"),
    )
    assert response.status_code == 200
    assert response["ETag"] != stale["HTTP_IF_MATCH"]
    before = Project.objects.values().get(pk=project.pk)
    response = manager_api.patch(
        "/api/v1/projects/p/", {"progress_percent": "45"}, format="json", **stale
    )
    assert response.status_code == 412
    body = response.json()
    assert "hoa" in body["detail"] and "60" in body["detail"]
    assert body["etag"] == manager_api.get("/api/v1/projects/p/")["ETag"]
    assert Project.objects.values().get(pk=project.pk) == before
    assert manager_api.delete("/api/v1/projects/p/", **stale).status_code == 412
    assert Project.objects.filter(pk=project.pk).exists()


def test_a_stale_edit_names_the_time_of_the_change_in_vietnam(manager_api, django_user_model):
    """An edit at 14:13 UTC was made at 21:13 in Vietnam: the message says 21:13."""
    ProjectFactory(slug="p", progress_percent=40)
    stale = if_match(manager_api, "/api/v1/projects/p/")
    other = token_client(role_member(django_user_model, "editor", "hoa"))
    other.patch(
        "/api/v1/projects/p/",
        {"progress_percent": "60"},
        format="json",
        **if_match(other, "/api/v1/projects/p/"),
    )
    Project.history.filter(slug="p").update(
        history_date=datetime.datetime(2026, 11, 27, 14, 13, tzinfo=datetime.UTC)
    )
    response = manager_api.patch(
        "/api/v1/projects/p/", {"progress_percent": "45"}, format="json", **stale
    )
    assert response.status_code == 412
    detail = response.json()["detail"]
    assert "21:13" in detail and "14:13" not in detail


def test_api_etag_changes_when_what_a_read_shows_changes(manager_api):
    project = ProjectFactory(slug="p")
    first = manager_api.get("/api/v1/projects/p/")["ETag"]
    assert manager_api.get("/api/v1/projects/p/")["ETag"] == first
    assert manager_api.get("/api/v1/projects/p/", HTTP_IF_NONE_MATCH=first).status_code == 304
    YearlyAllocationFactory(project=project, year=2024)
    assert manager_api.get("/api/v1/projects/p/")["ETag"] != first


def test_api_write_with_the_current_etag_succeeds_and_records_the_user(manager_api):
    project = ProjectFactory(slug="p", progress_percent=40)
    response = manager_api.patch(
        "/api/v1/projects/p/",
        {"progress_percent": "50"},
        format="json",
        **if_match(manager_api, "/api/v1/projects/p/"),
    )
    assert response.status_code == 200
    assert response["ETag"] == manager_api.get("/api/v1/projects/p/")["ETag"]
    latest = project.history.order_by("-history_id").first()
    assert latest.history_user.username == "api-manager"
    assert latest.progress_percent == 50


def test_the_version_moves_with_every_save():
    project = ProjectFactory()
    version = record_version(project)
    project.name = "Khác"
    project.save()
    assert record_version(project) > version
    allocation = YearlyAllocationFactory(project=project)
    assert YearlyAllocation.history.filter(id=allocation.pk).count() == 1


def test_a_stale_edit_of_rows_on_the_same_page_is_refused(client, django_user_model):
    """Two people edit a project's yearly allocations (inline): the second save is refused."""
    from django.test import Client

    project = ProjectFactory()
    allocation = YearlyAllocationFactory(project=project, year=2024, allocated=100, disbursed=10)
    first = logged_in(Client, role_member(django_user_model, "manager", "hoa"))
    second = logged_in(Client, role_member(django_user_model, "manager", "minh"))

    def with_allocation(disbursed):
        return {
            **project_form(project),
            "allocations-TOTAL_FORMS": "1",
            "allocations-INITIAL_FORMS": "1",
            "allocations-0-id": str(allocation.pk),
            "allocations-0-project": str(project.pk),
            "allocations-0-year": "2024",
            "allocations-0-allocated": "100",
            "allocations-0-disbursed": disbursed,
        }

    form_a, form_b = with_allocation("60"), with_allocation("30")  # both opened the page
    assert first.post(change_url(project), form_a).status_code == 302
    response = second.post(change_url(project), form_b)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "hoa" in errors
    allocation.refresh_from_db()
    assert allocation.disbursed == 60


@pytest.mark.parametrize("role", ["viewer", "editor", "manager"])
def test_an_old_version_opens_for_every_role_and_only_a_manager_may_restore_it(
    client, django_user_model, role
):
    project = ProjectFactory(name="Cầu cũ", progress_percent=40, status="under_way")
    old = project.history.get()
    project.name = "Cầu mới"
    project.save()
    client.force_login(role_member(django_user_model, role))
    response = client.get(f"/admin/projects/project/{project.pk}/history/{old.history_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    # The old values, read only for those who may not restore; the restore button for managers.
    assert "Cầu cũ" in page
    assert ('name="_save"' in page) is (role == "manager")
    if role != "manager":
        assert 'name="name"' not in page
        assert 'name="progress_percent"' not in page


@pytest.mark.django_db(transaction=True)
def test_a_manager_restores_a_version_outside_a_test_transaction(client, django_user_model):
    """Restoring locks the record (SELECT … FOR UPDATE): on PostgreSQL that needs a transaction
    of the view's own, which a test wrapped in one would hide."""
    project = ProjectFactory(name="Cầu cũ", progress_percent=40, status="under_way")
    old = project.history.get()
    project.name = "Cầu mới"
    project.save()
    client.force_login(role_member(django_user_model, "manager"))
    url = f"/admin/projects/project/{project.pk}/history/{old.history_id}/"
    form = client.get(url).context["adminform"].form
    data = {
        **project_form(project, name="Cầu cũ"),
        "record_version": form["record_version"].value(),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.name == "Cầu cũ"


def test_the_deleted_records_page_reaches_every_deletion_in_order(client, django_user_model):
    """Pages over all deletions of every kind, newest first: none beyond the first page is lost
    (it once kept 50 per kind)."""
    from gates.models import Gate
    from tests.gates.factories import GateFactory

    projects = ProjectFactory.create_batch(60)
    gates = GateFactory.create_batch(45)
    for project, gate in zip(projects, gates, strict=False):
        project.delete()
        gate.delete()
    for project in projects[45:]:
        project.delete()
    client.force_login(role_member(django_user_model, "manager"))
    seen = []
    for number in (1, 2, 3):
        page = client.get(f"/admin/deleted/?p={number}")
        assert page.status_code == 200
        seen += [(row["kind"], row["entry"]) for row in page.context["entries"]]
    assert len({(kind, entry.history_id) for kind, entry in seen}) == 105
    dates = [entry.history_date for _kind, entry in seen]
    assert dates == sorted(dates, reverse=True)
    assert sum(isinstance(entry.instance, Gate) for _kind, entry in seen) == 45
    only_gates = client.get("/admin/deleted/?model=gates.gate")
    assert only_gates.context["page"].paginator.count == 45
