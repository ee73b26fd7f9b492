"""core.pagination.ListPaginator: every page holds exactly the rows OFFSET would give, read
from the front or, past the middle, from the end."""

import pytest
from django.http import QueryDict

from core.pagination import ListPaginator
from projects.filters import ProjectFilter
from projects.lists import PROJECTS
from projects.models import Project
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ORDERINGS = [
    "",
    "-name",
    "investment",
    "-investment",
    "progress",
    "-progress",
    "approved",
    "-approved",
    "status",
    "-status",
    "updated",
    "-updated",
]


@pytest.fixture
def projects():
    """Ties, missing amounts and dates, and a draft: what makes a page's edge hard."""
    made = []
    for number in range(23):
        made.append(
            ProjectFactory(
                name=f"Dự án {number % 7}",  # names repeat: the id breaks the ties
                total_investment=None if number % 5 == 0 else 10**9 * (number % 4),
                progress_percent=None if number % 3 == 0 else number % 6 * 10,
                approval_date=None if number % 4 == 0 else f"2020-0{number % 9 + 1}-01",
                status=Project.Status.UNDER_WAY if number % 2 else Project.Status.APPROVED,
            )
        )
    ProjectFactory(is_published=False)
    return made


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("status", ["", "under_way"])
def test_every_page_holds_the_rows_offset_gives(projects, ordering, status):
    query = QueryDict(mutable=True)
    for name, value in (("ordering", ordering), ("status", status)):
        if value:
            query[name] = value
    filterset = ProjectFilter(query, queryset=PROJECTS.selector())
    assert filterset.is_valid(), filterset.errors
    expected = [project.pk for project in filterset.qs]
    assert len(expected) == (23 if not status else 11)
    paginator = ListPaginator(filterset.qs, 4)
    pages = [
        [project.pk for project in paginator.page(number).object_list]
        for number in paginator.page_range
    ]
    assert pages == [expected[start : start + 4] for start in range(0, len(expected), 4)]


def test_a_page_past_the_middle_is_read_from_the_end(projects):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    paginator = ListPaginator(PROJECTS.selector().order_by("name", "pk"), 4)
    assert paginator.count == 23
    with CaptureQueriesContext(connection) as last:
        list(paginator.page(6).object_list)
    with CaptureQueriesContext(connection) as first:
        list(paginator.page(1).object_list)
    assert len(last) == len(first)  # the page, and the gates it shows
    # The last page skips no row: its ids are the first 3 of the reversed order.
    assert "OFFSET" not in last.captured_queries[0]["sql"].upper()
    assert " DESC" in last.captured_queries[0]["sql"].upper()
    assert " DESC" not in first.captured_queries[0]["sql"].upper()


@pytest.mark.parametrize("ordering", ORDERINGS)
@pytest.mark.parametrize("status", ["", "under_way"])
def test_a_deep_page_reads_its_ids_from_an_index(projects, ordering, status):
    """Every sort of the public list, alone or with a filter, has an index that gives a page's
    ids in order without reading the table (PostgreSQL: an index-only scan and no sort). On
    SQLite, the ascending sorts of amounts and dates of the whole list are indexed (column, id)."""
    from django.db import connection

    query = QueryDict(mutable=True)
    for name, value in (("ordering", ordering), ("status", status)):
        if value:
            query[name] = value
    filterset = ProjectFilter(query, queryset=PROJECTS.selector())
    assert filterset.is_valid()
    sql, params = filterset.qs.values("pk")[500_000:500_050].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A few rows here: make the planner take an index wherever one serves.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_incremental_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index Only Scan" in plan, plan
            assert "Sort" not in plan, plan
        elif not status and ordering in ("investment", "progress", "approved", "updated"):
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
