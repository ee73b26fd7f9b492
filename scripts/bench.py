"""Time the public pages against whatever database DATABASE_URL names (e.g. 1M synthetic rows).

Usage: DATABASE_URL=postgres://… .venv/bin/python scripts/bench.py [repeats]
Prints, per URL, the median and worst wall-clock time over the repeats, the response size and
the number of SQL queries. Exports are read to the end, so their time is the whole download.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

URLS = [
    "/",
    "/projects/",
    "/projects/?status=under_way&ordering=-investment",
    "/projects/?search=cau+tra+linh",
    "/projects/?page=10000",
    "/projects/?category=bridge&year_from=2018&year_to=2020&ordering=approved",
    "/gates/",
    "/investors/",
    "/investments/?kind=fdi&ordering=-capital",
    "/projects/cau-ta-lung-2/",
    "/gates/tra-linh/",
    "/map/",
    "/gates/map.geojson",
    "/projects/export.csv?status=cancelled",
]


def main(repeats: int) -> None:
    client = Client()
    print(f"{'URL':72} {'status':>6} {'median ms':>10} {'max ms':>8} {'KB':>8} {'queries':>8}")
    with override_settings(DEBUG=True, ALLOWED_HOSTS=["testserver"]):
        for url in URLS:
            times, size, queries = [], 0, 0
            for _ in range(repeats):
                reset_queries()
                start = time.perf_counter()
                response = client.get(url)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                times.append((time.perf_counter() - start) * 1000)
                size, queries = len(body), len(connection.queries)
            print(
                f"{url:72} {response.status_code:6} {statistics.median(times):10.0f} "
                f"{max(times):8.0f} {size / 1024:8.0f} {queries:8d}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
