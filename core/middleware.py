"""Request handling every page and API call shares: who the client is (behind trusted proxies
only), a request id and one log line per request, and the security headers Django lacks."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from .logs import request_id_var

logger = logging.getLogger("tracker.request")

# A request id a trusted proxy may hand on (nginx's $request_id is 32 hex digits).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Query parameters whose values never reach a log line.
SECRET_PARAMETER = re.compile(r"pass|token|key|secret|csrf|session|auth|signature", re.I)


def client_address(request: HttpRequest) -> str:
    """The client's address as the last trusted proxy saw it.

    With ``TRACKER_TRUSTED_PROXIES`` = N proxies in front, each appends the address it saw to
    ``X-Forwarded-For``, so the client is the N-th entry from the right; whatever the client put
    before that is its own claim and is ignored. With none (the default), the header is ignored
    and the address is the socket's.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRACKER_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    return forwarded[-proxies]


class ClientAddressMiddleware:
    """Puts the client's address (see ``client_address``) in ``REMOTE_ADDR`` and drops the proxy
    headers no proxy vouches for, so throttles, the login lockout and the logs all see the same
    address and none of them a client's claim."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_address(request)
        if settings.TRACKER_TRUSTED_PROXIES <= 0:
            for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_REQUEST_ID"):
                request.META.pop(header, None)
        return self.get_response(request)


def loggable_path(request: HttpRequest) -> str:
    """The path and query, with the values of secret-looking parameters replaced."""
    query = request.GET
    if not query:
        return request.path
    parts = []
    for name, values in query.lists():
        for value in values:
            shown = "[hidden]" if SECRET_PARAMETER.search(name) else value
            parts.append(f"{name}={shown}")
    return f"{request.path}?{'&'.join(parts)}"[:2000]


def known_user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id if the request already looked it up (never a query of its own:
    this runs while the database may be down)."""
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """A request id for every request (from a trusted proxy's ``X-Request-ID``, else a new one),
    sent back as ``X-Request-ID`` and carried by every log line of the request; and one log line
    per request with method, path, status, duration and user id — never a body, a cookie, a
    password or a token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if request.method == "HEAD":
                # The headers of a GET, without its body (gunicorn would drop it, with a warning).
                if response.streaming:
                    response.streaming_content = []
                else:
                    response.content = b""
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": loggable_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": known_user_id(request),
                    "client": request.META.get("REMOTE_ADDR", ""),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class ContentSecurityPolicyMiddleware:
    """``Content-Security-Policy`` on every answer (Django 5.2 has none of its own): scripts only
    from this site and never inline, no plugins, no framing, forms only to this site. Styles
    allow inline ``style`` attributes (the admin's templates use them). The map's background
    tiles come from ``TRACKER_MAP_TILES_URL``'s host."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


def content_security_policy() -> str:
    images = ["'self'", "data:", "blob:"]
    tiles = settings.TRACKER_MAP_TILES_URL
    if tiles:
        match = re.match(r"^(https?://[^/]+)", tiles.replace("{s}.", ""))
        if match:
            images.append(match.group(1))
            if "{s}." in tiles:  # Leaflet's subdomains a, b, c
                images.append(match.group(1).replace("://", "://*."))
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ApiLanguageMiddleware:
    """The API's messages and labels in the language the client asks for: ``?lang=vi|en``,
    else its ``Accept-Language``, else Vietnamese. The API's addresses carry no language
    prefix, which for Django's LocaleMiddleware means the default language whatever the client
    asked. After LocaleMiddleware, which then names the language (Content-Language) and varies
    on Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/api/"

    def __call__(self, request):
        if request.path_info.startswith(self.prefix):
            language = api_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def api_language(request) -> str:
    """``?lang=`` if it names one of the site's languages, else the best of Accept-Language."""
    codes = {code for code, _name in settings.LANGUAGES}
    asked = request.GET.get("lang", "")
    if asked in codes:
        return asked
    return translation.get_language_from_request(request, check_path=False)
