"""The API's JSON parser: it refuses a body larger than Django's upload limit before reading it,
and one nested deeper than ``MAX_JSON_DEPTH`` before parsing it."""

import io
import itertools
import re
from array import array

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status

# No record of the API nests more than a few levels; Python's json module recurses once per
# level and fails (RecursionError, a 500) at about a thousand.
MAX_JSON_DEPTH = 100

# A JSON string, escapes included; one left open runs to the end (json.loads refuses it).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
# Each bracket as a step of depth, +1 or -1 (a signed byte); every other byte deleted.
_DEPTH_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def json_too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON ``text`` nests arrays and objects more than ``limit`` levels deep, found
    without recursion: the running count of the brackets outside strings. Where the text stops
    being JSON (a bracket closing nothing), json.loads stops too, before any deeper level."""
    rest = _JSON_STRING.sub("", text)
    if rest.count("[") + rest.count("{") <= limit:
        return False
    steps = array("b", rest.encode("utf-8", "ignore").translate(_DEPTH_STEPS, _NOT_BRACKETS))
    return max(itertools.accumulate(steps)) > limit


class LimitedJSONParser(parsers.JSONParser):
    """DRF reads the request stream itself, past ``DATA_UPLOAD_MAX_MEMORY_SIZE``: check first.
    Then refuse, with a 400, a body nested more than ``MAX_JSON_DEPTH`` levels deep."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise RequestTooLarge()
        body = stream.read()
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        if json_too_deep(text):
            raise self._too_deep()
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:  # not expected past the check above; never a 500
            raise self._too_deep() from None

    def _too_deep(self) -> exceptions.ParseError:
        return exceptions.ParseError(
            gettext("The JSON body is nested more than %(depth)s levels deep.")
            % {"depth": MAX_JSON_DEPTH}
        )
