"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# What the first requests would load, loaded now: in gunicorn's master, before the workers fork.
from core.warmup import warm_up  # noqa: E402 (after Django is set up)

warm_up()
