"""Progress reports: posted in the admin, they move the project under the status rules; photos
are checked; the public project page shows them as a timeline."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from projects.models import ProgressReport, Project, ReportPhoto
from tests.conftest import role_member
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/projects/progressreport/add/"


def png(size=(40, 30), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def report_form(project, **changes) -> dict:
    data = {
        "project": project.pk,
        "date": "2025-06-30",
        "status": "under_way",
        "progress_percent": "65",
        "disbursed_to_date": "120000000000",
        "narrative": "Đã hoàn thành phần móng cầu.",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def with_photo(data: dict, upload, caption="Móng cầu") -> dict:
    return {
        **data,
        "photos-TOTAL_FORMS": "1",
        "photos-0-image": upload,
        "photos-0-caption": caption,
    }


def snapshot():
    return (
        list(Project.objects.values()),
        list(ProgressReport.objects.values()),
        list(ReportPhoto.objects.values()),
    )


def test_an_editor_posts_a_report_with_a_photo_and_it_moves_the_project(client, django_user_model):
    project = ProjectFactory(status="approved", progress_percent=0)
    editor = role_member(django_user_model, "editor")
    client.force_login(editor)
    upload = SimpleUploadedFile("mong.png", png(), content_type="image/png")
    response = client.post(ADD_URL, with_photo(report_form(project), upload))
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert (project.status, project.progress_percent) == ("under_way", 65)
    report = ProgressReport.objects.get()
    assert report.author == editor
    photo = report.photos.get()
    assert photo.image.name.endswith(".jpg") and "mong" not in photo.image.name  # re-encoded
    # The change is in the project's history, with who made it.
    latest = project.history.order_by("-history_id").first()
    assert latest.history_user == editor and latest.status == "under_way"

    page = client.get(project.get_absolute_url()).content.decode()
    assert "Báo cáo tiến độ" in page
    assert "Đã hoàn thành phần móng cầu." in page
    assert photo.image.url in page
    assert "30/06/2025" in page


def test_a_cancelled_project_is_not_reopened_by_an_editors_report(client, django_user_model):
    project = ProjectFactory(status="cancelled", progress_percent=10)
    client.force_login(role_member(django_user_model, "editor"))
    before = snapshot()
    response = client.post(ADD_URL, report_form(project, status="under_way"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "chỉ người quản lý mới có thể mở lại" in " ".join(errors["status"])
    assert snapshot() == before


def test_a_manager_may_reopen_a_cancelled_project_by_a_report(client, django_user_model):
    project = ProjectFactory(status="cancelled")
    client.force_login(role_member(django_user_model, "manager"))
    response = client.post(ADD_URL, report_form(project, status="under_way"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "under_way"


def test_an_operating_project_does_not_go_back_to_proposed_for_an_editor(client, django_user_model):
    project = ProjectFactory(status="in_operation")
    client.force_login(role_member(django_user_model, "editor"))
    response = client.post(ADD_URL, report_form(project, status="proposed"))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert Project.objects.get(pk=project.pk).status == "in_operation"


@override_settings(TRACKER_PHOTO_MAX_BYTES=2_000)
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.png", png(size=(400, 400)) + b"\0" * 3_000, "lớn nhất cho phép"),
        ("script.png", b"<script>alert(1)</script>", "không phải"),
        ("doc.pdf", b"%PDF-1.4 not an image", "không phải"),
        ("empty.jpg", b"", "rỗng"),
    ],
)
def test_oversized_or_non_image_photos_are_refused_and_nothing_is_saved(
    client, django_user_model, name, content, message
):
    project = ProjectFactory(status="approved", progress_percent=0)
    client.force_login(role_member(django_user_model, "editor"))
    before = snapshot()
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = client.post(ADD_URL, with_photo(report_form(project), upload))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("errorlist") - 200 : html.find("errorlist") + 400]
    assert snapshot() == before


def test_a_report_dated_in_the_future_is_refused(client, django_user_model):
    project = ProjectFactory()
    client.force_login(role_member(django_user_model, "editor"))
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client.post(ADD_URL, report_form(project, date=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert not ProgressReport.objects.exists()


def test_an_older_report_does_not_move_the_project_back(client, django_user_model):
    project = ProjectFactory(status="approved", progress_percent=0)
    client.force_login(role_member(django_user_model, "editor"))
    assert client.post(ADD_URL, report_form(project, progress_percent="70")).status_code == 302
    older = report_form(project, date="2024-01-31", progress_percent="20", status="approved")
    assert client.post(ADD_URL, older).status_code == 302
    project.refresh_from_db()
    assert (project.status, project.progress_percent) == ("under_way", 70)
    page = client.get(project.get_absolute_url()).content.decode()
    assert page.index("30/06/2025") < page.index("31/01/2024")  # newest first


def test_the_public_page_shows_that_no_report_exists(client):
    project = ProjectFactory()
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Chưa có báo cáo tiến độ nào." in page


def test_report_text_is_escaped_on_the_public_page(client, django_user_model):
    project = ProjectFactory(status="approved")
    client.force_login(role_member(django_user_model, "editor"))
    hostile = report_form(project, narrative='<script>alert("x")</script>')
    assert client.post(ADD_URL, hostile).status_code == 302
    client.logout()
    page = client.get(project.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_an_editor_adds_photos_only_to_their_own_reports(client, django_user_model):
    project = ProjectFactory(status="under_way")
    manager = role_member(django_user_model, "manager", "lan")
    editor = role_member(django_user_model, "editor", "hoa")
    theirs = ProgressReport.objects.create(
        project=project, date=datetime.date(2025, 1, 5), status="under_way", author=manager
    )
    own = ProgressReport.objects.create(
        project=project, date=datetime.date(2025, 2, 5), status="under_way", author=editor
    )
    client.force_login(editor)
    url = "/admin/projects/reportphoto/add/"
    upload = SimpleUploadedFile("a.png", png(), content_type="image/png")
    response = client.post(url, {"report": theirs.pk, "image": upload, "caption": "x"})
    assert response.status_code == 200
    assert "report" in response.context["adminform"].form.errors
    assert not ReportPhoto.objects.exists()
    # The report box does not offer another's reports either.
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "projects", "model_name": "reportphoto", "field_name": "report"},
    ).json()
    assert [int(row["id"]) for row in found["results"]] == [own.pk]
    upload = SimpleUploadedFile("b.png", png(), content_type="image/png")
    response = client.post(url, {"report": own.pk, "image": upload, "caption": "y"})
    assert response.status_code == 302
    assert ReportPhoto.objects.get().report == own
