"""Work a new server process would otherwise do on its first requests, done when the WSGI
application is loaded: once in gunicorn's master before the workers fork (``preload_app``), so
every worker, and every worker that replaces one, starts warm.

The URL patterns and each language's reverse map, the translation catalogs and the compiled
templates. It opens no database or cache connection: those belong to each worker.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def warm_up() -> None:
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Projects")  # loads the language's catalog
            resolver.reverse_dict  # noqa: B018 (builds the language's reverse map)
    for engine in settings.TEMPLATES:
        for folder in engine.get("DIRS", ()):
            for path in sorted(Path(folder).rglob("*.html")):
                get_template(path.relative_to(folder).as_posix())
