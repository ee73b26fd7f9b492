"""Search ignores Vietnamese diacritics and case, on SQLite and PostgreSQL alike."""

import pytest

from core.search import search_queryset, search_terms
from core.text import fold, fold_query
from gates.models import Gate
from projects.models import Project
from tests.gates.factories import GateFactory
from tests.projects.factories import ProjectFactory


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Trà Lĩnh", "tra linh"),
        ("TRA LINH", "tra linh"),
        ("Nà Đoỏng", "na doong"),
        ("đường ĐỒNG ĐĂNG", "duong dong dang"),
        ("  Sóc   Giang\t", "soc giang"),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_query_folding_is_bounded_and_drops_control_characters():
    assert len(fold_query("a" * 10_000)) == 200
    assert fold_query("tra\x00 linh\x1b") == "tra linh"
    assert search_terms("Trà trà LĨNH a b c d e f g h") == [
        "tra",
        "linh",
        "a",
        "b",
        "c",
        "d",
        "e",
        "f",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["tra linh", "TRA LINH", "Trà Lĩnh", "trà linh", "LĨNH"])
def test_any_spelling_finds_the_same_gate(query):
    tra_linh = GateFactory(name="Trà Lĩnh")
    GateFactory(name="Tà Lùng")
    assert list(search_queryset(Gate.objects.all(), query)) == [tra_linh]


@pytest.mark.django_db
def test_d_with_stroke_matches_plain_d():
    gate = GateFactory(name="Nà Đoỏng")
    assert list(search_queryset(Gate.objects.all(), "na doong")) == [gate]
    project = ProjectFactory(name="Cao tốc Đồng Đăng – Trà Lĩnh")
    assert list(search_queryset(Project.objects.all(), "dong dang")) == [project]


@pytest.mark.django_db
def test_search_text_follows_edits():
    gate = GateFactory(name="Tà Lùng")
    gate.name = "Sóc Giang"
    gate.save(update_fields=["name"])
    assert list(search_queryset(Gate.objects.all(), "soc giang")) == [gate]
    assert not search_queryset(Gate.objects.all(), "ta lung").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["%", "_", "' OR 1=1 --", "<script>", "\\", "x" * 10_000])
def test_wildcards_and_injection_strings_match_literally(query):
    GateFactory(name="Trà Lĩnh")
    assert list(search_queryset(Gate.objects.all(), query)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/admin/gates/gate/", "tra linh"),
        ("/admin/gates/gate/", "TRA LINH"),
        ("/admin/gates/gate/", "Trà Lĩnh"),
        ("/admin/projects/project/", "tra linh"),
    ],
)
def test_admin_search_ignores_diacritics(staff_client, url, query):
    GateFactory(name="Trà Lĩnh")
    GateFactory(name="Tà Lùng")
    ProjectFactory(name="Nhà kiểm soát liên hợp cửa khẩu Trà Lĩnh")
    ProjectFactory(name="Cầu Tà Lùng II")
    response = staff_client.get(url, {"q": query})
    assert response.status_code == 200
    names = [str(obj) for obj in response.context["cl"].result_list]
    assert len(names) == 1
    assert "Trà Lĩnh" in names[0]


@pytest.mark.django_db
def test_admin_autocomplete_ignores_diacritics(staff_client):
    GateFactory(name="Trà Lĩnh")
    GateFactory(name="Tà Lùng")
    response = staff_client.get(
        "/admin/autocomplete/",
        {
            "term": "tra linh",
            "app_label": "projects",
            "model_name": "project",
            "field_name": "gates",
        },
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Trà Lĩnh"]
