"""PYBOSSA's API rate limit: ``settings.API_LIMIT`` requests per fixed window of ``settings.API_PER``
seconds, per endpoint group (every ``/api/task*`` URL shares one counter; ``/api/project/<id>/newtask``
has its own) and per client (the user when signed in, else the anonymised address).

Every API response carries ``X-RateLimit-Limit``, ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset``
(the window's end, absolute epoch seconds; pbs sleeps until then); a 429 adds ``Retry-After`` (seconds
until that reset) for generic HTTP clients. Counters live in Django's cache, so
they are shared by every process when the cache is Redis. A failing cache lets the request through:
a dead Redis must not take the API down.

Cost: one cache round trip per request on Redis (INCR and EXPIREAT pipelined); with other cache
backends ``add`` + ``incr``.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from crowdfold.api.auth import api_user
from crowdfold.api.errors import error_response
from crowdfold.lib.anonymize import anonymize_ip, client_ip

log = logging.getLogger(__name__)
API_PREFIX = "/api/"
UNMETERED = {"", "docs", "openapi.json"}


def endpoint_group(path: str) -> str | None:
    """``/api/task/5`` → ``task``; ``/api/project/5/newtask`` → ``project.newtask``; None when the
    path is not metered (the API root and its documentation)."""
    parts = path[len(API_PREFIX) :].split("/")
    if parts[0] in UNMETERED:
        return None
    if parts[0] == "auth":
        return "auth"
    if len(parts) >= 3 and parts[2]:
        return f"{parts[0]}.{parts[2]}"
    return parts[0]


def client_key(request) -> str:
    user = api_user(request)
    if user.is_authenticated:
        return f"u{user.pk}"
    return f"a{anonymize_ip(client_ip(request))}"


def hit(key: str, window_end: int) -> int:
    """Count one request against ``key`` and return the count in the current window."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_hit(backend, key, window_end)
    cache.add(key, 0, timeout=max(window_end - int(time.time()), 1) + 1)
    return cache.incr(key)


def _redis_hit(backend: RedisCache, key: str, window_end: int) -> int:
    """INCR + EXPIREAT in one pipeline: one round trip. Honours the circuit breaker of
    ``crowdfold.ops.cache.ResilientRedisCache`` so a dead Redis costs no socket timeout per request."""
    breaker = getattr(backend, "_breaker", None)
    if breaker is not None and breaker.is_open():
        raise CacheDown
    full_key = backend.make_and_validate_key(key)
    try:
        pipe = backend._cache.get_client(full_key, write=True).pipeline(transaction=False)
        pipe.incr(full_key)
        pipe.expireat(full_key, window_end + 1)  # idempotent: the same deadline on every call
        count, _ = pipe.execute()
    except Exception as exc:
        if breaker is not None:
            breaker.trip(getattr(backend, "_location", "redis"), exc)
        raise
    return int(count)


class CacheDown(Exception):
    pass


def check(request, group: str) -> tuple[bool, dict]:
    """Count the request; returns (allowed, headers)."""
    limit, per = settings.API_LIMIT, settings.API_PER
    now = int(time.time())
    window = now // per
    window_end = (window + 1) * per
    headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Reset": str(window_end)}
    try:
        count = hit(f"rl:{group}:{client_key(request)}:{window}", window_end)
    except Exception:  # the cache is down: let the request through, report the full budget
        log.warning("rate limit cache unavailable", exc_info=True)
        headers["X-RateLimit-Remaining"] = str(limit)
        return True, headers
    headers["X-RateLimit-Remaining"] = str(max(limit - count, 0))
    return count <= limit, headers


class RateLimitMiddleware:
    """Meters ``/api/*`` (see the module docstring); a request over the limit gets PYBOSSA's 429."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        group = (
            endpoint_group(path)
            if path.startswith(API_PREFIX) and settings.RATE_LIMIT_ENABLED
            else None
        )
        if group is None:
            return self.get_response(request)
        allowed, headers = check(request, group)
        if allowed:
            response = self.get_response(request)
        else:
            response = error_response(
                request,
                429,
                "TooManyRequests",
                f"Rate limit of {settings.API_LIMIT} per {settings.API_PER} seconds exceeded",
                target=path,
            )
            reset = int(headers["X-RateLimit-Reset"])
            response["Retry-After"] = str(max(reset - int(time.time()), 1))
        for name, value in headers.items():
            response[name] = value
        return response
