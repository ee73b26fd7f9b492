"""Records in two languages (issue 13): English pages show the English name and text where one is
recorded and the Vietnamese one, marked as such, where none is; search finds either; quotes stay
in their source's language with a translation beside them; a page says how current its
information is and when it last changed here, in Vietnam's time."""

import datetime
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import Citation
from gates.models import Gate
from investment.models import Investment, Investor, Sector
from projects.models import Programme, Project, ProjectEvent
from tests.core.factories import SourceFactory
from tests.gates.factories import GateFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

FALLBACK_TAG = 'class="lang-tag"'


def text_of(response) -> str:
    return response.content.decode()


def test_an_english_page_shows_the_english_name_and_the_vietnamese_one_beside_it(client):
    ProjectFactory(
        slug="cau-x",
        name="Cầu biên giới X",
        name_en="Border bridge X",
        description="Cầu qua sông.",
        description_en="A bridge over the river.",
    )
    english = text_of(client.get("/en/projects/cau-x/"))
    assert "<h1>Border bridge X</h1>" in english
    assert '<p class="lead" lang="vi">Cầu biên giới X</p>' in english
    assert "<title>Border bridge X" in english
    assert '<div class="prose" lang="en"><p>A bridge over the river.</p></div>' in english
    assert FALLBACK_TAG not in english
    vietnamese = text_of(client.get("/projects/cau-x/"))
    assert "<h1>Cầu biên giới X</h1>" in vietnamese
    assert '<p class="lead" lang="en">Border bridge X</p>' in vietnamese
    assert '<div class="prose" lang="vi"><p>Cầu qua sông.</p></div>' in vietnamese


def test_without_an_english_version_the_vietnamese_text_is_shown_and_marked(client):
    ProjectFactory(slug="cau-y", name="Cầu Y", name_en="", description="Chỉ có tiếng Việt.")
    english = text_of(client.get("/en/projects/cau-y/"))
    assert '<h1><span lang="vi">Cầu Y</span> <abbr class="lang-tag"' in english
    assert "no English version is recorded yet" in english
    assert '<div class="prose" lang="vi"><p>Chỉ có tiếng Việt.</p></div>' in english
    listed = text_of(client.get("/en/projects/"))
    assert re.search(r'<span lang="vi">Cầu Y</span> <abbr class="lang-tag"', listed)
    # Vietnamese pages never mark the Vietnamese text.
    assert FALLBACK_TAG not in text_of(client.get("/projects/cau-y/"))
    assert FALLBACK_TAG not in text_of(client.get("/projects/"))


@pytest.mark.parametrize(
    ("path", "make", "shown", "finding", "missing"),
    [
        (
            "/en/projects/",
            lambda: ProjectFactory(name="Cầu Z", name_en="Z bridge"),
            "Z bridge",
            ["bridge", "BRIDGE z", "cau", "cầu z"],
            ["river", "cua khau"],
        ),
        (
            "/en/gates/",
            lambda: GateFactory(name="Cửa khẩu Z", name_en="Z border gate"),
            "Z border gate",
            ["border gate", "cua khau", "Cửa khẩu"],
            ["bridge"],
        ),
    ],
)
def test_search_finds_a_record_by_its_name_in_either_language(
    client, path, make, shown, finding, missing
):
    make()
    for term in finding:
        assert shown in text_of(client.get(path, {"search": term})), term
    for term in missing:
        assert shown not in text_of(client.get(path, {"search": term})), term


def test_english_text_is_escaped(client):
    ProjectFactory(slug="cau-xss", name="Cầu", name_en="<script>alert(1)</script>")
    english = text_of(client.get("/en/projects/cau-xss/"))
    assert "<script>alert(1)</script>" not in english
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in english


def test_a_quote_keeps_its_language_with_the_translation_beside_it_on_english_pages(client):
    project = ProjectFactory(slug="cau-q")
    source = SourceFactory(language="vi")
    Citation.objects.create(
        source=source,
        content_type=ContentType.objects.get_for_model(Project),
        object_id=project.pk,
        quote="bố trí 150 tỷ đồng",
        quote_en="allocated 150 billion VND",
        note="Ghi chú của chúng tôi.",
        note_en="Our note.",
    )
    english = text_of(client.get("/en/projects/cau-q/"))
    assert '<blockquote lang="vi">bố trí 150 tỷ đồng</blockquote>' in english
    assert "allocated 150 billion VND" in english
    assert "Our note." in english and "Ghi chú của chúng tôi." not in english
    vietnamese = text_of(client.get("/projects/cau-q/"))
    assert '<blockquote lang="vi">bố trí 150 tỷ đồng</blockquote>' in vietnamese
    assert "allocated 150 billion VND" not in vietnamese
    assert "Ghi chú của chúng tôi." in vietnamese and "Our note." not in vietnamese
    detail = client.get(f"/api/v1/projects/{project.slug}/").json()
    assert detail["citations"][0]["quote_en"] == "allocated 150 billion VND"
    assert detail["citations"][0]["note_en"] == "Our note."


def test_the_map_labels_records_in_the_page_language(client):
    ProjectFactory(name="Cầu M", name_en="M bridge", latitude=22.5, longitude=106.5)
    GateFactory(name="Cửa khẩu M", name_en="", latitude=22.6, longitude=106.6)
    english = json.loads(client.get("/en/projects/map.geojson").content)
    assert [f["properties"]["name"] for f in english["features"]] == ["M bridge"]
    vietnamese = json.loads(client.get("/projects/map.geojson").content)
    assert [f["properties"]["name"] for f in vietnamese["features"]] == ["Cầu M"]
    # No English name: the Vietnamese one.
    gates = json.loads(client.get("/en/gates/map.geojson").content)
    assert [f["properties"]["name"] for f in gates["features"]] == ["Cửa khẩu M"]


def test_the_api_and_the_downloads_carry_both_names(client):
    ProjectFactory(slug="cau-api", name="Cầu A", name_en="Bridge A", description_en="About A.")
    row = client.get("/api/v1/projects/cau-api/").json()
    assert (row["name"], row["name_en"], row["description_en"]) == ("Cầu A", "Bridge A", "About A.")
    download = client.get("/en/projects/export.csv")
    header, line = b"".join(download.streaming_content).decode().splitlines()[:2]
    assert "Name in English" in header and "Bridge A" in line


def test_every_demo_record_has_its_english_name_and_every_quote_its_translation(demo_data):
    for model in (Project, Programme, Gate, Investor):
        assert not model.objects.filter(name_en="").exists(), model
    assert not ProjectEvent.objects.filter(title_en="").exists()
    for citation in Citation.objects.select_related("source"):
        if citation.quote:
            # A quote is the source's own wording: only the article's is recorded word for word.
            assert citation.source.code == "article-2020-11-29", citation.quote
            assert citation.quote_en, citation.quote
        assert bool(citation.note) == bool(citation.note_en), citation.note
    assert Investment.objects.count() == 0 and Sector.objects.count() == 0


def test_a_page_says_how_current_its_information_is_and_when_it_changed_here(client):
    project = ProjectFactory(slug="cau-d")
    ProjectEvent.objects.create(
        project=project,
        date=datetime.date(2025, 9, 12),
        kind=ProjectEvent.Kind.OTHER,
        title="Sự kiện",
        source=SourceFactory(published_on=datetime.date(2025, 9, 13)),
    )
    Citation.objects.create(
        source=SourceFactory(published_on=datetime.date(2020, 11, 29)),
        content_type=ContentType.objects.get_for_model(Project),
        object_id=project.pk,
    )
    changed = datetime.datetime(2026, 11, 27, 14, 13, tzinfo=datetime.UTC)
    Project.objects.filter(pk=project.pk).update(updated_at=changed)
    page = re.sub(r"<[^>]+>", " ", text_of(client.get("/projects/cau-d/")))
    page = re.sub(r"\s+", " ", page)
    # The newest of the source's date (2020) and the event's (2025); not the load time.
    assert "Thông tin tính đến 12/09/2025" in page
    # 14:13 UTC is 21:13 in Vietnam.
    assert "Cập nhật lần cuối trên trang 21:13 ngày 27/11/2026" in page
    english = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", " ", text_of(client.get("/en/projects/cau-d/")))
    )
    assert "Last changed here 27 Nov 2026, 21:13" in english
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
