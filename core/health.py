"""Health: ``/healthz`` for load balancers and monitors, and a short 503 page instead of a 500
while the database cannot be reached."""

import logging
import sys
import uuid

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

logger = logging.getLogger("tracker.health")

# Seconds a client should wait before trying again while the database is away.
RETRY_AFTER = 5


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"down: {type(error).__name__}"
    return "ok"


def cache_state() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as error:  # any cache backend's connection error
        return f"down: {type(error).__name__}"
    return "ok" if ok else "down: the value did not come back"


@never_cache
def healthz(request):
    """200 ``{"database": "ok", "cache": "ok"}``, or 503 naming what is down."""
    state = {"database": database_state(), "cache": cache_state()}
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse(state, status=200 if healthy else 503)


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` means the database cannot be reached (not a bug in a query)."""
    return isinstance(error, (OperationalError, InterfaceError))


def unavailable_response(request) -> HttpResponse:
    """A short 503 that needs nothing from the database, in the API's form or the site's."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The database is unavailable for a moment. Try again shortly.")},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs):
    """Django's 500 handler, called inside the ``except`` of whatever failed: a database that
    cannot be reached (a restart, a network cut, an exhausted pool) is a 503, not a 500."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        logger.warning("database unavailable: %s", type(error).__name__)
        return unavailable_response(request)
    return HttpResponse(render_to_string("500.html"), status=500)
