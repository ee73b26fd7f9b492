"""What crawlers, link previews and browsers ask of the site: robots.txt, sitemap.xml (in both
languages, with hreflang alternates, in files of a fixed size), favicon.ico, Open Graph and
hreflang tags on every page."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.sitemaps import TrackerSitemap
from projects.models import Project
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def locations(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own answer, not untrusted)


def test_the_sitemap_lists_every_public_record_in_both_languages(client, demo_data):
    ProjectFactory(slug="a-draft", is_published=False)
    index = locations(client, "/sitemap.xml")
    files = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert "http://testserver/sitemap-projects.xml" in files
    urls = {}
    for address in files:
        tree = locations(client, address.removeprefix("http://testserver"))
        for url in tree.findall("s:url", NS):
            alternates = {
                link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
            }
            urls[url.find("s:loc", NS).text] = alternates
    for project in Project.objects.published():
        vi = f"http://testserver/projects/{project.slug}/"
        en = f"http://testserver/en/projects/{project.slug}/"
        assert urls[vi] == urls[en] == {"vi": vi, "en": en, "x-default": vi}
    assert not any("a-draft" in url for url in urls)
    for page in ("/", "/programmes/", "/trade/", "/zones/", "/sources/", "/map/"):
        assert f"http://testserver{page}" in urls
        assert f"http://testserver/en{page}" in urls


def test_sitemap_files_have_a_fixed_size_and_cost(client, db, settings):
    ProjectFactory.create_batch(TrackerSitemap.limit // 2 + 10)  # two files of projects
    index = locations(client, "/sitemap.xml")
    files = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    assert "http://testserver/sitemap-projects.xml?p=2" in files
    with CaptureQueriesContext(connection) as queries:
        first = locations(client, "/sitemap-projects.xml?p=1")
    assert len(first.findall("s:url", NS)) == TrackerSitemap.limit
    # The count and one page of records, never every record.
    assert len([q for q in queries if "projects_project" in q["sql"]]) == 2
    second = locations(client, "/sitemap-projects.xml?p=2")
    assert len(second.findall("s:url", NS)) == 20


@pytest.mark.parametrize(
    "path", ["/sitemap-projects.xml?p=99", "/sitemap-x.xml", "/sitemap-projects.xml?p=x"]
)
def test_a_sitemap_that_does_not_exist_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


def test_robots_txt_keeps_crawlers_off_downloads_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /*export.csv" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_favicon_is_an_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"


def test_every_page_has_link_preview_and_hreflang_tags(client, demo_data):
    html = client.get("/en/projects/cao-toc-dong-dang-tra-linh/").content.decode()
    vi = "http://testserver/projects/cao-toc-dong-dang-tra-linh/"
    en = "http://testserver/en/projects/cao-toc-dong-dang-tra-linh/"
    assert f'<link rel="canonical" href="{en}">' in html
    assert f'<link rel="alternate" hreflang="vi" href="{vi}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{en}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{vi}">' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta property="og:locale:alternate" content="vi_VN">' in html
    assert '<meta property="og:image" content="http://testserver/static/og-image.png">' in html
    project = Project.objects.get(slug="cao-toc-dong-dang-tra-linh")
    # The English page's title is the English name.
    assert f'<meta property="og:title" content="{project.name_en}">' in html
    assert '<link rel="icon" href="/favicon.ico"' in html


def test_a_title_is_escaped_once_in_the_preview_tags(client, db):
    ProjectFactory(slug="quoted", name='Cầu "A" & <b>B</b>')
    html = client.get("/projects/quoted/").content.decode()
    assert (
        '<meta property="og:title" content="Cầu &quot;A&quot; &amp; &lt;b&gt;B&lt;/b&gt;">' in html
    )
    assert "&amp;amp;" not in html
