"""The admin: every page renders for staff; bad input is refused with a message and saves nothing;
bulk status changes go through the service."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from core.admin import form_version
from core.history import is_history
from core.models import Citation
from projects.models import Project
from tests.projects.factories import ProjectFactory

MODEL_ADMINS = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)
DOMAIN_APPS = {"core", "gates", "projects", "investment"}


def test_every_domain_model_is_registered():
    missing = [
        f"{model._meta.app_label}.{model.__name__}"
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry and model is not Citation and not is_history(model)
    ]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "model_name"), MODEL_ADMINS)
def test_changelist_add_and_change_pages_render(demo_data, staff_client, app_label, model_name):
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    response = staff_client.get(changelist)
    assert response.status_code == 200
    assert staff_client.get(changelist, {"q": "tra linh"}).status_code == 200
    model = apps.get_model(app_label, model_name)
    # Sign-in records (django-axes) are made by sign-ins only: their admin has no add page.
    adds = app_label != "axes"
    add = staff_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code == (200 if adds else 403)
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
        assert staff_client.get(change).status_code == 200


@pytest.mark.django_db
def test_admin_is_vietnamese_by_default(staff_client):
    response = staff_client.get(reverse("admin:projects_project_changelist"))
    assert response["Content-Language"] == "vi"
    assert 'lang="vi"' in response.content.decode()


def project_form(project: Project, **changes) -> dict:
    data = {
        "code": project.code,
        "name": project.name,
        "slug": project.slug,
        "category": project.category,
        "project_type": project.project_type,
        "status": project.status,
        "progress_percent": str(project.progress_percent),
        "funding_source": project.funding_source,
        "total_investment": str(project.total_investment),
        "currency": project.currency,
        "planned_start": "2020-01-01",
        "planned_end": "2022-12-31",
        "location_approximate": "",
        "record_version": form_version(project, admin.site._registry[Project].form_children()),
    }
    if project.is_published:
        data["is_published"] = "on"
    for prefix in ("allocations", "reports", "events", "core-citation-content_type-object_id"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"progress_percent": "150"}, "progress_percent"),
        ({"total_investment": "-5"}, "total_investment"),
        ({"planned_end": "2019-01-01"}, "planned_end"),
        ({"latitude": "22.8"}, "longitude"),
        ({"currency": "XYZ"}, "currency"),
        ({"total_investment": "abc"}, "total_investment"),
        ({"slug": "trà lĩnh"}, "slug"),
        ({"planned_start": "2020-13-45"}, "planned_start"),
    ],
)
def test_admin_form_refuses_bad_values_next_to_the_field(staff_client, changes, field):
    project = ProjectFactory()
    before = Project.objects.filter(pk=project.pk).values().get()
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = staff_client.post(url, project_form(project, **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    page = response.content.decode()
    assert 'class="errorlist' in page
    assert "Vui lòng sửa các lỗi dưới đây." in page
    assert "Please correct" not in page
    assert Project.objects.filter(pk=project.pk).values().get() == before


@pytest.mark.django_db
def test_django_validation_messages_are_vietnamese(staff_client):
    project = ProjectFactory()
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = staff_client.post(url, project_form(project, slug="trà lĩnh"))
    assert response.context["adminform"].form.errors["slug"] == [
        "Nhập đường dẫn rút gọn (slug) hợp lệ, chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới "
        "hoặc gạch ngang."
    ]


@pytest.mark.django_db
def test_admin_form_saves_good_values(staff_client):
    project = ProjectFactory()
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = staff_client.post(url, project_form(project, progress_percent="55"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.progress_percent == 55


def bulk(client, action: str, projects, **extra):
    return client.post(
        reverse("admin:projects_project_changelist"),
        {"action": action, "_selected_action": [p.pk for p in projects], **extra},
        follow=True,
    )


@pytest.mark.django_db
def test_a_bulk_status_change_asks_first_and_then_goes_through_the_service(manager_client):
    projects = ProjectFactory.create_batch(3, status=Project.Status.UNDER_WAY)
    first = bulk(manager_client, "set_status_in_operation", projects)
    # A confirmation page naming the projects; nothing changed yet.
    assert first.status_code == 200
    page = first.content.decode()
    assert all(p.name in page for p in projects)
    assert 'name="post" value="yes"' in page
    assert set(Project.objects.values_list("status", flat=True)) == {"under_way"}
    done = bulk(manager_client, "set_status_in_operation", projects, post="yes", index="0")
    assert done.status_code == 200
    assert set(Project.objects.values_list("status", flat=True)) == {"in_operation"}


@pytest.mark.django_db
def test_a_bulk_status_change_over_the_whole_filtered_list(manager_client):
    ProjectFactory.create_batch(3, status=Project.Status.UNDER_WAY)
    kept = ProjectFactory(status=Project.Status.PROPOSED)
    url = reverse("admin:projects_project_changelist") + "?status__exact=under_way"
    data = {"action": "set_status_suspended", "select_across": "1", "index": "0"}
    data["_selected_action"] = list(
        Project.objects.filter(status="under_way").values_list("pk", flat=True)[:1]
    )
    assert "3" in manager_client.post(url, data).content.decode()
    # The confirmation carries the page's ticked rows and "all of them" on.
    response = manager_client.post(url, {**data, "post": "yes"})
    assert response.status_code == 302
    assert Project.objects.filter(status="suspended").count() == 3
    assert Project.objects.get(pk=kept.pk).status == "proposed"


@pytest.mark.django_db
def test_editors_have_no_bulk_status_change(editor_client):
    projects = ProjectFactory.create_batch(2, status=Project.Status.UNDER_WAY)
    page = editor_client.get(reverse("admin:projects_project_changelist")).content.decode()
    assert "set_status_cancelled" not in page
    for data in ({}, {"post": "yes", "index": "0"}):
        bulk(editor_client, "set_status_cancelled", projects, **data)
    assert set(Project.objects.values_list("status", flat=True)) == {"under_way"}


@pytest.mark.django_db
def test_bulk_status_change_is_all_or_nothing_through_the_service(manager_client):
    cancelled = ProjectFactory(status=Project.Status.CANCELLED)
    other = ProjectFactory(status=Project.Status.UNDER_WAY)
    response = bulk(
        manager_client, "set_status_in_operation", [cancelled, other], post="yes", index="0"
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    # Reopening a cancelled project is not done in bulk, not even by a manager.
    assert any(cancelled.name in m for m in messages)
    assert Project.objects.get(pk=cancelled.pk).status == "cancelled"
    assert Project.objects.get(pk=other.pk).status == "under_way"


@pytest.mark.django_db
def test_anonymous_visitors_cannot_reach_the_admin(client):
    response = client.get(reverse("admin:projects_project_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
