"""Token authentication that cannot be used to guess tokens: after ``TRACKER_TOKEN_FAILURE_LIMIT``
wrong tokens from one address within ``TRACKER_LOCKOUT_MINUTES``, that address gets 429 (with
``Retry-After``) for every token, right or wrong, until the window has passed. Requests without
a token (anonymous reads) are not looked at. The count lives in the shared cache, so every
worker and server sees the same one."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header


class TokenLockedOut(exceptions.Throttled):
    default_detail = _("Too many wrong tokens from this address.")


def failure_key(request) -> str:
    return f"api-token-failures:{request.META.get('REMOTE_ADDR', '')}"


def window_seconds() -> int:
    return settings.TRACKER_LOCKOUT_MINUTES * 60


class ThrottledTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None  # no token offered: nothing to count (DRF's own first step)
        key = failure_key(request)
        if (cache.get(key) or 0) >= settings.TRACKER_TOKEN_FAILURE_LIMIT:
            raise TokenLockedOut(wait=seconds_left(key))
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            failures = count_failure(key)
            if failures >= settings.TRACKER_TOKEN_FAILURE_LIMIT:
                raise TokenLockedOut(wait=seconds_left(key)) from None
            raise


def count_failure(key: str) -> int:
    """One more failure in the window that started with the first one (later failures do not
    extend it)."""
    window = window_seconds()
    if cache.add(key, 0, window):
        cache.set(f"{key}:start", time.time(), window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, window)
        cache.set(f"{key}:start", time.time(), window)
        return 1


def seconds_left(key: str) -> int:
    started = cache.get(f"{key}:start") or time.time()
    return max(1, math.ceil(started + window_seconds() - time.time()))
