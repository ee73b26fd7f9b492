"""The query counts of the whole site, in one place: every public page and every API list runs a
pinned number of SQL queries, the same with 10 rows as with 500; the admin's lists and the staff
dashboard the same number whatever the number of rows."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import Citation
from gates.models import EconomicZone, Gate
from projects.models import ProgressReport, ProjectEvent, ReportPhoto
from tests.conftest import role_member
from tests.core.factories import ReportedFigureFactory, SourceFactory
from tests.gates.factories import GateEventFactory, GateFactory, TradeRecordFactory
from tests.investment.factories import InvestmentFactory, InvestorFactory
from tests.projects.factories import ProgrammeFactory, ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db


def add_projects(count):
    programme, gate = ProgrammeFactory(), GateFactory()
    for _ in range(count):
        project = ProjectFactory(programme=programme, gates=[gate])
        YearlyAllocationFactory(project=project)


def add_gates(count):
    parent = GateFactory()
    GateFactory.create_batch(count, parent=parent)


def add_investors(count):
    for investor in InvestorFactory.create_batch(count):
        InvestmentFactory(investors=[investor])


def add_everything(count):
    add_projects(count)
    add_gates(count)
    InvestmentFactory.create_batch(count)
    TradeRecordFactory.create_batch(count, gate=None)


@pytest.fixture
def project():
    return ProjectFactory(slug="the-project")


def add_to_project(count):
    project = ProjectFactory._meta.model.objects.get(slug="the-project")
    source = SourceFactory()
    first_year = 1945 + project.allocations.count()
    for offset in range(min(count, 150 - project.allocations.count())):
        YearlyAllocationFactory(project=project, year=first_year + offset)
    project.gates.add(*GateFactory.create_batch(count))
    ProjectEvent.objects.bulk_create(
        ProjectEvent(
            project=project,
            date=datetime.date(2020, 1, 1),
            kind="reported",
            title="x",
            source=source,
        )
        for _ in range(count)
    )
    Citation.objects.bulk_create(
        Citation(content_object=project, source=SourceFactory()) for _ in range(count)
    )
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(project=project, date=datetime.date(2024, 1, 1), status="under_way")
        for _ in range(count)
    )
    ReportPhoto.objects.bulk_create(
        ReportPhoto(report=report, image=f"reports/{report.pk}.png") for report in reports
    )


@pytest.fixture
def gate():
    return GateFactory(slug="the-gate")


def add_programmes(count):
    for programme in ProgrammeFactory.create_batch(count):
        YearlyAllocationFactory(project=ProjectFactory(programme=programme))


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="the-programme")


def add_to_programme(count):
    programme = ProgrammeFactory._meta.model.objects.get(slug="the-programme")
    for offset in range(count):
        project = ProjectFactory(programme=programme)
        YearlyAllocationFactory(project=project, year=1950 + offset % 100)
    Citation.objects.bulk_create(
        Citation(content_object=programme, source=SourceFactory()) for _ in range(count)
    )
    ReportedFigureFactory.create_batch(count, subject=programme)


def add_trade(count):
    TradeRecordFactory.create_batch(count)
    TradeRecordFactory.create_batch(count, gate=None)


@pytest.fixture
def zone():
    return EconomicZone.objects.create(name="Khu", slug="the-zone")


def add_to_zone(count):
    zone = EconomicZone.objects.get(slug="the-zone")
    GateFactory.create_batch(count, economic_zone=zone)
    for n in range(count):
        EconomicZone.objects.create(
            name=f"Phân khu {n}", slug=f"sub-{zone.sub_zones.count()}", parent=zone
        )
    Citation.objects.bulk_create(
        Citation(content_object=zone, source=SourceFactory()) for _ in range(count)
    )


def add_zones(count):
    for _ in range(count):
        zone = EconomicZone.objects.create(name="Khu", slug=f"zone-{EconomicZone.objects.count()}")
        GateFactory(economic_zone=zone, kind="market")


def add_sources(count):
    for source in SourceFactory.create_batch(count):
        Citation.objects.create(content_object=ProjectFactory(), source=source)


def add_to_gate(count):
    gate = Gate.objects.get(slug="the-gate")
    for _ in range(count):
        ProjectFactory(gates=[gate])
    GateFactory.create_batch(count, parent=gate)
    GateEventFactory.create_batch(count, gate=gate)
    TradeRecordFactory.create_batch(count, gate=gate)


@pytest.fixture
def investor():
    return InvestorFactory(slug="the-investor")


def add_to_investor(count):
    investor = InvestorFactory._meta.model.objects.get(slug="the-investor")
    InvestmentFactory.create_batch(count, investors=[investor])


# page: (fixture that creates the record, function that adds rows, pinned query count)
PAGES = {
    "/": (None, add_everything, 9),
    "/en/": (None, add_everything, 9),
    "/projects/": (None, add_projects, 7),
    "/projects/?status=under_way&ordering=-investment": (None, add_projects, 7),
    "/gates/": (None, add_gates, 4),
    "/investors/": (None, add_investors, 3),
    "/investments/": (None, InvestmentFactory.create_batch, 8),
    "/map/": (None, add_gates, 1),
    "/programmes/": (None, add_programmes, 4),
    "/programmes/the-programme/": ("programme", add_to_programme, 8),
    "/sources/": (None, add_sources, 3),
    "/trade/": (None, add_trade, 6),
    "/trade/?direction=exports&ordering=-period": (None, add_trade, 6),
    "/zones/": (None, add_zones, 3),
    "/zones/the-zone/": ("zone", add_to_zone, 6),
    "/projects/the-project/": ("project", add_to_project, 10),
    "/gates/the-gate/": ("gate", add_to_gate, 7),
    "/investors/the-investor/": ("investor", add_to_investor, 7),
}


def count_queries(client, url) -> int:
    # Start from a cold content-type cache each time, so both counts include its lookups.
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", sorted(PAGES))
def test_page_query_count_is_pinned_and_does_not_grow_with_rows(
    request, client, without_history, url
):
    fixture, add_rows, pinned = PAGES[url]
    if fixture:
        request.getfixturevalue(fixture)
    add_rows(10)
    with_ten = count_queries(client, url)
    add_rows(490)
    with_five_hundred = count_queries(client, url)
    assert (with_ten, with_five_hundred) == (pinned, pinned)


# The API's lists -------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def count_api_queries(api, url) -> int:
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


# list: pinned number of queries, the same with 10 rows of everything as with 500 (the OC4IDS
# package streams in chunks of 1,000 projects, so it is fixed up to that size)
LIST_QUERIES = {
    "projects": 5,
    "programmes": 2,
    "gates": 2,
    "gate-events": 2,
    "trade": 2,
    "investors": 3,
    "investments": 4,
    "reported-figures": 2,
    "oc4ids": 6,
}


def add_api_rows(n):
    gate, programme, source = GateFactory(), ProgrammeFactory(), SourceFactory()
    for _ in range(n):
        project = ProjectFactory(gates=[gate], programme=programme)
        YearlyAllocationFactory(project=project)
        InvestmentFactory()
        GateEventFactory(gate=gate, source=source)
        TradeRecordFactory(gate=gate, source=source)
        ReportedFigureFactory(source=source)
        ProgrammeFactory()


@pytest.mark.parametrize("name", sorted(LIST_QUERIES))
def test_api_list_query_count_is_pinned_for_10_and_500_rows(api, without_history, name):
    url = f"/api/v1/{name}/?page_size=200"
    add_api_rows(10)
    small = count_api_queries(api, url)
    add_api_rows(490)
    assert (small, count_api_queries(api, url)) == (LIST_QUERIES[name],) * 2


# The admin ---------------------------------------------------------------------------------


def make_admin_projects(count):
    programme = ProgrammeFactory()
    gate = GateFactory()
    for _ in range(count):
        project = ProjectFactory(programme=programme, gates=[gate])
        YearlyAllocationFactory(project=project)


ADMIN_LISTS = {
    "admin:projects_project_changelist": make_admin_projects,
    "admin:gates_gate_changelist": lambda n: [GateFactory(parent=GateFactory()) for _ in range(n)],
    "admin:investment_investment_changelist": InvestmentFactory.create_batch,
    "admin:projects_yearlyallocation_changelist": YearlyAllocationFactory.create_batch,
}


@pytest.mark.parametrize("name", sorted(ADMIN_LISTS))
def test_changelist_query_count_does_not_grow_with_rows(staff_client, name):
    url = reverse(name)
    ADMIN_LISTS[name](5)
    small = count_queries(staff_client, url)
    ADMIN_LISTS[name](45)
    assert count_queries(staff_client, url) == small


def test_staff_dashboard_on_the_admin_index_in_fixed_queries(client, django_user_model):
    user = role_member(django_user_model, "editor")
    client.force_login(user)
    ContentType.objects.clear_cache()
    client.get("/admin/")  # warm the permission cache of this user
    counts = []
    for n in (3, 30):
        for i in range(n):
            project = ProjectFactory(status="under_way", planned_end=datetime.date(2020, 1, 1))
            YearlyAllocationFactory(project=project, year=2020 + i % 5, disbursed=0)
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/admin/").content.decode()
        counts.append(len(queries))
        assert "Cần chú ý" in html or "Needs attention" in html
    assert counts[0] == counts[1]
