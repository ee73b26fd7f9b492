"""Results kept in the shared cache (Redis in production) under the data's version: every write
to a tracker record bumps the version, so a kept result is never older than the data it shows.

The version is bumped when a record is saved or deleted and again when the transaction commits
(a reader between the two may keep a result of the old data, under a version the commit
retires). Writes that bypass the ORM's signals (bulk loads, a restore) call ``bump_data_version``
themselves. Should the cache be unreachable, results are computed on every request; should a
bump be lost with it, ``KEPT_SECONDS`` bounds how long a result can outlive its data. Results
are kept only where every worker shares the cache (``TRACKER_KEEP_RESULTS``, on with Redis).
"""

import hashlib
import logging
import time
import zlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "data-version"
# How long a result is kept at most, even when no write retires it.
KEPT_SECONDS = 600


def data_version() -> int:
    """The data's version (a new, never reused number after the cache lost it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_data_version() -> None:
    """Retire every kept result: the data changed."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet: any new one retires nothing, and that is right
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:  # an unreachable cache keeps nothing to retire
        logger.warning("The cache could not be told that the data changed.", exc_info=True)


def data_changed(**kwargs) -> None:
    """A record was written: bump now and once more when the transaction commits."""
    bump_data_version()
    transaction.on_commit(bump_data_version)


def kept(name: str, compute):
    """``compute()``'s result, kept in the cache until the data changes."""
    if not settings.TRACKER_KEEP_RESULTS:
        return compute()
    try:
        key = f"{name}:{data_version()}"
        value = cache.get(key)
    except Exception:
        logger.warning("The cache is unreachable; %s is computed afresh.", name, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=KEPT_SECONDS)
        except Exception:
            logger.warning("The cache could not keep %s.", name, exc_info=True)
    return value


def kept_count(queryset) -> int:
    """``queryset.count()``, kept until the data changes: a list's total (a full count of the
    filtered rows, the costliest query of a page) is counted once per version of the data."""
    try:
        sql, params = queryset.query.sql_with_params()
    except Exception:  # a query that cannot match (``none()``…): nothing to keep
        return queryset.count()
    digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
    return kept(f"count:{digest}", queryset.count)


def keeps_answers(request) -> bool:
    """Whether ``request``'s answer may be kept and given to others: a read by an anonymous
    visitor with no session and no message waiting (staff see drafts and their own messages)."""
    return (
        settings.TRACKER_KEEP_RESULTS
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def kept_answer(request, respond):
    """``respond()``'s answer to ``request``, kept until the data changes and given as it was
    to every anonymous reader of the same address (scheme, host, path and query) in the same
    language.

    Only a complete 200 answer that sets no cookie and is not marked private is kept: never an
    error, a stream (exports) or an answer to staff. A kept answer is the view's: the
    middleware's headers (security, language, the conditional GET's 304) are added afresh."""
    if not keeps_answers(request):
        return respond()
    try:
        # The whole address, scheme and host included: an answer may name itself (page_url).
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"answer:{get_language()}:{address}:{data_version()}"
        found = cache.get(key)
    except Exception:
        logger.warning("The cache is unreachable; the answer is made afresh.", exc_info=True)
        return respond()
    if found is not None:
        headers, body = found
        response = HttpResponse(zlib.decompress(body))
        for name, value in headers:
            response[name] = value
        return response
    response = respond()
    if callable(getattr(response, "render", None)) and not response.is_rendered:
        response.render()
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    ):
        # Compressed: a page of JSON or HTML shrinks to about a tenth in the cache.
        kept_value = (list(response.items()), zlib.compress(response.content, 1))
        try:
            cache.set(key, kept_value, timeout=KEPT_SECONDS)
        except Exception:
            logger.warning("The cache could not keep the answer.", exc_info=True)
    return response


class KeptAnswerMixin:
    """A view whose GET answers to anonymous readers are kept until the data changes
    (``kept_answer``)."""

    def dispatch(self, request, *args, **kwargs):
        return kept_answer(
            request, lambda: super(KeptAnswerMixin, self).dispatch(request, *args, **kwargs)
        )
