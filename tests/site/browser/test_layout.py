"""No public page scrolls sideways, on a phone or a laptop, with a full load of rows.

Every list, every kind of detail page, the dashboard and the map, in Vietnamese and in English
(whose labels run longer), are measured in Chromium with the demo data and 2,000 synthetic
projects (with their yearly allocations, gates, investors and investments in proportion): the
page itself, every box that may scroll (computed ``overflow-x`` auto or scroll) and every table's
container must be no wider inside than on screen, and no content may stick out of its box.
"""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from gates.models import Gate
from investment.models import Investor
from projects.models import Programme, Project, YearlyAllocation

from .conftest import new_page

pytestmark = pytest.mark.django_db(transaction=True)

# A large phone in portrait, and the most common laptop screen.
WIDTHS = [390, 1366]
HEIGHT = 900
LISTS = [
    "/projects/",
    "/gates/",
    "/investors/",
    "/investments/",
    "/programmes/",
    "/sources/",
    "/trade/",
    "/zones/",
]

# Every element wider inside than on screen, described by a CSS-like path from <body>: the page,
# every box that scrolls (overflow-x auto or scroll), every table's container, and any other box
# whose content sticks out where nothing clips or scrolls it (only the innermost of those).
OVERFLOWS = """
() => {
  const describe = (element) => {
    const parts = [];
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) { parts.unshift(part + "#" + node.id); break; }
      part += Array.from(node.classList, (name) => "." + name).join("");
      const twins = node.parentElement ? Array.from(node.parentElement.children)
        .filter((other) => other.tagName === node.tagName) : [];
      if (twins.length > 1) { part += `:nth-of-type(${twins.indexOf(node) + 1})`; }
      parts.unshift(part);
    }
    return parts.join(" > ") || element.tagName.toLowerCase();
  };
  const overflowX = (element) => getComputedStyle(element).overflowX;
  const tooWide = (element) => element.scrollWidth > element.clientWidth;
  const found = [];
  const report = (element, path, what) => found.push(
    {path, what, scroll: element.scrollWidth, client: element.clientWidth});
  const root = document.documentElement;
  if (tooWide(root)) { report(root, "html (the page)", "scrolls sideways"); }
  const tables = document.querySelectorAll("table");
  const tableBoxes = new Set(Array.from(tables, (table) => table.parentElement));
  const spills = [];
  for (const element of document.body.querySelectorAll("*")) {
    const scrolls = ["auto", "scroll"].includes(overflowX(element));
    if (scrolls || tableBoxes.has(element)) {
      if (tooWide(element)) {
        report(element, describe(element), scrolls ? "scrolls sideways" : "spills out of its box");
      }
    } else if (tooWide(element) && element.clientWidth > 0
        && !["inline", "none", "contents"].includes(getComputedStyle(element).display)) {
      // Inside a box that clips or scrolls, that box decides (and is measured if it scrolls).
      let contained = false;
      for (let node = element; node && !contained; node = node.parentElement) {
        contained = overflowX(node) !== "visible";
      }
      if (!contained) { spills.push(element); }
    }
  }
  for (const element of spills) {
    if (!spills.some((other) => other !== element && element.contains(other))) {
      report(element, describe(element), "spills out of its box");
    }
  }
  return found;
}
"""


@pytest.fixture
def many_rows(demo_data, settings):
    """The demo data and 2,000 synthetic projects, with everything generated in proportion."""
    settings.TRACKER_ALLOW_SYNTHETIC = True
    call_command("generate_synthetic", projects=2000, seed=1, stdout=io.StringIO())
    assert Project.objects.filter(is_synthetic=True).count() == 2000
    assert YearlyAllocation.objects.filter(is_synthetic=True).exists()


def detail_pages() -> list[str]:
    """A demo record of each kind, and the synthetic one of each kind with the most rows."""
    project = (
        Project.objects.filter(is_synthetic=True)
        .annotate(years=Count("allocations"))
        .order_by("-years", "code")
        .first()
    )
    gate = (
        Gate.objects.filter(is_synthetic=True)
        .annotate(n=Count("projects"))
        .order_by("-n", "code")
        .first()
    )
    investor = (
        Investor.objects.filter(is_synthetic=True)
        .annotate(n=Count("investments"))
        .order_by("-n", "slug")
        .first()
    )
    programme = (
        Programme.objects.filter(is_synthetic=True)
        .annotate(n=Count("projects"))
        .order_by("-n", "code")
        .first()
    )
    return [
        "/programmes/dtc-trung-han-2016-2020-cua-khau/",
        "/zones/kkt-cua-khau-cao-bang/",
        "/zones/syn-zone/",
        programme.get_absolute_url(),
        "/projects/cao-toc-dong-dang-tra-linh/",
        project.get_absolute_url(),
        "/gates/tra-linh/",
        gate.get_absolute_url(),
        "/investors/vinh-co/",
        investor.get_absolute_url(),
    ]


def overflows(browser, live_server, paths, width) -> list[str]:
    """What scrolls sideways or spills out of its box on each of ``paths`` at ``width``."""
    context, page = new_page(browser, live_server, {"width": width, "height": HEIGHT})
    problems = []
    try:
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{path} answered {response.status}"
            if path.endswith("/map/"):
                page.wait_for_selector("#map[data-loaded=true]")
            # A folded filter form is part of the page too: measure it open.
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            problems += [
                f"{path} at {width} px: {box['path']} {box['what']} "
                f"(scrollWidth {box['scroll']} > clientWidth {box['client']})"
                for box in page.evaluate(OVERFLOWS)
            ]
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_or_box_scrolls_sideways(browser, live_server, many_rows, width):
    vietnamese = ["/", *LISTS, "/map/", *detail_pages()]
    paths = vietnamese + ["/en" + path for path in vietnamese]
    problems = overflows(browser, live_server, paths, width)
    assert not problems, "\n".join(problems)


def test_the_dashboard_fits_every_screen_with_100k_projects(browser, live_server, demo_data):
    """The dashboard's figures grow with the data ("24.929.154 tỷ đồng"): at 100,000 synthetic
    projects, in both languages, nothing scrolls sideways or spills out of its card on a phone,
    a laptop or a wide screen."""
    call_command("generate_synthetic", projects=100_000, seed=1, stdout=io.StringIO())
    assert Project.objects.filter(is_synthetic=True).count() == 100_000
    problems = []
    for width in (390, 1366, 1920):
        problems += overflows(browser, live_server, ["/", "/en/"], width)
    assert not problems, "\n".join(problems)
