"""Settings for a developer's machine and the demo served by ``make run``."""

import os

from .base import *  # noqa: F403
from .base import LOGGING, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "local-development-only-not-secret"
TRACKER_SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)
# Logs for people at a terminal (production's are JSON, one object per line).
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("DJANGO_LOG_FORMAT", "text")
