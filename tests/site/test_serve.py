"""`make serve` as an operator runs it: gunicorn with two workers on the production settings,
a database of its own (a scratch SQLite file, or a scratch PostgreSQL database when
DATABASE_URL is set), the shared Redis cache, static files built by collectstatic and served by
WhiteNoise, photos under /media/. Then the same app with a database that cannot be reached.

Nothing here is mocked: requests go over TCP to the real server, which logs to a file the tests
read.
"""

import gzip
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from PIL import Image

BASE_DIR = Path(settings.BASE_DIR)
STARTUP_SECONDS = 180
ANON_RATE = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, headers: dict | None = None, method: str = "GET"):
    """(status, headers, body) of one request over a new connection."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def scratch_database(tmp: Path) -> tuple[dict, callable]:
    """Environment for a database of the server's own, and how to drop it."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {"DJANGO_SQLITE_PATH": str(tmp / "serve.sqlite3")}, lambda: None
    name = f"tracker_serve_{uuid.uuid4().hex[:10]}"
    config = dj_database_url.parse(url)
    admin_env = {
        **os.environ,
        "PGHOST": config["HOST"] or "127.0.0.1",
        "PGPORT": str(config["PORT"] or 5432),
        "PGUSER": config["USER"] or "postgres",
        "PGPASSWORD": config["PASSWORD"] or "",
    }
    subprocess.run(["createdb", name], env=admin_env, check=True)  # noqa: S603, S607
    scratch = url.rsplit("/", 1)[0] + "/" + name

    def drop():
        dropdb = ["dropdb", "--if-exists", "--force", name]
        subprocess.run(dropdb, env=admin_env, check=False)  # noqa: S603, S607

    return {"DATABASE_URL": scratch}, drop


class Server:
    def __init__(self, url: str, log: Path, process: subprocess.Popen):
        self.url, self.log, self.process = url, log, process

    def get(self, path: str, **headers):
        return fetch(self.url + path, headers)

    def log_lines(self) -> list[dict]:
        lines = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines


def start(env: dict, log: Path, port: int, target: list[str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        target,
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the server stopped:\n{server.log.read_text()[-4000:]}")
        try:
            status, _headers, _body = server.get("/healthz")
            if status in (200, 503):
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the server did not answer in {STARTUP_SECONDS} s:\n{server.log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def server_env(tmp: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SECRET_KEY": uuid.uuid4().hex * 2,
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/0",
            "DJANGO_CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "DJANGO_API_ANON_RATE": f"{ANON_RATE}/minute",
            "GUNICORN_WORKERS": "2",
            # One download at a time, site-wide; a download waits 4 s for it.
            "DJANGO_EXPORT_SLOTS": "1",
            "DJANGO_EXPORT_WAIT": "4",
            **extra,
        }
    )
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`make serve` on a free port, with the demo data in a scratch database."""
    tmp = tmp_path_factory.mktemp("serve")
    photo = tmp / "media" / "reports" / "p" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    Image.new("RGB", (80, 60), "teal").save(photo, "JPEG")
    database, drop = scratch_database(tmp)
    port = free_port()
    env = server_env(tmp, **database)
    process = start(env, tmp / "serve.log", port, ["make", "serve", f"PORT={port}"])
    running = Server(f"http://127.0.0.1:{port}", tmp / "serve.log", process)
    running.env = env
    try:
        wait_until_up(running)
        yield running
    finally:
        stop(process)
        drop()


@pytest.fixture(scope="module")
def unreachable(server, tmp_path_factory):
    """The same app (and static files) with a database nothing answers for (a closed port)."""
    tmp = tmp_path_factory.mktemp("down")
    port = free_port()
    env = server_env(
        tmp,
        DJANGO_STATIC_ROOT=str(server.log.parent / "static"),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/gone",
        DJANGO_DB_POOL_TIMEOUT="0.5",
        PORT=str(port),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="config.settings.production",
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = start(env, tmp / "down.log", port, [gunicorn, "--config", "deploy/gunicorn.conf.py"])
    running = Server(f"http://127.0.0.1:{port}", tmp / "down.log", process)
    try:
        wait_until_up(running)
        yield running
    finally:
        stop(process)


def static_url(page: bytes, name: str) -> str:
    """The hashed address a page gives for a static file (``css/site.<hash>.css``)."""
    stem, suffix = name.rsplit(".", 1)
    found = re.search(rf"/static/{re.escape(stem)}\.[0-9a-f]{{12}}\.{suffix}", page.decode())
    assert found, f"no hashed {name} on the page"
    return found.group()


def test_pages_static_files_and_photos_are_served(server):
    status, headers, page = server.get("/")
    assert status == 200
    css = static_url(page, "css/site.css")
    assert css != "/static/css/site.css", "the page links the hashed name"
    status, headers, body = server.get(css, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    assert headers["Content-Encoding"] == "gzip"
    assert b"body" in gzip.decompress(body)
    # The admin's own styles and the map library.
    status, _headers, login = server.get("/admin/login/")
    assert status == 200
    admin_css = static_url(login, "admin/css/base.css")
    assert server.get(admin_css)[0] == 200
    status, _headers, map_page = server.get("/map/")
    assert server.get(static_url(map_page, "leaflet/leaflet.js"))[0] == 200
    status, headers, body = server.get("/media/reports/p/photo.jpg")
    assert status == 200
    assert body[:3] == b"\xff\xd8\xff"


def test_health_request_ids_and_json_logs(server):
    status, headers, body = server.get("/healthz")
    assert status == 200
    assert json.loads(body) == {"database": "ok", "cache": "ok"}
    status, headers, _body = server.get(
        "/api/v1/projects/?search=tra&token=s3cret", Authorization="Token not-a-real-token"
    )
    request_id = headers["X-Request-ID"]
    assert len(request_id) == 32
    lines = [line for line in server.log_lines() if line.get("request_id") == request_id]
    request_line = next(line for line in lines if line["logger"] == "tracker.request")
    assert request_line["method"] == "GET"
    assert request_line["path"].startswith("/api/v1/projects/?search=tra")
    assert request_line["status"] == status
    assert isinstance(request_line["duration_ms"], float)
    assert "user_id" in request_line
    logged = server.log.read_text()
    assert "s3cret" not in logged
    assert "not-a-real-token" not in logged


def test_the_api_throttle_is_shared_by_the_workers_and_ignores_forwarded_for(server):
    statuses = []
    for number in range(ANON_RATE + 10):
        # A new connection each time, so both workers answer; a new claimed address each time.
        status, headers, _body = server.get(
            "/api/v1/gates/", **{"X-Forwarded-For": f"10.1.{number}.{number}"}
        )
        statuses.append(status)
    assert statuses.count(200) == ANON_RATE
    assert statuses[ANON_RATE:] == [429] * 10
    assert int(headers["Retry-After"]) > 0


def cancelled_on_dashboard(server) -> int:
    status, _headers, body = server.get("/en/")
    assert status == 200
    found = re.search(
        r'\?status=cancelled">[^<]*</a></th>\s*<td class="num"[^>]*>([0-9.,]+)</td>', body.decode()
    )
    return int(found.group(1).replace(",", "").replace(".", ""))


def cancelled_in_list(server) -> int:
    status, _headers, body = server.get("/en/projects/?status=cancelled")
    assert status == 200
    found = re.search(r'class="result-count"[^>]*>\s*([0-9.,]+) result', body.decode())
    return int(found.group(1).replace(",", "").replace(".", ""))


def test_a_write_through_either_worker_shows_on_the_dashboard_at_once(server):
    """The dashboard and the lists are kept in Redis until the next write: whichever of the two
    workers answers, they are the same, and a project created through the API shows on them at
    once."""
    make_token = (
        "from django.contrib.auth.models import User; from rest_framework.authtoken.models "
        "import Token; u = User.objects.create_superuser('bench-writer', 'w@example.org', 'pw'); "
        "print(Token.objects.create(user=u).key)"
    )
    shell = [str(BASE_DIR / ".venv" / "bin" / "python"), "manage.py", "shell", "-c", make_token]
    made = subprocess.run(shell, cwd=BASE_DIR, env=server.env, capture_output=True, text=True)  # noqa: S603
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    before = cancelled_on_dashboard(server)
    assert {cancelled_on_dashboard(server) for _ in range(6)} == {before}
    listed = cancelled_in_list(server)
    assert {cancelled_in_list(server) for _ in range(6)} == {listed}
    project = {
        "code": "served-write",
        "slug": "served-write",
        "name": "Dự án hủy",
        "category": "road",
        "status": "cancelled",
        "is_published": True,
    }
    request = urllib.request.Request(  # noqa: S310
        server.url + "/api/v1/projects/",
        data=json.dumps(project).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201
    assert {cancelled_on_dashboard(server) for _ in range(6)} == {before + 1}
    assert {cancelled_in_list(server) for _ in range(6)} == {listed + 1}


def test_downloads_waiting_for_a_slot_leave_the_pages_answered(server):
    """Three downloads wait for the one download slot (taken): each holds a thread, not a
    worker, so the pages are still answered at once; then each download is refused with 503
    and Retry-After, having sent nothing."""
    import threading

    import redis

    slot = f"{server.env['DJANGO_CACHE_KEY_PREFIX']}:1:download-slot:0"
    store = redis.Redis.from_url(server.env["DJANGO_CACHE_URL"])
    store.set(slot, b"another download", ex=60)
    downloads = []
    try:
        waiting = [
            threading.Thread(target=lambda: downloads.append(server.get("/projects/export.csv")))
            for _ in range(3)
        ]
        for thread in waiting:
            thread.start()
        time.sleep(0.5)
        began = time.monotonic()
        for path in ["/gates/", "/healthz", "/en/projects/", "/gates/"]:
            assert server.get(path)[0] == 200
        assert time.monotonic() - began < 3  # the downloads are still waiting
        for thread in waiting:
            thread.join()
    finally:
        store.delete(slot)
    assert [status for status, _headers, _body in downloads] == [503] * 3
    assert all(int(headers["Retry-After"]) > 0 for _status, headers, _body in downloads)
    status, headers, body = server.get("/projects/export.csv")
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")


def test_an_unreachable_database_answers_503_never_500(unreachable):
    status, headers, body = unreachable.get("/healthz")
    assert status == 503
    state = json.loads(body)
    assert state["cache"] == "ok"
    assert state["database"].startswith("down")
    for path in ("/", "/projects/", "/en/gates/", "/investors/export.csv"):
        status, headers, body = unreachable.get(path)
        assert status == 503, path
        assert "Tạm thời gián đoạn" in body.decode()
        assert headers["Retry-After"]
    status, headers, body = unreachable.get("/api/v1/projects/")
    assert status == 503
    # In the API's language (Vietnamese, as every API message).
    assert "Cơ sở dữ liệu" in json.loads(body)["detail"]
    # A write: the token cannot even be looked up.
    request = urllib.request.Request(  # noqa: S310
        unreachable.url + "/api/v1/projects/",
        data=b'{"name": "x"}',
        method="POST",
        headers={"Authorization": "Token " + "a" * 40, "Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=30)  # noqa: S310
    assert error.value.code == 503
    assert not [line for line in unreachable.log_lines() if line.get("status") == 500]
