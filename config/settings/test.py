"""Settings for the test suite (SQLite, or PostgreSQL when DATABASE_URL is set)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, REST_FRAMEWORK

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105 (tests only)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A pool would keep connections open across the test database's creation and teardown.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)

# Throttling is tested on its own (tests/site/test_api.py, test_security.py); the rest of the
# suite must never meet it.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}

# Uploaded photos go to a throwaway folder, never into the working tree.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tracker-test-media-"))

# Browser tests show report photos served by the app itself.
TRACKER_SERVE_MEDIA = True

# One process per test database: its memory cache is shared by everything a test runs.
TRACKER_KEEP_RESULTS = True

# No site-wide limit of downloads at once: the test client, unlike a server, does not close an
# answer that a test leaves unread, so its slot would stay taken until garbage collection. The
# tests of the limit turn it on (tests/site/test_exports.py); the served tests run with it.
TRACKER_EXPORT_SLOTS = 0
