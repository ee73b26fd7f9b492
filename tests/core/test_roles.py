"""Staff roles (viewer, editor, manager) against admin pages, API writes and exports."""

import pytest
from django.contrib.auth.models import Group

from core.roles import role_permissions, roles_sync
from projects.models import Project
from tests.helpers import if_match, token_client
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "editor", "manager"]


@pytest.fixture
def project():
    return ProjectFactory(slug="p", status="under_way", progress_percent=10)


def member(django_user_model, role):
    user = django_user_model.objects.create_user(role, password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_the_groups_exist_after_migrate_and_syncing_again_changes_nothing():
    before = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert set(ROLES) <= set(before)
    roles_sync()
    after = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert after == before
    assert {code for _app, code in role_permissions()["editor"]} == before["editor"]


# role: (admin change page GET, admin change POST allowed, admin delete page, API PATCH, API DELETE)
MATRIX = {
    "viewer": (200, False, 403, 403, 403),
    "editor": (200, True, 403, 200, 403),
    "manager": (200, True, 200, 200, 204),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, django_user_model, project, role):
    user = member(django_user_model, role)
    client.force_login(user)
    change_get, may_change, delete_page, api_patch, api_delete = MATRIX[role]
    url = f"/admin/projects/project/{project.pk}/change/"
    assert client.get(url).status_code == change_get
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/projects/project/{project.pk}/delete/").status_code == delete_page
    # A viewer's change page is read-only: Django shows it without a save button.
    html = client.get(url).content.decode()
    assert ('name="_save"' in html) is may_change

    api = token_client(user)
    headers = if_match(api, "/api/v1/projects/p/")
    response = api.patch(
        "/api/v1/projects/p/", {"progress_percent": "55"}, format="json", **headers
    )
    assert response.status_code == api_patch
    expected = 55 if api_patch == 200 else 10
    assert Project.objects.get(pk=project.pk).progress_percent == expected
    headers = if_match(api, "/api/v1/projects/p/")
    assert api.delete("/api/v1/projects/p/", **headers).status_code == api_delete
    assert Project.objects.filter(pk=project.pk).exists() is (api_delete != 204)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_exports_are_public_for_everyone(client, django_user_model, project, role):
    if role:
        client.force_login(member(django_user_model, role))
    assert client.get("/projects/export.csv").status_code == 200
    assert client.get("/api/v1/projects/?format=csv").status_code == 200
    assert client.get("/api/v1/oc4ids/").status_code == 200
