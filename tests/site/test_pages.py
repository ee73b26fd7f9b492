"""The public pages: every page in both languages, the dashboard's figures, lists and details."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from core.filters import LargeChoiceSelect
from core.models import ReportedFigure
from gates.models import Gate
from projects.models import Programme, Project
from tests.gates.factories import GateFactory
from tests.investment.factories import InvestmentFactory, InvestorFactory
from tests.projects.factories import ProjectFactory, YearlyAllocationFactory

pytestmark = pytest.mark.django_db

LIST_URLS = ["/projects/", "/gates/", "/investors/", "/investments/"]
DETAIL_URLS = [
    "/projects/cao-toc-dong-dang-tra-linh/",
    "/projects/cau-ta-lung-2/",
    "/gates/tra-linh/",
    "/gates/ta-lung/",
    "/investors/vinh-co/",
]


@pytest.mark.parametrize("path", ["/", "/map/", *LIST_URLS, *DETAIL_URLS])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_public_page_opens_in_both_languages(client, demo_data, path, prefix):
    response = client.get(prefix + path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{prefix.strip("/") or "vi"}">' in html


def test_vietnamese_is_the_default_and_english_lives_under_en(client, demo_data):
    vi = client.get("/projects/").content.decode()
    en = client.get("/en/projects/").content.decode()
    assert "Dự án hạ tầng cửa khẩu" in vi
    assert "Border-gate infrastructure projects" in en


def test_language_links_keep_the_page_and_its_filters(client, demo_data):
    html = client.get("/projects/?status=under_way&search=tra").content.decode()
    assert 'href="/en/projects/?status=under_way&amp;search=tra"' in html
    html = client.get("/en/gates/tra-linh/").content.decode()
    assert 'href="/gates/tra-linh/"' in html


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


def test_lists_paginate_with_the_total_count(client, db):
    GateFactory.create_batch(55)
    first = client.get("/gates/").context["page_obj"]
    assert first.paginator.count == 55
    assert len(first.object_list) == 50
    second = client.get("/gates/?page=2").context["page_obj"]
    assert len(second.object_list) == 5
    assert not set(first.object_list) & set(second.object_list)


def test_empty_list_says_so(client, demo_data):
    html = client.get("/projects/?search=khong-co-du-an-nao").content.decode()
    assert 'class="empty-state"' in html


def test_investment_list_filters_by_investor_country_without_duplicates(client, db):
    chinese, korean = InvestorFactory(country="CN"), InvestorFactory(country="KR")
    both = InvestmentFactory(investors=[chinese, korean])
    InvestmentFactory(investors=[korean])
    page = client.get("/investments/?country=CN").context["page_obj"]
    assert list(page) == [both]


def test_project_page_shows_capital_per_year_history_and_sources(client, demo_data):
    project = Project.objects.get(code="cao-toc-dong-dang-tra-linh")
    YearlyAllocationFactory(project=project, year=2024, allocated=10**12, disbursed=4 * 10**11)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "1 nghìn tỷ đồng" in html  # allocated in 2024
    assert "40 %" in html  # disbursement rate
    assert "Trà Lĩnh" in html  # the gate it serves
    assert "10/08/2020" in html  # approval, from its dated history
    assert "vietnamplus" in html.lower()  # a cited source


def test_gate_page_shows_counterpart_history_projects_and_trade(client, demo_data):
    gate = Gate.objects.get(code="tra-linh")
    html = client.get(gate.get_absolute_url()).content.decode()
    assert gate.counterpart_name in html
    assert "28/12/2023" in html  # upgraded to an international gate
    assert "Nhà kiểm soát liên hợp cửa khẩu Trà Lĩnh" in html
    assert "01/2018" in html  # the trade record of January 2018


def test_investor_page_totals_per_currency(client, db):
    investor = InvestorFactory()
    InvestmentFactory(investors=[investor], capital=1_000_000, currency="USD")
    InvestmentFactory(investors=[investor], capital=2_000_000, currency="USD")
    InvestmentFactory(investors=[investor], capital=5_000_000_000, currency="VND")
    InvestmentFactory(
        investors=[investor], capital=1_000_000, currency="USD", capital_type="disbursed"
    )
    response = client.get(investor.get_absolute_url())
    totals = [(t["currency"], t["capital_type"], t["amount"]) for t in response.context["totals"]]
    assert totals == [
        ("USD", "disbursed", 1_000_000),
        ("USD", "registered", 3_000_000),
        ("VND", "registered", 5_000_000_000),
    ]


def test_reported_figures_about_a_record_appear_on_its_page(client, demo_data):
    figure = ReportedFigure.objects.get(code="expressway-phase-1-investment")
    html = client.get("/projects/cao-toc-dong-dang-tra-linh/").content.decode()
    assert figure.label in html


@pytest.mark.parametrize("path", ["/projects/nope/", "/gates/nope/", "/investors/nope/", "/nope/"])
def test_unknown_addresses_are_404_pages(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_map_data_has_every_gate_with_coordinates(client, demo_data):
    response = client.get(reverse("gates:gate-geojson"))
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(b"".join(response.streaming_content))
    placed = Gate.objects.filter(latitude__isnull=False).count()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == placed
    approximate = {
        f["properties"]["name"] for f in data["features"] if f["properties"]["approximate"]
    }
    assert "Pò Peo" in approximate  # its position is unconfirmed


def test_country_and_currency_names_follow_the_language(client, demo_data):
    assert "Trung Quốc" in client.get("/gates/tra-linh/").content.decode()
    assert "China" in client.get("/en/gates/tra-linh/").content.decode()
    vi = client.get("/projects/").content.decode()
    assert '<option value="VND">VND – Đồng Việt Nam</option>' in vi
    en = client.get("/en/projects/").content.decode()
    assert '<option value="VND">VND – Vietnamese Dong</option>' in en


def test_a_long_list_of_records_becomes_a_code_box_not_a_huge_menu(client, db):
    GateFactory.create_batch(3)
    html = client.get("/projects/").content.decode()
    assert '<select name="gate"' in html
    Gate.objects.bulk_create(
        Gate(
            code=f"many-{n}",
            slug=f"many-{n}",
            name=f"Cửa khẩu {n}",
            kind="opening",
            is_published=True,
        )
        for n in range(LargeChoiceSelect.max_options)
    )
    html = client.get("/projects/?gate=many-7").content.decode()
    assert '<select name="gate"' not in html
    assert '<input type="text" name="gate" value="many-7"' in html


def test_rows_without_an_amount_sort_last_both_ways(client, db):
    unknown = ProjectFactory(total_investment=None)
    small, large = ProjectFactory(total_investment=1), ProjectFactory(total_investment=9)
    assert list(client.get("/projects/?ordering=investment").context["page_obj"]) == [
        small,
        large,
        unknown,
    ]
    assert list(client.get("/projects/?ordering=-investment").context["page_obj"]) == [
        large,
        small,
        unknown,
    ]


def test_filters_in_force_are_listed_with_a_link_that_removes_each(client, db):
    gate = GateFactory(slug="tra-linh", name="Trà Lĩnh")
    ProjectFactory(gates=[gate], status="under_way")
    response = client.get(
        "/projects/?status=under_way&status=cancelled&gate=tra-linh&year_from=2018"
    )
    chips = {(c["value"], c["remove"]) for c in response.context["active_filters"]}
    assert chips == {
        ("Đang thực hiện", "?status=cancelled&gate=tra-linh&year_from=2018"),
        ("Đã hủy", "?status=under_way&gate=tra-linh&year_from=2018"),
        ("Trà Lĩnh", "?status=under_way&status=cancelled&year_from=2018"),
        ("2018", "?status=under_way&status=cancelled&gate=tra-linh"),
    }


def test_names_sort_in_vietnamese_order_on_postgresql(client, db):
    for name in ["Tà Lùng", "Đình Phong", "Dương Nội", "Cốc Pàng"]:
        GateFactory(name=name)
    names = [g.name for g in client.get("/gates/").context["page_obj"]]
    if connection.vendor == "postgresql":
        assert names == ["Cốc Pàng", "Dương Nội", "Đình Phong", "Tà Lùng"]
    else:  # SQLite compares code points: "Đ" (U+0110) after every ASCII letter.
        assert names == ["Cốc Pàng", "Dương Nội", "Tà Lùng", "Đình Phong"]
    descending = [g.name for g in client.get("/gates/?ordering=-name").context["page_obj"]]
    assert descending == names[::-1]
