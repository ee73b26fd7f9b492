"""The capital plan (per year and per programme, with disbursement rates), the warning when a
project's allocations exceed its total investment, and the staff dashboard on the admin index."""

import datetime

import pytest

from projects.models import ProgressReport
from projects.selectors import capital_plan, staff_dashboard
from tests.conftest import role_member
from tests.projects.factories import ProgrammeFactory, ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db


def test_capital_plan_rates_per_year_and_programme_never_mixing_currencies():
    programme = ProgrammeFactory(name="Chương trình 11")
    a = ProjectFactory(programme=programme, total_investment=1000)
    b = ProjectFactory(programme=programme, total_investment=1000, currency="USD")
    YearlyAllocationFactory(project=a, year=2023, allocated=400, disbursed=100)
    YearlyAllocationFactory(project=a, year=2024, allocated=200, disbursed=200)
    YearlyAllocationFactory(project=b, year=2024, allocated=50, disbursed=25)
    plan = capital_plan()
    years = {(r["year"], r["project__currency"]): r for r in plan["years"]}
    assert years[(2023, "VND")]["rate"] == 25
    assert years[(2024, "VND")]["rate"] == 100
    assert years[(2024, "USD")]["rate"] == 50
    programmes = {r["project__currency"]: r for r in plan["programmes"]}
    assert (programmes["VND"]["allocated"], programmes["VND"]["disbursed"]) == (600, 300)
    assert programmes["VND"]["rate"] == 50
    assert programmes["USD"]["allocated"] == 50


def test_capital_plan_page_and_over_allocation_warning(client, django_user_model):
    project = ProjectFactory(name="Đường vượt vốn", total_investment=100)
    YearlyAllocationFactory(project=project, year=2023, allocated=80, disbursed=0)
    YearlyAllocationFactory(project=project, year=2024, allocated=70, disbursed=0)
    client.force_login(role_member(django_user_model, "viewer"))
    page = client.get("/admin/projects/project/capital-plan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đường vượt vốn" in html
    change = client.get(f"/admin/projects/project/{project.pk}/change/")
    messages = [str(m) for m in change.context["messages"]]
    assert any("Đường vượt vốn" in m and "150" in m for m in messages), messages


def test_no_warning_when_allocations_stay_within_the_total(client, django_user_model):
    project = ProjectFactory(total_investment=1_000)
    YearlyAllocationFactory(project=project, year=2023, allocated=80, disbursed=0)
    client.force_login(role_member(django_user_model, "viewer"))
    change = client.get(f"/admin/projects/project/{project.pk}/change/")
    assert list(change.context["messages"]) == []


def test_capital_plan_is_for_staff_only(client):
    response = client.get("/admin/projects/project/capital-plan/")
    assert response.status_code == 302  # to the login page


def test_staff_dashboard_lists_what_needs_attention():
    today = datetime.date(2026, 11, 26)
    quiet = ProjectFactory(name="Không báo cáo", status="under_way", planned_end=None)
    reported = ProjectFactory(name="Có báo cáo", status="under_way", planned_end=None)
    ProgressReport.objects.create(project=reported, date=today, status="under_way")
    late = ProjectFactory(name="Quá hạn", status="under_way", planned_end=datetime.date(2025, 1, 1))
    ProgressReport.objects.create(project=late, date=today, status="under_way")
    ProjectFactory(name="Đã xong", status="in_operation", planned_end=datetime.date(2020, 1, 1))
    YearlyAllocationFactory(project=reported, year=2025, allocated=100, disbursed=40)
    YearlyAllocationFactory(project=late, year=2025, allocated=100, disbursed=100)
    YearlyAllocationFactory(project=quiet, year=2027, allocated=100, disbursed=0)  # future
    board = staff_dashboard(today)
    assert [p.name for p in board["no_report"]["rows"]] == ["Không báo cáo"]
    assert [p.name for p in board["past_end"]["rows"]] == ["Quá hạn"]
    assert [(a.project.name, a.remaining) for a in board["undisbursed"]["rows"]] == [
        ("Có báo cáo", 60)
    ]


def test_the_admin_index_links_to_the_staff_tools(client, django_user_model):
    client.force_login(role_member(django_user_model, "manager"))
    html = client.get("/admin/").content.decode()
    for url in (
        "/admin/projects/progressreport/add/",
        "/admin/projects/project/capital-plan/",
        "/admin/deleted/",
        "/admin/import/",
    ):
        assert url in html
    client.force_login(role_member(django_user_model, "editor", "e1"))
    assert "/admin/import/" not in client.get("/admin/").content.decode()
