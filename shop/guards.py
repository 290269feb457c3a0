"""Input refused at the door: every malformed request gets a 4xx with a sentence, never a 500.

- :class:`DbIdConverter` (``<id:name>`` in URL patterns): ids that fit a 64-bit primary key;
  a longer or bigger number does not match the pattern (404) instead of overflowing the database.
- :func:`db_ids` / :func:`db_id_or_none`: the same bound for ids read from query strings and forms.
- :class:`BadInputMiddleware`: a NUL character in the path or the query string is a 400 (PostgreSQL
  refuses NUL in text, and no legitimate link carries one).
- :class:`SafeJSONParser`: DRF's JSON parser with a body-size limit (413) and a nesting limit (400),
  so neither a huge body nor ``[[[[…]]]]`` 50,000 levels deep reaches ``json.loads``' recursion.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_DB_ID = 2**63 - 1


def db_id_or_none(raw: object) -> int | None:
    """``raw`` as a positive id that fits a 64-bit key, else None (never an exception)."""
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_DB_ID else None


def db_ids(raw: Iterable[object]) -> list[int]:
    """The valid ids of ``raw``, in order; the others are dropped."""
    return [value for item in raw if (value := db_id_or_none(item)) is not None]


class DbIdConverter:
    """``<id:photo_id>``: 1 to 19 digits whose value fits a signed 64-bit primary key."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_DB_ID:
            raise ValueError("out of range")  # the pattern does not match: a 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


NUL_MESSAGE = "The request contains a NUL character (%00), which is never valid here."


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class BadInputMiddleware:
    """Refuse NUL characters in the path and the query string with a 400 before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or self._query_has_nul(request):
            return _bad_request(request, NUL_MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _query_has_nul(request: HttpRequest) -> bool:
        raw = request.META.get("QUERY_STRING", "")
        if "%00" not in raw and "\x00" not in raw:
            return False
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists())


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def _too_deep(value: object, limit: int) -> bool:
    """Whether ``value`` nests lists/objects deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class SafeJSONParser(JSONParser):
    """JSON with limits: ``API_MAX_JSON_BYTES`` (413 above it) and ``API_MAX_JSON_DEPTH`` (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = int(getattr(settings, "API_MAX_JSON_BYTES", 1024 * 1024))
        depth = int(getattr(settings, "API_MAX_JSON_DEPTH", 32))
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge(f"The JSON body is larger than {limit} bytes.")
        try:
            text = codecs.decode(raw, encoding)
            data = json.loads(text, parse_constant=self._refuse_constant)
        except RecursionError as error:
            raise ParseError(f"The JSON is nested too deeply (the limit is {depth} levels).") from error
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(f"The JSON is not valid: {error}") from error
        if _too_deep(data, depth):
            raise ParseError(f"The JSON is nested too deeply (the limit is {depth} levels).")
        return data

    @staticmethod
    def _refuse_constant(name: str):
        raise ValueError(f"{name} is not a JSON value")
