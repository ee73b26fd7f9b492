"""The public site as a whole: every page in both languages, the language links, unknown
addresses, and what every list does (pagination, empty lists, sorting, filters in force)."""

import pytest
from django.db import connection

from core.filters import LargeChoiceSelect
from gates.models import Gate
from tests.gates.factories import GateFactory
from tests.projects.factories import ProjectFactory

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


@pytest.mark.parametrize("path", ["/projects/nope/", "/gates/nope/", "/investors/nope/", "/nope/"])
def test_unknown_addresses_are_404_pages(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


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
