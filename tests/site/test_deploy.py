"""The deployment files in deploy/ are valid as shipped: nginx accepts the sample site, and
gunicorn reads its configuration file."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def test_nginx_accepts_the_sample_site(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: apt-get install -y nginx")
    # The site as an operator installs it, with a certificate where it expects one.
    certs = tmp_path / "live" / "tracker.example.org"
    certs.mkdir(parents=True)
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=tracker.example.org",
            "-keyout", str(certs / "privkey.pem"), "-out", str(certs / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "tracker.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/", f"{tmp_path}/live/")
    (tmp_path / "tracker.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"""
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/error.log;
        events {{}}
        http {{
            include /etc/nginx/mime.types;
            access_log off;
            include {tmp_path}/tracker.conf;
        }}
        """
    )
    result = subprocess.run(  # noqa: S603
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_gunicorn_reads_its_configuration():
    result = subprocess.run(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(DEPLOY / "gunicorn.conf.py"),
            "--print-config",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "GUNICORN_WORKERS": "3",
            "PORT": "8123",
            "DJANGO_SECRET_KEY": "x" * 50,
        },
    )
    assert result.returncode == 0, result.stderr
    config = dict(
        (part.strip() for part in line.split("=", 1))
        for line in result.stdout.splitlines()
        if "=" in line
    )
    assert config["workers"] == "3"
    assert config["bind"] == "['127.0.0.1:8123']"
    # Proxy headers are the app's to judge (DJANGO_TRUSTED_PROXIES), never gunicorn's.
    assert config["forwarded_allow_ips"] == "[]"
    assert config["max_requests"] == "50000"
    # Threads: a long download holds one of them, not the whole worker.
    assert config["threads"] == "4"


def test_the_wsgi_application_loads_warm_without_touching_the_database_or_the_cache():
    """gunicorn loads config.wsgi in its master before forking (preload_app): the warm-up
    (URL maps, catalogs, templates) must open no connection, which every worker would share.
    Here both the database and the cache are closed ports, and loading still succeeds."""
    script = (
        "import config.wsgi; "
        "from django.template import engines; "
        "loader = engines['django'].engine.template_loaders[0]; "
        "print(len(loader.get_template_cache))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/gone",
            "DJANGO_CACHE_URL": "redis://127.0.0.1:1/0",
        },
    )
    assert result.returncode == 0, result.stderr
    compiled = int(result.stdout.strip().splitlines()[-1])
    templates = list((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
    assert compiled >= len(templates)
