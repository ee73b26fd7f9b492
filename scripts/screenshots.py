"""Screenshots of the public site at desktop and phone widths, for docs/screenshots/.

Usage: start the demo (`make run`), then `make screenshots` (or
`python scripts/screenshots.py http://127.0.0.1:8000`). Requests to other hosts (map tiles) are
blocked so that the pictures show only what the project serves itself.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PAGES = {
    "dashboard": "/",
    "projects": "/projects/",
    "project": "/projects/cao-toc-dong-dang-tra-linh/",
    "gate": "/gates/tra-linh/",
    "map": "/map/",
    "programmes": "/programmes/",
    "programme": "/programmes/dtc-trung-han-2016-2020-cua-khau/",
    "trade": "/trade/",
    "zones": "/zones/",
    "sources": "/sources/",
    "projects-en": "/en/projects/?status=in_operation",
    "project-en": "/en/projects/cau-ta-lung-2/",
    "gate-en": "/en/gates/tra-linh/",
}
WIDTHS = {"desktop": (1280, 900), "phone": (360, 780)}


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking", "--no-first-run"],
        )
        for label, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(base) else route.abort()
                ),
            )
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(base + path)
                if name == "map":
                    page.wait_for_selector("#map[data-loaded]")
                page.screenshot(path=OUT / f"{name}-{label}.png", full_page=name != "map")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
