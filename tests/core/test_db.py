"""core.db's ``any_of`` lookup: the same rows as ``__in``, with the list as one parameter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gates.models import Gate
from projects.models import Project, YearlyAllocation
from tests.gates.factories import GateFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds_on_ids_and_foreign_keys():
    projects = ProjectFactory.create_batch(4)
    for project in projects:
        YearlyAllocation.objects.create(project=project, year=2020, allocated=1)
    wanted = [projects[0].pk, projects[2].pk, 10**9]
    assert (
        set(Project.objects.filter(pk__any_of=wanted))
        == set(Project.objects.filter(pk__in=wanted))
        == {projects[0], projects[2]}
    )
    by_key = YearlyAllocation.objects.filter(project__any_of=wanted)
    by_column = YearlyAllocation.objects.filter(project_id__any_of=wanted)
    assert {a.project_id for a in by_key} == {a.project_id for a in by_column} == set(wanted[:2])
    assert not Project.objects.filter(pk__any_of=[]).exists()
    assert Project.objects.exclude(pk__any_of=[]).count() == 4


def test_any_of_sends_a_long_list_as_one_parameter_on_postgresql():
    ProjectFactory()
    ids = list(range(1, 2001))
    with CaptureQueriesContext(connection) as queries:
        list(Project.objects.filter(pk__any_of=ids).values_list("pk", flat=True))
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql


def test_linked_values_reads_the_links_of_the_records_asked_for():
    from core.exports import linked_values

    first, second = GateFactory(name="A"), GateFactory(name="B")
    served, other = ProjectFactory(), ProjectFactory()
    served.gates.set([second, first])
    other.gates.set([second])
    field = Project._meta.get_field("gates")
    assert linked_values(field, [served.pk], "name") == {served.pk: ["A", "B"]}
    hidden = Gate.objects.filter(pk=second.pk)
    assert linked_values(field, [served.pk, other.pk], "name", shown=hidden) == {
        served.pk: ["B"],
        other.pk: ["B"],
    }
