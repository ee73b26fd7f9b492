"""Admin lists run the same number of SQL queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.gates.factories import GateFactory
from tests.investment.factories import InvestmentFactory
from tests.projects.factories import ProgrammeFactory, ProjectFactory, YearlyAllocationFactory


def make_projects(count):
    programme = ProgrammeFactory()
    gate = GateFactory()
    for _ in range(count):
        project = ProjectFactory(programme=programme, gates=[gate])
        YearlyAllocationFactory(project=project)


MAKERS = {
    "admin:projects_project_changelist": make_projects,
    "admin:gates_gate_changelist": lambda n: [GateFactory(parent=GateFactory()) for _ in range(n)],
    "admin:investment_investment_changelist": InvestmentFactory.create_batch,
    "admin:projects_yearlyallocation_changelist": YearlyAllocationFactory.create_batch,
}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MAKERS))
def test_changelist_query_count_does_not_grow_with_rows(staff_client, name):
    url = reverse(name)
    MAKERS[name](5)
    small = count_queries(staff_client, url)
    MAKERS[name](45)
    assert count_queries(staff_client, url) == small
