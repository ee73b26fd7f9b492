"""Deleting never takes other data with it silently: a record others depend on is refused (API
409, the admin's "cannot delete" page, the "delete selected" action), each dependent deleted or
unlinked first; every removal of a link is in the history with its user; and a reported figure
never points at a record that does not exist."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.deletion import DependentsError, dependents, record_delete
from core.models import Citation, ReportedFigure
from core.services import record_save
from gates.models import Gate
from investment.models import Investment
from projects.models import ProgressReport, Project, ProjectEvent, ReportPhoto
from projects.services import report_post
from tests.conftest import role_member
from tests.core.factories import ReportedFigureFactory, SourceFactory
from tests.core.test_admin import project_form
from tests.gates.factories import GateEventFactory, GateFactory, TradeRecordFactory
from tests.helpers import if_match, token_client
from tests.investment.factories import InvestmentFactory, InvestorFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

PROJECT_URL = "/api/v1/projects/cau-x/"


def row_counts() -> dict[str, int]:
    """The number of rows of every table, history and link tables included."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def two_gates() -> tuple[Gate, Gate]:
    return (
        GateFactory(name="Trà Lĩnh", slug="tra-linh"),
        GateFactory(name="Tà Lùng", slug="ta-lung"),
    )


def project_with_dependents(name="Cầu X", slug="cau-x") -> Project:
    """A project as in the production test: 4 events, 5 citations, 6 reported figures about
    it, and 2 gates it serves."""
    project = ProjectFactory(code=slug, slug=slug, name=name, gates=list(two_gates()))
    source = SourceFactory()
    for n in range(4):
        ProjectEvent.objects.create(
            project=project,
            date=datetime.date(2020, 1, n + 1),
            kind=ProjectEvent.Kind.REPORTED,
            title=f"Sự kiện {n}",
            source=source,
        )
    for n in range(5):
        Citation.objects.create(source=SourceFactory(title=f"Nguồn {n}"), content_object=project)
    for n in range(6):
        as_of = datetime.date(2020, 11, 29) - datetime.timedelta(days=n)  # newest first
        ReportedFigureFactory(label=f"Số liệu {n}", as_of=as_of, subject=project)
    return project


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("cau.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def manager(django_user_model):
    return role_member(django_user_model, "manager", "lan")


@pytest.mark.django_db(transaction=True)
def test_api_refuses_to_delete_a_project_others_depend_on_until_they_are_deleted(manager):
    project = project_with_dependents()
    api = token_client(manager)
    headers = if_match(api, PROJECT_URL)
    before = row_counts()

    response = api.delete(PROJECT_URL, **headers)

    assert response.status_code == 409
    body = response.json()
    found = {d["model"]: d for d in body["dependents"]}
    assert {model: d["count"] for model, d in found.items()} == {
        "projects.projectevent": 4,
        "core.citation": 5,
        "core.reportedfigure": 6,
        "gates.gate": 2,  # its own links: the API unlinks nothing with a record either
    }
    assert found["projects.projectevent"]["names"][0] == "2020-01-01 Sự kiện 0"
    assert sorted(found["core.citation"]["names"]) == [f"Nguồn {n}" for n in range(5)]
    assert len(found["core.reportedfigure"]["names"]) == 5  # the first five, and the count
    assert sorted(found["gates.gate"]["names"]) == ["Trà Lĩnh", "Tà Lùng"]
    assert found["gates.gate"]["deleted_with_it"] is True
    assert found["core.citation"]["deleted_with_it"] is False
    for text in ("Cầu X", "Sự kiện 0", "Nguồn 0", "Số liệu 0", "(4)", "(5)", "(6)"):
        assert text in body["detail"]
    assert row_counts() == before

    # The dependents deleted explicitly, one by one, and the gates unlinked through the API.
    for event in project.events.all():
        record_delete(instance=event, user=manager)
    for citation in Citation.objects.filter(object_id=project.pk):
        record_delete(instance=citation, user=manager)
    for figure in ReportedFigure.objects.filter(subject_id=project.pk):
        record_delete(instance=figure, user=manager)
    response = api.patch(PROJECT_URL, {"gates": []}, format="json", **if_match(api, PROJECT_URL))
    assert response.status_code == 200
    assert dependents(project) == []

    response = api.delete(PROJECT_URL, **if_match(api, PROJECT_URL))

    assert response.status_code == 204
    assert not Project.objects.filter(pk=project.pk).exists()
    deleted = project.history.order_by("-history_id").first()
    assert (deleted.history_type, deleted.history_user) == ("-", manager)


@pytest.mark.django_db(transaction=True)
def test_the_admin_delete_page_lists_the_dependents_as_protected_and_deletes_nothing(
    client, manager
):
    project = project_with_dependents()
    client.force_login(manager)
    url = f"/admin/projects/project/{project.pk}/delete/"

    response = client.get(url)

    assert response.status_code == 200
    protected = " ".join(str(line) for line in response.context["protected"])
    for text in ("Sự kiện 0", "Sự kiện 3", "Nguồn 0", "Số liệu 0", "(4)", "(5)", "(6)"):
        assert text in protected
    # Each dependent links to its page, where it is deleted or unlinked.
    figure = ReportedFigure.objects.filter(subject_id=project.pk).first()
    assert f"/admin/core/reportedfigure/{figure.pk}/change/" in protected
    assert 'name="post"' not in response.content.decode()  # no "Yes, I'm sure"

    before = row_counts()
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert response.context["protected"]
    assert row_counts() == before


@pytest.mark.django_db(transaction=True)
def test_the_admin_delete_selected_action_refuses_too(client, manager):
    blocked = project_with_dependents()
    free = ProjectFactory(name="Cầu Y")
    client.force_login(manager)
    data = {"action": "delete_selected", "_selected_action": [blocked.pk, free.pk]}

    response = client.post("/admin/projects/project/", data)

    assert response.status_code == 200
    protected = " ".join(str(line) for line in response.context["protected"])
    assert "Cầu X" in protected and "Sự kiện 0" in protected
    before = row_counts()
    response = client.post("/admin/projects/project/", {**data, "post": "yes"})
    assert response.status_code == 200
    assert response.context["protected"]
    assert row_counts() == before  # all or nothing: not even the free one

    response = client.post(
        "/admin/projects/project/", {**data, "_selected_action": [free.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not Project.objects.filter(pk=free.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_gate_linked_from_projects_is_not_deleted_in_the_admin_nor_the_api(client, manager):
    tra_linh, _ta_lung = two_gates()
    project = ProjectFactory(name="Cầu X", gates=[tra_linh])
    client.force_login(manager)
    api = token_client(manager)
    url = f"/admin/gates/gate/{tra_linh.pk}/delete/"

    response = client.get(url)
    protected = " ".join(str(line) for line in response.context["protected"])
    assert "Cầu X" in protected
    assert f"/admin/projects/project/{project.pk}/change/" in protected
    before = row_counts()
    assert client.post(url, {"post": "yes"}).status_code == 200

    gate_url = "/api/v1/gates/tra-linh/"
    response = api.delete(gate_url, **if_match(api, gate_url))
    assert response.status_code == 409
    [found] = response.json()["dependents"]
    assert (found["model"], found["count"], found["names"]) == ("projects.project", 1, ["Cầu X"])
    assert found["deleted_with_it"] is False
    assert row_counts() == before
    assert list(project.gates.all()) == [tra_linh]


def test_a_gate_with_events_or_trade_is_refused_and_one_without_dependents_is_deleted(manager):
    with_event, with_trade = GateEventFactory().gate, TradeRecordFactory().gate
    alone = GateFactory()
    for gate in (with_event, with_trade):
        with pytest.raises(DependentsError):
            record_delete(instance=gate, with_parts=True, user=manager)
    record_delete(instance=alone, user=manager)
    assert set(Gate.objects.all()) == {with_event, with_trade}


def test_a_report_goes_with_its_photos_once_the_admin_has_listed_them(client, manager):
    project = ProjectFactory(name="Cầu X")
    report = report_post(
        ProgressReport(project=project, date=datetime.date(2024, 5, 1), status=project.status),
        user=manager,
    )
    ReportPhoto.objects.create(report=report, image=png_upload(), caption="Mặt cầu")
    client.force_login(manager)
    url = f"/admin/projects/progressreport/{report.pk}/delete/"

    response = client.get(url)
    assert not response.context["protected"]
    assert "Mặt cầu" in str(response.context["deleted_objects"])
    # Without being shown them (as the API would), its photos refuse the delete.
    with pytest.raises(DependentsError):
        record_delete(instance=report, user=manager)

    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not ProgressReport.objects.exists() and not ReportPhoto.objects.exists()
    assert Project.objects.filter(pk=project.pk).exists()


def test_a_project_deleted_in_the_admin_has_the_removal_of_its_gates_in_its_history(
    client, manager
):
    project = ProjectFactory(name="Cầu X", gates=list(two_gates()))
    client.force_login(manager)
    url = f"/admin/projects/project/{project.pk}/delete/"

    response = client.get(url)
    assert not response.context["protected"]
    listed = str(response.context["deleted_objects"])
    assert "Cầu X → Trà Lĩnh" in listed and "Cầu X → Tà Lùng" in listed

    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    unlinked, deleted = project.history.order_by("-history_id")[:2][::-1]
    assert (unlinked.history_type, unlinked.history_user) == ("~", manager)
    assert list(unlinked.gates.all()) == []
    assert (deleted.history_type, deleted.history_user) == ("-", manager)
    page = client.get(f"/admin/projects/project/{project.pk}/history/").content.decode()
    assert "Trà Lĩnh, Tà Lùng&nbsp;&rarr;&nbsp;–" in page


def test_unlinking_a_gate_in_the_admin_form_is_in_the_history_with_its_user(client, manager):
    tra_linh, ta_lung = two_gates()
    project = ProjectFactory(name="Cầu X", gates=[tra_linh, ta_lung])
    client.force_login(manager)

    response = client.post(
        f"/admin/projects/project/{project.pk}/change/",
        project_form(project, gates=[str(tra_linh.pk)]),
    )

    assert response.status_code == 302
    assert list(project.gates.all()) == [tra_linh]
    latest = project.history.order_by("-history_id").first()
    assert latest.history_user == manager
    assert [row.gate for row in latest.gates.all()] == [tra_linh]
    page = client.get(f"/admin/projects/project/{project.pk}/history/").content.decode()
    assert "Trà Lĩnh, Tà Lùng&nbsp;&rarr;&nbsp;Trà Lĩnh" in page
    assert "lan" in page


@pytest.mark.django_db(transaction=True)
def test_unlinking_a_gate_through_the_api_is_in_the_history_with_its_user(client, manager):
    tra_linh, ta_lung = two_gates()
    project = ProjectFactory(code="cau-x", slug="cau-x", name="Cầu X", gates=[tra_linh, ta_lung])
    api = token_client(manager)

    response = api.patch(
        PROJECT_URL, {"gates": ["tra-linh"]}, format="json", **if_match(api, PROJECT_URL)
    )

    assert response.status_code == 200
    latest = project.history.order_by("-history_id").first()
    assert latest.history_user == manager
    assert [row.gate for row in latest.gates.all()] == [tra_linh]
    client.force_login(manager)
    page = client.get(f"/admin/projects/project/{project.pk}/history/").content.decode()
    assert "Trà Lĩnh, Tà Lùng&nbsp;&rarr;&nbsp;Trà Lĩnh" in page


def test_removing_an_investment_on_the_investor_page_is_in_the_investment_history(client, manager):
    """The investor's page edits the links of investments (its inline): removing one there is
    recorded in the investment's history, as on the investment's own page."""
    first = InvestorFactory(name="Công ty A")
    second = InvestorFactory(name="Công ty B")
    investment = InvestmentFactory(name="Nhà máy", investors=[first, second])
    link = Investment.investors.through.objects.get(investment=investment, investor=first)
    client.force_login(manager)
    prefix = "Investment_investors"
    citations = "core-citation-content_type-object_id"
    data = {
        "name": first.name,
        "slug": first.slug,
        "kind": first.kind,
        "country": first.country,
        "is_published": "on",
        "record_version": str(first.history.order_by("-history_id").first().history_id),
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": str(link.pk),
        f"{prefix}-0-investor": str(first.pk),
        f"{prefix}-0-investment": str(investment.pk),
        f"{prefix}-0-DELETE": "on",
        f"{citations}-TOTAL_FORMS": "0",
        f"{citations}-INITIAL_FORMS": "0",
    }

    response = client.post(f"/admin/investment/investor/{first.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(investment.investors.all()) == [second]
    latest = investment.history.order_by("-history_id").first()
    assert latest.history_user == manager
    page = client.get(f"/admin/investment/investment/{investment.pk}/history/").content.decode()
    assert "Công ty A, Công ty B&nbsp;&rarr;&nbsp;Công ty B" in page


def test_a_reported_figure_about_a_record_that_does_not_exist_is_refused(staff_client):
    project = ProjectFactory()
    project_type = ContentType.objects.get_for_model(Project)
    dangling = ReportedFigureFactory.build(
        source=SourceFactory(), subject_type=project_type, subject_id=project.pk + 1000
    )
    with pytest.raises(ValidationError) as error:
        record_save(instance=dangling)
    assert str(project.pk + 1000) in " ".join(error.value.message_dict["subject_id"])
    assert not ReportedFigure.objects.exists()

    figure = record_save(
        instance=ReportedFigureFactory.build(
            source=dangling.source, subject_type=project_type, subject_id=project.pk
        )
    )
    assert figure.subject == project

    data = {
        "code": "so-du-an",
        "metric": "project_count",
        "label": "Số dự án",
        "qualifier": "exact",
        "value": "17",
        "unit": "count",
        "as_of": "2020-11-29",
        "as_of_precision": "day",
        "source": str(dangling.source.pk),
        "subject_type": str(project_type.pk),
        "subject_id": str(project.pk + 1000),
    }
    response = staff_client.post("/admin/core/reportedfigure/add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["subject_id"]
    assert not ReportedFigure.objects.filter(code="so-du-an").exists()
    response = staff_client.post(
        "/admin/core/reportedfigure/add/", {**data, "subject_id": str(project.pk)}
    )
    assert response.status_code == 302
    assert ReportedFigure.objects.get(code="so-du-an").subject == project


def test_a_row_deleted_on_its_record_page_is_refused_while_others_depend_on_it(client, manager):
    """Rows edited on a record's page (its events…) are deleted there without a confirmation
    page: one that something depends on is refused with a message, and nothing is saved."""
    project = ProjectFactory(name="Cầu X")
    source = SourceFactory()
    cited, free = (
        ProjectEvent.objects.create(
            project=project,
            date=datetime.date(2020, 1, day),
            kind=ProjectEvent.Kind.REPORTED,
            title=f"Sự kiện {day}",
            source=source,
        )
        for day in (1, 2)
    )
    ReportedFigureFactory(label="Số liệu về sự kiện", subject=cited)
    client.force_login(manager)
    url = f"/admin/projects/project/{project.pk}/change/"

    def deleting(event, **changes):
        return project_form(
            project,
            **{
                "events-TOTAL_FORMS": "1",
                "events-INITIAL_FORMS": "1",
                "events-0-id": str(event.pk),
                "events-0-project": str(project.pk),
                "events-0-date": event.date.isoformat(),
                "events-0-date_precision": "day",
                "events-0-kind": event.kind,
                "events-0-title": event.title,
                "events-0-source": str(source.pk),
                "events-0-DELETE": "on",
            },
            **changes,
        )

    before = row_counts()
    response = client.post(url, deleting(cited, name="Tên mới"))
    assert response.status_code == 200
    assert "Số liệu về sự kiện" in response.content.decode()
    assert row_counts() == before

    assert client.post(url, deleting(free)).status_code == 302
    assert list(project.events.all()) == [cited]


def test_a_reported_figure_with_an_unknown_subject_type_is_a_message_not_an_error():
    figure = ReportedFigureFactory.build(
        source=SourceFactory(), subject_type_id=999_999, subject_id=1
    )
    with pytest.raises(ValidationError) as error:
        record_save(instance=figure)
    assert "subject_type" in error.value.message_dict
    assert not ReportedFigure.objects.exists()
