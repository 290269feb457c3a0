"""Per-shopper page cache: a signed-in shopper's catalogue pages, product pages and cards API.

A personalised page depends on the shopper (photos, renders, cart, sizes) and on the catalogue.
Its cache key holds the user id, the shopper's **version**, the **catalogue version** and the
shopper's CSRF secret (the page's forms carry a token made from it), plus the host and the full
path. A version is a random token in the cache; an app that owns a change replaces it
(:func:`shopper_changed`, :func:`catalogue_changed`) from its signal receivers, at once and again
after the commit, so every entry made before is never read again (it expires: ``PAGE_CACHE_TTL_S``).

A page is stored only when it is final: the apps register a check
(:func:`register_unsettled_check`) that says whether the shopper has work in progress (try-on:
a photo being analysed, cards being rendered); such pages change by themselves and are never
stored. Guests, pages with pending messages and non-200 answers are never cached either.

The cache must be shared by the web processes: Redis with ``CACHE_URL=redis://…``, otherwise the
file cache under ``var/cache`` (one host); see the README.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

CATALOGUE_VERSION_KEY = "pagecache:v:catalogue"
HIT_HEADER = "X-Page-Cache"

_unsettled_checks: list[Callable[[object], bool]] = []


def register_unsettled_check(check: Callable[[object], bool]) -> None:
    """``check(user)`` is True while the user's pages show work in progress (never stored then)."""
    if check not in _unsettled_checks:
        _unsettled_checks.append(check)


def _shopper_version_key(user_id: int) -> str:
    return f"pagecache:v:shopper:{user_id}"


def _bump(key: str) -> None:
    cache.set(key, uuid.uuid4().hex[:16], timeout=None)


def shopper_changed(user_id: int | None) -> None:
    """What ``user_id`` sees changed (photos, renders, cart, sizes): their entries are dropped."""
    if user_id is not None:
        _bump_now_and_on_commit(_shopper_version_key(user_id))


def catalogue_changed() -> None:
    """The catalogue changed (products, images, variants, stock): every shopper's entries go."""
    _bump_now_and_on_commit(CATALOGUE_VERSION_KEY)


def _bump_now_and_on_commit(key: str) -> None:
    # Now, so that this process (and its transaction) never reads an old entry; and again after
    # the commit, since a page another process made meanwhile could hold the data before it.
    _bump(key)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _bump(key))


def ttl_seconds() -> int:
    """How long an entry lives at most; below the lifetime of the signed media URLs it carries."""
    ttl = int(getattr(settings, "PAGE_CACHE_TTL_S", 300))
    options = settings.STORAGES.get("default", {}).get("OPTIONS", {})
    if options.get("querystring_auth"):  # S3: the pages carry URLs signed for this long
        ttl = min(ttl, int(options.get("querystring_expire", 3600)) // 2)
    return max(0, ttl)


def _versions(user_id: int) -> tuple[str, str]:
    keys = [_shopper_version_key(user_id), CATALOGUE_VERSION_KEY]
    found = cache.get_many(keys)
    missing = {k: uuid.uuid4().hex[:16] for k in keys if k not in found}
    if missing:
        for key, value in missing.items():
            cache.add(key, value, timeout=None)
        found.update(cache.get_many(list(missing)))
    return found.get(keys[0], "-"), found.get(keys[1], "-")


def _csrf_secret(request: HttpRequest) -> str | None:
    """The CSRF secret the page's tokens are made from, when the client already holds it."""
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not cookie or request.META.get("CSRF_COOKIE") != cookie:
        return None
    return cookie


def _key(request: HttpRequest, user, kind: str) -> str | None:
    if ttl_seconds() <= 0 or request.method != "GET":
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    secret = _csrf_secret(request) if kind == "page" else ""
    if secret is None:
        return None
    shopper, catalogue = _versions(user.pk)
    digest = hashlib.sha256(
        "\n".join((secret, request.get_host(), request.get_full_path())).encode()
    ).hexdigest()[:32]
    return f"pagecache:{kind}:{user.pk}:{shopper}:{catalogue}:{digest}"


def _has_messages(request: HttpRequest) -> bool:
    storage = get_messages(request)
    return bool(len(storage)) or bool(getattr(storage, "_queued_messages", None))


def _unsettled(user) -> bool:
    return any(check(user) for check in _unsettled_checks)


def cached_page(view):
    """Serve a signed-in shopper's page from the cache when nothing it shows changed."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        key = _key(request, request.user, "page")
        if key is None or _has_messages(request):
            return view(request, *args, **kwargs)
        entry = cache.get(key)
        if entry is not None:
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
            response[HIT_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not _has_messages(request)
            and not _unsettled(request.user)
        ):
            cache.set(
                key,
                {"content": response.content, "content_type": response["Content-Type"]},
                timeout=ttl_seconds(),
            )
        return response

    return wrapper


def cached_data(request, build: Callable[[], dict]) -> tuple[dict, bool]:
    """An API answer's data for the signed-in caller from the cache, else ``build()`` (stored
    when final). ``request`` is DRF's (its user is the authenticated one, token or session).
    Returns ``(data, hit)``."""
    key = _key(request._request if hasattr(request, "_request") else request, request.user, "api")
    if key is None:
        return build(), False
    data = cache.get(key)
    if data is not None:
        return data, True
    data = build()
    if not _unsettled(request.user):
        cache.set(key, data, timeout=ttl_seconds())
    return data, False
