"""The dashboard (live counts beside the reported figures, currencies apart) and the map."""

import json

import pytest
from django.urls import reverse

from gates.models import Gate
from investment.models import Investor
from projects.models import Programme, Project
from tests.investment.factories import InvestmentFactory, InvestorFactory
from tests.projects.factories import ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db


def headlines(response, group="project_headlines"):
    return {h.key: h for h in response.context[group]}


def test_dashboard_sets_live_counts_beside_reported_figures(client, demo_data):
    response = client.get("/")
    found = headlines(response)
    assert found["projects"].count == Project.objects.count()
    in_operation = Project.objects.filter(status=Project.Status.IN_OPERATION).count()
    assert found["in_operation"].count == in_operation
    html = response.content.decode()
    # The article's capital, in Vietnamese words, with its source and date.
    assert "513,2 tỷ đồng" in html
    assert "29/11/2020" in html


def test_programme_figures_compare_with_the_programme_s_own_projects(client, demo_data):
    # "4 in operation" is about the 2016–2020 plan, none of whose projects is recorded here:
    # "not recorded here", never "differs" against the province's other projects.
    [reported] = headlines(client.get("/"))["in_operation"].reported
    assert reported.figure.value == 4
    assert (reported.comparison, reported.recorded) == ("not_recorded", 0)
    programme = Programme.objects.get(code="dtc-trung-han-2016-2020-cua-khau")
    ProjectFactory.create_batch(3, programme=programme, status="in_operation")
    [reported] = headlines(client.get("/"))["in_operation"].reported
    assert (reported.comparison, reported.recorded) == ("differs", 3)
    ProjectFactory(programme=programme, status="in_operation")
    [reported] = headlines(client.get("/"))["in_operation"].reported
    assert reported.comparison == "agrees"


def test_province_figures_about_a_past_period_are_not_compared(client, demo_data):
    reported = headlines(client.get("/"))["projects"].reported
    by_code = {r.figure.code: r.comparison for r in reported}
    assert by_code["gate-projects-started-2016-2020-report-2023"] == "not_comparable"


def test_dashboard_keeps_currencies_and_kinds_of_capital_apart(client, demo_data):
    InvestmentFactory(kind="fdi", capital=21_675_000, currency="USD")
    InvestmentFactory(kind="fdi", capital=618_000_000_000, currency="VND")
    InvestmentFactory(kind="fdi", capital=5_000_000, currency="USD", capital_type="disbursed")
    response = client.get("/")
    fdi = headlines(response, "investment_headlines")["fdi_capital"]
    # Registered capital only, each currency apart: the disbursed 5 million is not added.
    assert dict(fdi.amounts) == {"USD": 21_675_000, "VND": 618_000_000_000}
    by_currency = {
        r.figure.currency: r.comparison for r in fdi.reported if r.figure.as_of.year == 2020
    }
    assert by_currency == {"USD": "agrees", "VND": "agrees"}
    html = response.content.decode()
    assert "21,675 triệu USD" in html
    assert "618 tỷ đồng" in html


def test_dashboard_shows_capital_and_disbursement_rate(client, db):
    project = ProjectFactory(currency="VND")
    YearlyAllocationFactory(project=project, year=2021, allocated=100, disbursed=25)
    capital = client.get("/").context["capital"]
    assert capital["per_currency"] == [
        {"currency": "VND", "allocated": 100, "disbursed": 25, "rate": 25}
    ]


def test_map_data_has_every_gate_with_coordinates(client, demo_data):
    response = client.get(reverse("gates:gate-geojson"))
    assert response["Content-Type"] == "application/geo+json"
    assert int(response["Content-Length"]) == len(response.content)  # sent whole
    data = json.loads(response.content)
    placed = Gate.objects.filter(latitude__isnull=False).count()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == placed
    approximate = {
        f["properties"]["name"] for f in data["features"] if f["properties"]["approximate"]
    }
    assert "Pò Peo" in approximate  # its position is unconfirmed


def test_the_dashboard_is_kept_until_a_write_and_shows_each_write_at_once(
    client, django_user_model, django_capture_on_commit_callbacks
):
    """Kept in the cache, the dashboard costs no query until the data changes (the same page is
    given again); a change from the API, the admin or a delete shows on the next request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import if_match, token_client

    ProjectFactory(status="under_way")
    first = client.get("/")
    assert headlines(first)["projects"].count == 1
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")
    assert len(queries) == 0
    assert again.content == first.content

    manager = django_user_model.objects.create_superuser("m", "m@example.org", "pw-123456")
    api = token_client(manager)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/projects/",
            {
                "code": "p-new",
                "slug": "p-new",
                "name": "Mới",
                "category": "road",
                "status": "under_way",
                "is_published": True,
            },
            format="json",
        )
    assert created.status_code == 201, created.content
    shown = headlines(client.get("/"))
    assert (shown["projects"].count, shown["under_way"].count) == (2, 2)

    url = "/api/v1/projects/p-new/"
    api.patch(url, {"status": "suspended"}, format="json", **if_match(api, url))
    assert headlines(client.get("/"))["under_way"].count == 1

    admin = client_for(manager)
    project = Project.objects.get(code="p-new")
    admin.post(f"/admin/projects/project/{project.pk}/delete/", {"post": "yes"})
    assert not Project.objects.filter(code="p-new").exists()
    assert headlines(client.get("/"))["projects"].count == 1


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_investors_are_counted_by_kind_as_the_investor_list_shows_them(client, demo_data):
    InvestorFactory.create_batch(2, kind="foreign_company")
    InvestorFactory(kind="ngo")
    InvestorFactory(kind="foreign_company", is_published=False)  # a draft counts nowhere
    response = client.get("/")
    by_kind = {row["kind"]: row["count"] for row in response.context["investor_kinds"]}
    for kind, _label in Investor.Kind.choices:
        listed = client.get("/investors/", {"kind": kind}).context["paginator"].count
        assert by_kind[kind] == listed, kind
    foreign = headlines(response, "investment_headlines")["fdi_investors"]
    assert foreign.count == by_kind["foreign_company"] >= 2
    assert '/investors/?kind=foreign_company">' in response.content.decode()


def test_recorded_and_reported_money_read_in_one_unit(client, demo_data):
    # 1.512 billion recorded beside "more than 513.2 billion" reported: both in tỷ, not
    # "1,512 nghìn tỷ" beside "513,2 tỷ".
    programme = Programme.objects.get(code="dtc-trung-han-2016-2020-cua-khau")
    project = ProjectFactory(programme=programme)
    YearlyAllocationFactory(project=project, year=2020, allocated=1_512_000_000_000)
    html = client.get("/").content.decode()
    assert ">1.512 tỷ đồng</data>" in html
    assert "513,2 tỷ đồng" in html
    assert "nghìn tỷ" not in html
    english = client.get("/en/").content.decode()
    assert ">VND 1,512 billion</data>" in english
    assert "VND 513.2 billion" in english
