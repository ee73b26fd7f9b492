"""Restart PostgreSQL under a write loop and count what was acknowledged and what was stored.

Run it against `make serve` on PostgreSQL, on the machine that runs the database (it restarts
the local cluster, as this machine's service), with the same DATABASE_URL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker make serve &
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker \\
        .venv/bin/python scripts/faults.py --url http://127.0.0.1:8000

Two writers loop on `POST /api/v1/projects/` (a new draft project each time, with a manager's
token the script makes) and a reader on `GET /api/v1/projects/`; after a few seconds the script
restarts PostgreSQL. At the end it prints the requests, the writes acknowledged (201), the
writes stored (looked up in the database), the answers by status, and how many seconds passed
from the restart until the first success. The tracker passes when acknowledged == stored (no
acknowledged write lost) and there is no 500: while the database is away, requests answer 503.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return version, "main"


def restart_postgresql() -> None:
    version, name = cluster()
    subprocess.run(  # noqa: S603
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],  # noqa: S607
        check=True,
    )


def token() -> str:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    user, _created = get_user_model().objects.get_or_create(
        username="faults-script", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name="manager"))
    return Token.objects.get_or_create(user=user)[0].key


def stored(prefix: str) -> int:
    from projects.models import Project

    return Project.objects.filter(code__startswith=prefix).count()


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.acknowledged = 0
        self.requests = 0
        self.last_failure_at = None
        self.first_success_after_restart = None
        self.restarted_at = None

    def record(self, status: int, write: bool) -> None:
        now = time.monotonic()
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            ok = 200 <= status < 300
            if ok and write:
                self.acknowledged += 1
            if (
                ok
                and self.restarted_at is not None
                and self.first_success_after_restart is None
                and self.last_failure_at is not None
                and self.last_failure_at >= self.restarted_at
            ):
                self.first_success_after_restart = now - self.restarted_at
            if not ok:
                self.last_failure_at = now


def call(url: str, *, data: dict | None = None, key: str | None = None) -> int:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Token {key}"
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(  # noqa: S310
        url, data=body, headers=headers, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code
    except OSError:
        return 0  # no answer at all (connection refused or reset)


def writer(base: str, key: str, prefix: str, tally: Tally, stop: threading.Event, n: int):
    number = 0
    while not stop.is_set():
        number += 1
        code = f"{prefix}{n}-{number}"
        status = call(
            f"{base}/api/v1/projects/",
            data={"code": code, "slug": code, "name": f"Faults {code}", "category": "road"},
            key=key,
        )
        tally.record(status, write=True)


def reader(base: str, tally: Tally, stop: threading.Event):
    while not stop.is_set():
        tally.record(call(f"{base}/api/v1/projects/?page_size=10"), write=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--before", type=float, default=5, help="seconds before the restart")
    parser.add_argument("--after", type=float, default=15, help="seconds after the restart")
    parser.add_argument("--writers", type=int, default=2)
    args = parser.parse_args()

    key = token()
    prefix = f"faults-{uuid.uuid4().hex[:8]}-"
    tally = Tally()
    stop = threading.Event()
    threads = [
        threading.Thread(target=writer, args=(args.url, key, prefix, tally, stop, n))
        for n in range(args.writers)
    ]
    threads.append(threading.Thread(target=reader, args=(args.url, tally, stop)))
    for thread in threads:
        thread.start()
    time.sleep(args.before)
    tally.restarted_at = time.monotonic()
    restart_postgresql()
    restart_took = time.monotonic() - tally.restarted_at
    time.sleep(args.after)
    stop.set()
    for thread in threads:
        thread.join()

    from django.db import connection

    connection.close()
    saved = stored(prefix)
    five_hundreds = sum(count for status, count in tally.statuses.items() if status >= 500)
    recovered = tally.first_success_after_restart
    print(f"requests            {tally.requests}")
    print(f"acknowledged writes {tally.acknowledged}")
    print(f"stored writes       {saved}")
    print(f"answers by status   {dict(sorted(tally.statuses.items()))}")
    print(f"5xx                 {five_hundreds} (500: {tally.statuses.get(500, 0)})")
    print(f"restart took        {restart_took:.1f} s")
    print(
        "first success after the restart began: "
        + (f"{recovered:.1f} s" if recovered is not None else "no failure seen")
    )
    passed = tally.acknowledged == saved and tally.statuses.get(500, 0) == 0
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
