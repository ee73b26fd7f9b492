"""The public site in a real browser: filtering, search, language switch, map, export, access."""

import csv
import io
from pathlib import Path

import pytest

from gates.models import Gate
from projects.models import Project

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/projects/",
    "/gates/",
    "/investors/",
    "/investments/",
    "/map/",
    "/projects/cao-toc-dong-dang-tra-linh/",
    "/gates/tra-linh/",
    "/investors/vinh-co/",
    "/en/projects/cau-ta-lung-2/",
]


def result_count(page) -> str:
    return page.locator(".result-count").inner_text()


def test_filtering_changes_the_results_and_the_url(page, live_server, demo_data):
    page.goto(live_server.url + "/projects/")
    before = page.locator("table.data tbody tr").count()
    assert before == Project.objects.count()
    page.get_by_label("Đã đi vào hoạt động").check()
    page.get_by_role("button", name="Áp dụng").click()
    page.wait_for_url("**/projects/?*status=in_operation*")
    after = page.locator("table.data tbody tr").count()
    assert after == Project.objects.filter(status="in_operation").count()
    assert after < before
    # The URL holds the whole state: opening it again gives the same rows.
    page.goto(page.url)
    assert page.locator("table.data tbody tr").count() == after


def test_search_without_diacritics_finds_tra_linh(page, live_server, demo_data):
    page.goto(live_server.url + "/gates/")
    page.locator("input[name=search]").fill("tra linh")
    page.locator("input[name=search]").press("Enter")
    page.wait_for_url("**search=tra+linh*")
    names = page.locator("table.data tbody th a").all_inner_texts()
    assert names == ["Trà Lĩnh"]


def test_language_switch_keeps_the_page_and_filters(page, live_server, demo_data):
    page.goto(live_server.url + "/projects/?status=under_way")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/projects/?status=under_way")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Border-gate infrastructure projects"
    rows = page.locator("table.data tbody tr").count()
    assert rows == Project.objects.filter(status="under_way").count()
    page.get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url("**/projects/?status=under_way")
    assert page.locator("html").get_attribute("lang") == "vi"


def test_map_shows_a_marker_per_gate_even_without_tiles(page, live_server, demo_data):
    page.goto(live_server.url + "/map/?layer=gates")
    page.wait_for_selector("#map[data-loaded=true]")
    placed = Gate.objects.filter(latitude__isnull=False)
    assert page.locator("path.marker-gates").count() == placed.count()
    approximate = (
        placed.filter(location_unconfirmed=True).count()
        + placed.filter(location_unconfirmed=False, location_approximate=True).count()
    )
    assert page.locator("path.marker-approximate").count() == approximate
    # The tiles are blocked here: the page says so and keeps the markers.
    page.wait_for_selector("#map-notice:not([hidden])")
    # A gate with no recorded position is named below the map instead.
    assert "Nà Đoỏng" in page.locator("main").inner_text()


def test_map_marker_opens_the_gate(page, live_server, demo_data):
    page.goto(live_server.url + "/map/?layer=gates&search=tra linh")
    page.wait_for_selector("#map[data-loaded=true]")
    page.locator("path.marker-gates").first.click(force=True)
    page.locator(".leaflet-popup a.popup-name").click()
    page.wait_for_url("**/gates/tra-linh/")


def test_export_downloads_the_filtered_rows(page, live_server, demo_data):
    page.goto(live_server.url + "/projects/?status=in_operation")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải về CSV").click()
    download = download_info.value
    assert download.suggested_filename == "projects.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    codes = {row[0] for row in list(csv.reader(io.StringIO(text)))[1:]}
    in_operation = Project.objects.filter(status="in_operation")
    assert codes == set(in_operation.values_list("code", flat=True))


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(page, live_server, demo_data, axe_source, path):
    page.goto(live_server.url + path)
    # Evaluated by the test, not added as an inline <script> the site's CSP would block.
    page.evaluate(axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_360_pixel_phone(phone, live_server, demo_data, path):
    phone.goto(live_server.url + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_keyboard_reaches_the_skip_link_first(page, live_server, demo_data):
    page.goto(live_server.url + "/projects/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
