"""The project pages: the list's filters, search and sorts, and the project page."""

import pytest

from core.models import ReportedFigure
from projects.models import Project
from tests.gates.factories import GateFactory
from tests.projects.factories import ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db


def test_project_list_filters_by_status_and_gate(client, db):
    gate = GateFactory(slug="tra-linh")
    at_gate = ProjectFactory(status="under_way", gates=[gate])
    ProjectFactory(status="under_way")
    ProjectFactory(status="cancelled", gates=[gate])
    page = client.get("/projects/?status=under_way&gate=tra-linh").context["page_obj"]
    assert list(page.object_list) == [at_gate]
    assert page.paginator.count == 1


def test_project_list_search_ignores_diacritics(client, demo_data):
    names = {p.name for p in client.get("/projects/?search=tra linh").context["page_obj"]}
    assert "Nhà kiểm soát liên hợp cửa khẩu Trà Lĩnh" in names
    gates = {g.name for g in client.get("/gates/?search=TRA LINH").context["page_obj"]}
    assert gates == {"Trà Lĩnh"}


def test_project_list_sorts_by_a_column_both_ways(client, db):
    small = ProjectFactory(total_investment=1)
    large = ProjectFactory(total_investment=9)
    up = list(client.get("/projects/?ordering=investment").context["page_obj"])
    down = list(client.get("/projects/?ordering=-investment").context["page_obj"])
    assert up == [small, large]
    assert down == [large, small]


def test_amount_range_needs_a_currency(client, db):
    response = client.get("/projects/?investment_min=1000")
    assert response.status_code == 400
    assert "Choose a currency" in response.content.decode() or "Chọn" in response.content.decode()
    ProjectFactory(total_investment=5000, currency="VND")
    ProjectFactory(total_investment=5000, currency="USD")
    page = client.get("/projects/?investment_min=1000&currency=VND").context["page_obj"]
    assert [p.currency for p in page] == ["VND"]


def test_project_page_shows_capital_per_year_history_and_sources(client, demo_data):
    project = Project.objects.get(code="cao-toc-dong-dang-tra-linh")
    YearlyAllocationFactory(project=project, year=2024, allocated=10**12, disbursed=4 * 10**11)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "1.000 tỷ đồng" in html  # allocated in 2024
    assert "40 %" in html  # disbursement rate
    assert "Trà Lĩnh" in html  # the gate it serves
    assert "10/08/2020" in html  # approval, from its dated history
    assert "vietnamplus" in html.lower()  # a cited source


def test_reported_figures_about_a_record_appear_on_its_page(client, demo_data):
    figure = ReportedFigure.objects.get(code="expressway-phase-1-investment")
    html = client.get("/projects/cao-toc-dong-dang-tra-linh/").content.decode()
    assert figure.label in html
