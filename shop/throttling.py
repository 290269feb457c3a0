"""Rate limits shared by the REST API (DRF throttles) and the server-rendered forms.

Rates live in one place, ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (``"10/minute"`` style),
and counters in the Django cache (``CACHES["default"]``: Redis or a file cache shared by the web
processes of one host). An API view names its ``throttle_scope`` and uses
:class:`WriteScopedRateThrottle` (only writes count) or DRF's own ``ScopedRateThrottle``; a form
view asks :func:`throttle_request`, which runs the same throttle on the same counter, so the
form and the API share one allowance. :func:`throttle_hit` counts under any other key (an e-mail
address).

Log-in failures are also counted per e-mail address (:func:`login_failures_exceeded`), across
the form and the token endpoint and whatever the client's address: after the limit, even the
right password is refused until the window has passed.
"""

from __future__ import annotations

import hashlib
import time
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(scope: str) -> tuple[int, int] | None:
    """(requests, seconds) of a scope, or None when the scope has no rate (unlimited)."""
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), _PERIODS[period.strip()[0]]


def client_ident(request: HttpRequest) -> str:
    """The client's address as DRF sees it (``NUM_PROXIES`` decides whether X-Forwarded-For counts)."""
    return BaseThrottle().get_ident(request) or "unknown"


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def throttle_hit(scope: str, ident: str) -> int | None:
    """Count one request of ``ident`` in ``scope``; seconds to wait when over the rate, else None.

    A fixed window per scope and ident (the window starts at the first request).
    """
    rate = _rate(scope)
    if rate is None:
        return None
    limit, period = rate
    key = _key(scope, ident)
    now = time.time()
    cache.add(key, (0, now), timeout=period)
    count, started = cache.get(key, (0, now))
    if count >= limit:
        return max(1, int(started + period - now))
    remaining = max(1, int(started + period - now))
    cache.set(key, (count + 1, started), timeout=remaining)
    return None


def throttle_request(scope: str, request: HttpRequest) -> int | None:
    """Count a form request against the same DRF throttle (and counter) the API uses for ``scope``.

    Per user when signed in, else per client address: an upload through the form and one through
    the API use the same allowance. Seconds to wait when over the rate, else None.
    """
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, SimpleNamespace(throttle_scope=scope)):
        return None
    return max(1, int(throttle.wait() or 1))


def throttle_reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))


def wait_message(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    when = f"{minutes} minute{'s' if minutes != 1 else ''}" if seconds >= 60 else f"{seconds} seconds"
    return f"Too many attempts. Please try again in {when}."


# --------------------------------------------------------------------------- log-in failures

LOGIN_FAILURES_SCOPE = "login_failures"


def _login_ident(email: str) -> str:
    return (email or "").strip().lower()


def login_failures_exceeded(email: str) -> int | None:
    """Seconds until ``email`` may try again when it has failed too often, else None."""
    rate = _rate(LOGIN_FAILURES_SCOPE)
    if rate is None:
        return None
    limit, period = rate
    count, started = cache.get(_key(LOGIN_FAILURES_SCOPE, _login_ident(email)), (0, time.time()))
    if count >= limit:
        return max(1, int(started + period - time.time()))
    return None


def login_failed(email: str) -> None:
    throttle_hit(LOGIN_FAILURES_SCOPE, _login_ident(email))


def login_succeeded(email: str) -> None:
    throttle_reset(LOGIN_FAILURES_SCOPE, _login_ident(email))


# --------------------------------------------------------------------------- DRF


class WriteScopedRateThrottle(ScopedRateThrottle):
    """``ScopedRateThrottle`` that lets reads through: only POST/PUT/PATCH/DELETE count."""

    def allow_request(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
