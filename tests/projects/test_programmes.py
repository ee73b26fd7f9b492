"""The programmes' pages: what each planned beside what is recorded of it, its capital per year
in one unit, its projects by status, the figures reported about it, and its sources."""

import pytest

from projects.models import Programme
from tests.projects.factories import ProgrammeFactory, ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db

PLAN = "dtc-trung-han-2016-2020-cua-khau"


def test_the_17_project_plan_shows_its_planned_count_and_capital_with_none_recorded(
    client, demo_data
):
    programme = Programme.objects.get(code=PLAN)
    response = client.get(f"/programmes/{programme.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["overview"]["recorded"] == 0
    assert "513,2 tỷ đồng" in html  # planned, and reported beside it
    assert "17" in html
    assert "Chương trình dự kiến 17 dự án; chưa dự án nào được ghi nhận ở đây." in html
    # The figures reported about the programme, with their source.
    figures = response.context["figures"]
    assert {f.value for f in figures} >= {17}
    assert "Tập trung phát triển kinh tế đối ngoại" in html


def test_a_programme_counts_its_projects_by_status_and_capital_per_year(client, db):
    programme = ProgrammeFactory(allocated_capital=600_000_000_000, currency="VND")
    under_way = ProjectFactory.create_batch(2, programme=programme, status="under_way")
    ProjectFactory(programme=programme, status="in_operation")
    ProjectFactory(programme=programme, status="under_way", is_published=False)  # a draft
    ProjectFactory(status="under_way")  # another programme's
    YearlyAllocationFactory(
        project=under_way[0], year=2021, allocated=300_000_000_000, disbursed=150_000_000_000
    )
    YearlyAllocationFactory(project=under_way[1], year=2021, allocated=200_000_000_000, disbursed=0)
    YearlyAllocationFactory(project=under_way[1], year=2022, allocated=5_000_000, disbursed=0)
    response = client.get(programme.get_absolute_url())
    overview = response.context["overview"]
    counts = {row["status"]: row["count"] for row in overview["statuses"]}
    assert (counts["under_way"], counts["in_operation"], overview["recorded"]) == (2, 1, 3)
    assert [(y["year"], y["allocated"], y["disbursed"]) for y in overview["years"]] == [
        (2021, 500_000_000_000, 150_000_000_000),
        (2022, 5_000_000, 0),
    ]
    html = response.content.decode()
    # Plan, allocations and disbursements read in one unit, that of the smallest.
    assert ">600.000 triệu đồng</data>" in html
    assert ">500.000 triệu đồng</data>" in html
    assert ">5 triệu đồng</data>" in html
    assert f"/projects/?programme={programme.slug}&amp;status=under_way" in html
    assert len(overview["projects"]) == 3


def test_the_programme_list_sets_planned_beside_recorded(client, demo_data):
    response = client.get("/programmes/")
    rows = {row["programme"].code: row for row in response.context["rows"]}
    assert rows[PLAN]["programme"].planned_project_count == 17
    assert rows[PLAN]["recorded"] == 0
    assert f'href="/programmes/{rows[PLAN]["programme"].slug}/"' in response.content.decode()


def test_the_project_list_of_a_programme_names_its_plan(client, demo_data):
    programme = Programme.objects.get(code=PLAN)
    html = client.get("/projects/", {"programme": programme.slug}).content.decode()
    assert f'href="/programmes/{programme.slug}/"' in html
    assert "513,2 tỷ đồng" in html


@pytest.mark.parametrize("path", ["/programmes/no-such-programme/", "/programmes/?page=99"])
def test_a_missing_programme_or_page_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


def test_the_footer_links_the_data_its_licence_and_sources(client, db, settings):
    html = client.get("/sources/").content.decode()
    for link in ("/api/v1/", "/api/v1/docs/", "/api/v1/oc4ids/", "/sources/", "/programmes/"):
        assert f'href="{link}"' in html
    assert 'rel="license">CC BY 4.0</a>' in html
