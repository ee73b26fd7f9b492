"""The Content-Security-Policy blocks nothing the site, the admin, the map or the API docs need:
no page reports a violation, and each still works (the map draws, Swagger UI lists the API)."""

import pytest

from tests.conftest import role_member
from tests.site.browser.conftest import csp_violations

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = [
    "/",
    "/projects/",
    "/gates/",
    "/investors/",
    "/investments/",
    "/projects/cao-toc-dong-dang-tra-linh/",
    "/gates/tra-linh/",
    "/en/projects/",
]
STAFF = [
    "/admin/",
    "/admin/projects/project/",
    "/admin/projects/project/add/",
    "/admin/projects/progressreport/add/",
    "/admin/gates/gate/1/change/",
    "/admin/projects/project/capital-plan/",
    "/admin/import/",
]


def test_no_page_breaks_the_content_security_policy(page, live_server, demo_data):
    for url in PUBLIC:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert csp_violations(page) == [], url
    page.goto(live_server.url + "/map/")
    page.wait_for_selector(".leaflet-marker-icon, .leaflet-interactive")
    assert csp_violations(page) == []


def test_the_admin_works_under_the_policy(page, live_server, demo_data, django_user_model):
    role_member(django_user_model, "manager", "lan")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "lan")
    page.fill("#id_password", "pw-123456")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    for url in STAFF:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert csp_violations(page) == [], url
    # The admin's scripts run: the date widget's calendar link is drawn by JavaScript.
    page.goto(live_server.url + "/admin/projects/project/add/")
    assert page.locator(".datetimeshortcuts").count() > 0


def test_swagger_ui_lists_the_api_under_the_policy(page, live_server, db):
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".opblock-tag", timeout=20_000)
    assert page.locator(".opblock-tag").count() >= 5
    assert csp_violations(page) == []
