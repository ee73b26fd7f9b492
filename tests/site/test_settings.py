"""Production settings refuse to start without a secret key or with DEBUG on."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def import_production(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-c", "import config.settings.production"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = import_production()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug():
    result = import_production(DJANGO_SECRET_KEY="x" * 50, DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be off" in result.stderr


def test_production_starts_with_a_secret_key():
    assert import_production(DJANGO_SECRET_KEY="x" * 50).returncode == 0


def test_production_reports_errors_to_sentry_when_asked():
    result = import_production(
        DJANGO_SECRET_KEY="x" * 50, SENTRY_DSN="https://public@sentry.example.invalid/1"
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("", "django.db.backends.sqlite3"),
        ("postgres://u@h:5432/d", "django.db.backends.postgresql"),
    ],
)
def test_database_follows_database_url(monkeypatch, url, engine):
    from config.settings import base

    monkeypatch.setenv("DATABASE_URL", url)
    config = base.database_config()
    assert config["ENGINE"] == engine
    if engine.endswith("postgresql"):
        assert config["OPTIONS"]["pool"]["max_size"] >= 1
        assert config["CONN_MAX_AGE"] == 0
