"""`make bench`: our app and Datasette side by side on the same synthetic projects.

1. PostgreSQL (``BENCH_DATABASE_URL``, by default the database ``tracker_bench`` on
   127.0.0.1) is migrated and holds ``BENCH_PROJECTS`` synthetic projects (default 100,000;
   ``generate_synthetic``, made again only when the count differs).
2. The same projects are copied into a SQLite file for Datasette, with what a Datasette user
   would add: an index on the filtered column and on each sorted one, full-text search on the
   name.
3. Our app runs as ``make serve`` runs it (gunicorn, 2 workers, the production settings, Redis),
   with the API throttle lifted; Datasette 0.65 beside it (``.venv-bench``).
4. wrk (``-t2 -c8 -d8s --latency``) runs each pair interleaved, ours then Datasette's, three
   times, and our pages alone; the table gives the medians: requests per second, p50, p99, and
   the ratio of requests per second (ours / Datasette), with the SQL queries each of our
   requests makes (counted once, in-process, against the same database) and the machine's load.

Our app keeps a public answer until the data changes (``core.cache.kept_answer``), and wrk asks
the same address again and again: that measures a reader who finds the answer kept. Each of our
rows is therefore measured a second time with every request at an address of its own (an unused
``_n=`` parameter, different each time), so that every answer is made afresh: the "made afresh"
columns, the cost of a first reader.

Deep pages (the middle of the list, the costliest to reach, and the last) are measured made
afresh by one client (``wrk -t1 -c1``): the time one reader waits for a page nobody asked for.

Timings are never asserted in tests; query counts are (``tests/site/test_query_counts.py``).
"""

import argparse
import datetime
import itertools
import json
import os
import platform
import re
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DATASETTE = ROOT / ".venv-bench" / "bin" / "datasette"
OURS, THEIRS = "http://127.0.0.1:8100", "http://127.0.0.1:8101"
ROUNDS = 3

# The columns Datasette serves (the project's own fields, as the API's list shows them).
COLUMNS = (
    "id",
    "code",
    "slug",
    "name",
    "status",
    "category",
    "project_type",
    "funding_source",
    "total_investment",
    "currency",
    "approval_date",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "progress_percent",
    "length_km",
    "latitude",
    "longitude",
    "location_approximate",
    "description",
    "is_published",
    "created_at",
    "updated_at",
)


def pairs(record_slug: str, record_id: int, word: str) -> list[tuple[str, str, str]]:
    """(what, our path, Datasette's path): the same rows asked of both."""
    table = "/bench/projects"
    return [
        (
            "API list ?status=under_way&ordering=-investment (page of 50, count)",
            "/api/v1/projects/?status=under_way&ordering=-investment",
            f"{table}.json?status=under_way&_sort_desc=total_investment&_size=50",
        ),
        (
            "API list ?status=under_way",
            "/api/v1/projects/?status=under_way",
            f"{table}.json?status=under_way&_size=50",
        ),
        (
            "API text search",
            f"/api/v1/projects/?search={word}",
            f"{table}.json?_search={word}&_size=50",
        ),
        (
            "page /projects/?status=under_way&ordering=-investment",
            "/projects/?status=under_way&ordering=-investment",
            f"{table}?status=under_way&_sort_desc=total_investment&_size=50",
        ),
        (
            "one project (API detail vs row JSON)",
            f"/api/v1/projects/{record_slug}/",
            f"{table}/{record_id}.json",
        ),
        (
            "one project (page vs row page)",
            f"/projects/{record_slug}/",
            f"{table}/{record_id}",
        ),
    ]


# Whole downloads of the list, each read to its end by one client.
EXPORTS = [
    ("CSV /projects/export.csv", "/projects/export.csv"),
    ("CSV /api/v1/projects/?format=csv", "/api/v1/projects/?format=csv"),
    ("XLSX /projects/export.xlsx", "/projects/export.xlsx"),
    ("OC4IDS /api/v1/oc4ids/", "/api/v1/oc4ids/"),
]
# While two clients download exports in a loop, these must keep answering.
STARVED = [
    ("/gates/", "/gates/"),
    ("API list ?status=under_way", "/api/v1/projects/?status=under_way"),
]


def deep_pages(url: str) -> list[tuple[str, str]]:
    """The middle page (the most rows to skip) and the last page of the list, in the default
    and in the investment order, on the site and in the API, and of a filtered list."""
    import psycopg

    with psycopg.connect(url) as connection:
        total, under_way = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'under_way') "
            "FROM projects_project WHERE is_published"
        ).fetchone()
    pages, filtered = -(-total // 50), -(-under_way // 50)
    middle, filtered_middle = -(-pages // 2), -(-filtered // 2)
    return [
        (f"/projects/?page={middle:,} (the middle)", f"/projects/?page={middle}"),
        (f"/projects/?page={pages:,} (the last)", f"/projects/?page={pages}"),
        (
            f"/projects/?ordering=-investment&page={middle:,}",
            f"/projects/?ordering=-investment&page={middle}",
        ),
        (f"API /api/v1/projects/?page={middle:,}", f"/api/v1/projects/?page={middle}"),
        (
            f"API ?status=under_way&ordering=-investment&page={filtered_middle:,}",
            f"/api/v1/projects/?status=under_way&ordering=-investment&page={filtered_middle}",
        ),
    ]


def alone(record_slug: str) -> list[tuple[str, str]]:
    return [
        ("dashboard /", "/"),
        ("/projects/", "/projects/"),
        ("/projects/?page=1000", "/projects/?page=1000"),
        ("/gates/", "/gates/"),
        ("/gates/map.geojson", "/gates/map.geojson"),
        ("API /api/v1/gates/", "/api/v1/gates/"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--projects", type=int, default=int(os.environ.get("BENCH_PROJECTS", 100_000))
    )
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_bench"
        ),
    )
    parser.add_argument("--only", help="Run only the rows whose name contains this.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("make bench needs wrk: apt-get install -y wrk", file=sys.stderr)
        return 2
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_ALLOW_SYNTHETIC": "1",
    }
    prepare_postgres(env, args.database_url, args.projects)
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        sqlite_path = Path(folder) / "bench.db"
        record = copy_to_sqlite(args.database_url, sqlite_path)
        word = record["code"].split("-")[-1]
        chosen = pairs(record["slug"], record["id"], word)
        single = alone(record["slug"])
        if args.only:
            chosen = [row for row in chosen if args.only in row[0]]
            single = [row for row in single if args.only in row[0]]
        queries = count_queries(env, [path for _w, path, _d in chosen] + [p for _w, p in single])
        distinct = Path(folder) / "distinct.lua"
        distinct.write_text(DISTINCT_ADDRESSES)
        servers = [serve_ours(env, folder), serve_datasette(sqlite_path, folder)]
        try:
            wait_for(OURS + "/healthz")
            wait_for(THEIRS + "/bench/projects.json?_size=1")
            load_before = os.getloadavg()
            rows = []
            for what, ours, theirs in chosen:
                measured = {"ours": [], "afresh": [], "theirs": []}
                for _round in range(ROUNDS):
                    measured["ours"].append(wrk(OURS + ours, args))
                    measured["afresh"].append(wrk(OURS + ours, args, script=distinct))
                    measured["theirs"].append(wrk(THEIRS + theirs, args))
                rows.append(
                    (
                        what,
                        median(measured["ours"]),
                        median(measured["afresh"]),
                        median(measured["theirs"]),
                        queries[ours],
                    )
                )
            for what, ours in single:
                measured = {"ours": [], "afresh": []}
                for _round in range(ROUNDS):
                    measured["ours"].append(wrk(OURS + ours, args))
                    measured["afresh"].append(wrk(OURS + ours, args, script=distinct))
                rows.append(
                    (
                        what,
                        median(measured["ours"]),
                        median(measured["afresh"]),
                        None,
                        queries[ours],
                    )
                )
            deep = []
            if not args.only or "deep" in args.only:
                for what, path in deep_pages(args.database_url):
                    deep.append((what, wrk(OURS + path, args, script=distinct, clients=1)))
            downloads, starved = [], []
            if not args.only or "export" in args.only:
                downloads = [
                    (what, download(OURS + path, servers[0].pid)) for what, path in EXPORTS
                ]
                starved = starving(args, distinct)
            load_after = os.getloadavg()
        finally:
            for server in servers:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
            # The servers' logs outlive the run, for the answers that were not 2xx.
            for name in ("ours.log", "datasette.log"):
                shutil.copy(Path(folder) / name, Path(tempfile.gettempdir()) / f"bench-{name}")
    print_table(rows, args, load_before, load_after)
    print_deep(deep, args)
    print_downloads(downloads, starved, args)
    return 0


# The data ---------------------------------------------------------------------------------


def prepare_postgres(env: dict, url: str, count: int) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')  # the name is ours, from the URL
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    with psycopg.connect(url) as connection:
        have = connection.execute(
            "SELECT count(*) FROM projects_project WHERE is_synthetic"
        ).fetchone()[0]
    if have != count:
        print(f"Generating {count:,} synthetic projects (there are {have:,})…", flush=True)
        subprocess.run(
            [PYTHON, "manage.py", "generate_synthetic", "--projects", str(count)],
            env=env,
            cwd=ROOT,
            check=True,
        )


def copy_to_sqlite(url: str, path: Path) -> dict:
    """The projects, as they are in PostgreSQL, into ``path`` for Datasette; returns one
    project in the middle (for the single-record requests)."""
    import psycopg

    started = time.monotonic()
    target = sqlite3.connect(path)
    target.execute(
        "CREATE TABLE projects ("
        + ", ".join(f"[{c}] INTEGER PRIMARY KEY" if c == "id" else f"[{c}]" for c in COLUMNS)
        + ")"
    )
    with psycopg.connect(url) as source, source.cursor(name="copy") as cursor:
        cursor.itersize = 10_000
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM projects_project ORDER BY id")
        marks = ", ".join("?" for _ in COLUMNS)
        while batch := cursor.fetchmany(10_000):
            target.executemany(
                f"INSERT INTO projects VALUES ({marks})",
                [tuple(convert(value) for value in row) for row in batch],
            )
    # What a Datasette user would add for these requests.
    target.execute("CREATE INDEX projects_status ON projects (status)")
    target.execute("CREATE INDEX projects_investment ON projects (total_investment)")
    target.execute("CREATE INDEX projects_status_investment ON projects (status, total_investment)")
    target.execute("CREATE VIRTUAL TABLE [projects_fts] USING FTS5 ([name], content=[projects])")
    target.execute("INSERT INTO projects_fts (rowid, name) SELECT id, name FROM projects")
    target.commit()
    total = target.execute("SELECT count(*) FROM projects").fetchone()[0]
    row = target.execute(
        "SELECT id, code, slug FROM projects ORDER BY id LIMIT 1 OFFSET ?", [total // 2]
    ).fetchone()
    target.execute("ANALYZE")
    target.close()
    print(f"Copied {total:,} projects to SQLite in {time.monotonic() - started:.1f} s.", flush=True)
    return {"id": row[0], "code": row[1], "slug": row[2]}


def convert(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if value is not None and type(value).__name__ == "Decimal":
        return float(value)
    return value


def count_queries(env: dict, paths: list[str]) -> dict[str, int]:
    """The SQL queries each of our requests makes, counted in-process with Django's test client
    against the bench database."""
    script = """
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client, counts = Client(), {}
for path in json.loads(sys.argv[1]):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    counts[path] = len(queries) if response.status_code == 200 else -response.status_code
print(json.dumps(counts))
"""
    result = subprocess.run(
        [PYTHON, "-c", script, json.dumps(paths)],
        env={**env, "DJANGO_ALLOWED_HOSTS": "testserver", "DJANGO_API_ANON_RATE": "1000000/minute"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# The servers ------------------------------------------------------------------------------


def serve_ours(env: dict, folder: str) -> subprocess.Popen:
    """Our app as `make serve` runs it, on port 8100, throttling lifted."""
    served = {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CACHE_URL": os.environ.get("DJANGO_CACHE_URL", "redis://127.0.0.1:6379/5"),
        "DJANGO_STATIC_ROOT": str(Path(folder) / "static"),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_SECURE_COOKIES": "0",
        # Both throttles lifted: an empty rate is no limit. (A huge rate would make DRF read and
        # write the history of every request of the last minute on each one: 40,000 entries.)
        "DJANGO_API_ANON_RATE": "",
        "DJANGO_API_USER_RATE": "",
        "DJANGO_LOG_LEVEL": "WARNING",
        # As the issue measured: two workers on two cores.
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "2"),
        "HOST": "127.0.0.1",
        "PORT": "8100",
    }
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=served, cwd=ROOT, check=True
    )
    log = open(Path(folder) / "ours.log", "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [GUNICORN, "--config", "deploy/gunicorn.conf.py"],
        env=served,
        cwd=ROOT,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def serve_datasette(path: Path, folder: str) -> subprocess.Popen:
    log = open(Path(folder) / "datasette.log", "wb")  # noqa: SIM115
    return subprocess.Popen(
        [
            DATASETTE,
            "serve",
            str(path),
            "--port",
            "8101",
            "--host",
            "127.0.0.1",
            # Facet suggestions (several queries per column on every table request) off, as a
            # Datasette user serving a large table would have them.
            "--setting",
            "suggest_facets",
            "off",
        ],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {seconds} s")
        time.sleep(0.5)


# Measuring --------------------------------------------------------------------------------


# A wrk script that gives every request an address of its own (an unused parameter): no answer
# is then found kept, each is made afresh.
DISTINCT_ADDRESSES = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local counter = 0
local mark = ""
function init(args)
  mark = args[1] .. "-" .. id
end
function request()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "_n=" .. mark .. "-" .. counter)
end
"""


def wrk(url: str, args, script: Path | None = None, clients: int | None = None) -> dict:
    result = subprocess.run(
        [
            "wrk",
            "-t1" if clients == 1 else "-t2",
            f"-c{clients or args.connections}",
            f"-d{args.seconds}s",
            "--timeout",
            "10s",
            "--latency",
            *(["--script", str(script)] if script else []),
            url,
            # The script's mark of this run: no address of an earlier run comes again.
            *(["--", secrets.token_hex(6)] if script else []),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    if "Latency Distribution" not in out or "Requests/sec" not in out:
        raise SystemExit(f"wrk could not measure {url}:\n{out}{result.stderr}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1)),
        "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def worker_memory(master: int) -> dict[int, int]:
    """The resident memory (kB) of each of the gunicorn master's workers."""
    memory = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master) and "VmRSS" in fields:
            memory[int(status.parent.name)] = int(fields["VmRSS"].split()[0])
    return memory


def download(url: str, master: int) -> dict:
    """One whole download: seconds to the first byte and to the end, its size, and how much the
    workers' memory grew meanwhile (sampled every 50 ms)."""
    before = worker_memory(master)
    peak = dict(before)
    done = threading.Event()

    def sample():
        while not done.wait(0.05):
            for pid, kb in worker_memory(master).items():
                peak[pid] = max(peak.get(pid, 0), kb)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started_at = time.monotonic()
    size = 0
    try:
        with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310 (localhost)
            first = response.read(1)
            first_byte = time.monotonic() - started_at
            size = len(first)
            while block := response.read(1 << 16):
                size += len(block)
    finally:
        done.set()
        sampler.join()
    growth = max((peak[pid] - before.get(pid, peak[pid]) for pid in peak), default=0)
    return {
        "first_byte": first_byte,
        "seconds": time.monotonic() - started_at,
        "bytes": size,
        "growth_mb": growth / 1024,
    }


def starving(args, distinct: Path) -> list[tuple[str, dict, dict]]:
    """Our pages measured alone and again while two clients download exports in a loop: at one
    address (the answer kept), and each request at its own (made afresh)."""
    results = []
    for (what, path), script in itertools.product(STARVED, (None, distinct)):
        what = f"{what} ({'made afresh' if script else 'kept'})"
        quiet = wrk(OURS + path, args, script=script)
        stop = threading.Event()

        def loop(export, stop=stop):
            while not stop.is_set():
                try:
                    with urllib.request.urlopen(OURS + export, timeout=600) as response:  # noqa: S310
                        while not stop.is_set() and response.read(1 << 16):
                            pass
                except urllib.error.HTTPError:  # no download slot free (503): ask again
                    pass

        loops = [
            threading.Thread(target=loop, args=(export,))
            for export in ("/projects/export.csv", "/api/v1/projects/?format=csv")
        ]
        for thread in loops:
            thread.start()
        time.sleep(1)
        try:
            busy = wrk(OURS + path, args, script=script)
        finally:
            stop.set()
            for thread in loops:
                thread.join()
        results.append((what, quiet, busy))
    return results


def milliseconds(text: str) -> float:
    found = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if found is None:
        raise SystemExit(f"wrk printed a latency this script cannot read: {text!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def median(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def print_table(rows, args, load_before, load_after) -> None:
    print()
    print(
        f"{args.projects:,} projects · wrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"medians of {ROUNDS} interleaved runs · {datetime.date.today().isoformat()} · "
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()} · "
        f"load {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    print()
    print(
        "| request | ours req/s | p50 | p99 | made afresh: req/s | p50 | p99 | queries "
        "| Datasette req/s | p50 | p99 | ours / Datasette | afresh / Datasette |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for what, ours, afresh, theirs, queries in rows:
        errors = ours["errors"] + afresh["errors"]
        cells = [what + (f" ({errors:.0f} non-2xx)" if errors else "")]
        for side in (ours, afresh):
            cells += [f"{side['rps']:,.1f}", f"{side['p50']:,.0f} ms", f"{side['p99']:,.0f} ms"]
        cells.append(str(queries))
        if theirs is None:
            cells += ["", "", "", "", ""]
        else:
            cells += [
                f"{theirs['rps']:,.1f}",
                f"{theirs['p50']:,.0f} ms",
                f"{theirs['p99']:,.0f} ms",
                f"{ours['rps'] / theirs['rps']:.2f}",
                f"{afresh['rps'] / theirs['rps']:.2f}",
            ]
        print("| " + " | ".join(cells) + " |")


def print_deep(deep, args) -> None:
    if not deep:
        return
    print()
    print(f"Deep pages, made afresh, one client (wrk -t1 -c1 -d{args.seconds}s):")
    print()
    print("| request | req/s | p50 | p99 |")
    print("|---|---:|---:|---:|")
    for what, measured in deep:
        errors = f" ({measured['errors']} non-2xx)" if measured["errors"] else ""
        print(
            f"| {what}{errors} | {measured['rps']:,.1f} | {measured['p50']:,.0f} ms "
            f"| {measured['p99']:,.0f} ms |"
        )


def print_downloads(downloads, starved, args) -> None:
    if downloads:
        print()
        print(f"Whole downloads of the {args.projects:,} projects, one client:")
        print()
        print("| download | first byte | whole | size | projects/s | worker memory growth |")
        print("|---|---:|---:|---:|---:|---:|")
        for what, measured in downloads:
            print(
                f"| {what} | {measured['first_byte']:.2f} s | {measured['seconds']:.1f} s "
                f"| {measured['bytes'] / 1e6:,.1f} MB | {args.projects / measured['seconds']:,.0f} "
                f"| {measured['growth_mb']:,.0f} MB |"
            )
    if starved:
        print()
        print("Our pages alone and while two clients download exports in a loop:")
        print()
        print("| request | alone req/s | p50 | p99 | with 2 downloads req/s | p50 | p99 |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for what, quiet, busy in starved:
            cells = [what]
            for side in (quiet, busy):
                cells += [f"{side['rps']:,.1f}", f"{side['p50']:,.0f} ms", f"{side['p99']:,.0f} ms"]
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
