"""The project write services: one place for the status rules, reports and bulk changes."""

import datetime

import pytest

from core.exceptions import RecordError
from investment.models import Investment
from investment.services import investment_update
from projects.models import ProgressReport, Project
from projects.services import project_update, projects_set_status, report_post
from tests.conftest import role_member
from tests.investment.factories import InvestorFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_status_rules_hold_for_editors_and_yield_to_managers(django_user_model):
    editor = role_member(django_user_model, "editor")
    manager = role_member(django_user_model, "manager")
    project = ProjectFactory(status="cancelled")
    with pytest.raises(RecordError) as caught:
        project_update(project, data={"status": "under_way"}, user=editor)
    assert list(caught.value.message_dict) == ["status"]
    assert not caught.value.forbidden
    assert Project.objects.get(pk=project.pk).status == "cancelled"
    project_update(project, data={"status": "under_way"}, user=manager)
    assert Project.objects.get(pk=project.pk).status == "under_way"


def test_a_new_project_starts_in_any_status():
    project = Project(code="p-new", slug="p-new", name="Mới", category="road")
    project_update(project, data={"status": "in_operation"})
    assert Project.objects.get(code="p-new").status == "in_operation"


def test_a_report_moves_its_project_unless_a_newer_one_exists(django_user_model):
    editor = role_member(django_user_model, "editor")
    project = ProjectFactory(status="under_way", progress_percent=10)
    report_post(
        ProgressReport(project=project, date=datetime.date(2025, 6, 1), status="under_way"),
        data={"progress_percent": 50},
        user=editor,
    )
    project.refresh_from_db()
    assert project.progress_percent == 50
    assert project.history.latest().history_user == editor
    report_post(
        ProgressReport(project=project, date=datetime.date(2025, 1, 1), status="suspended"),
        user=editor,
    )
    project.refresh_from_db()
    assert (project.status, project.progress_percent) == ("under_way", 50)
    assert project.reports.count() == 2


def test_a_report_the_status_rules_refuse_saves_nothing(django_user_model):
    project = ProjectFactory(status="cancelled")
    with pytest.raises(RecordError):
        report_post(
            ProgressReport(project=project, date=datetime.date(2025, 6, 1), status="under_way"),
            user=role_member(django_user_model, "editor"),
        )
    assert not ProgressReport.objects.exists()


def test_a_dry_run_of_a_report_writes_nothing():
    project = ProjectFactory(status="under_way")
    report = ProgressReport(project=project, date=datetime.date(2025, 6, 1), status="suspended")
    report_post(report, save=False)
    assert not ProgressReport.objects.exists()
    assert Project.objects.get(pk=project.pk).status == "under_way"


def test_bulk_status_changes_are_for_managers_and_only_forward(django_user_model):
    editor = role_member(django_user_model, "editor")
    manager = role_member(django_user_model, "manager")
    under_way = ProjectFactory(status="under_way")
    cancelled = ProjectFactory(status="cancelled")
    with pytest.raises(RecordError) as caught:
        projects_set_status(projects=[under_way], status="in_operation", user=editor)
    assert caught.value.forbidden
    with pytest.raises(RecordError):
        projects_set_status(projects=[under_way, cancelled], status="in_operation", user=manager)
    # All or none: the first project did not move either.
    under_way = Project.objects.get(pk=under_way.pk)
    assert under_way.status == "under_way"
    assert projects_set_status(projects=[under_way], status="in_operation", user=manager) == 1


def test_a_new_investment_needs_an_investor():
    investment = Investment(code="i1", slug="i1", name="Nhà máy", kind="fdi")
    with pytest.raises(RecordError) as caught:
        investment_update(investment, data={"investors": []})
    assert list(caught.value.message_dict) == ["investors"]
    investor = InvestorFactory()
    investment_update(investment, data={"investors": [investor]})
    assert list(Investment.objects.get(code="i1").investors.all()) == [investor]
