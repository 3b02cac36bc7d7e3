"""The cache: Redis when configured (plain or Sentinel), in-process otherwise.

Two aliases (settings.CACHES):

* ``default`` holds shared state that must work even when content caching is off: rate-limit
  counters, sessions, sweep throttles. Redis when configured, so every web process sees the same.
* ``content`` holds cached pages and computed values under the named timeouts (``APP_TIMEOUT``,
  ``STATS_APP_TIMEOUT``, ...). ``PYBOSSA_REDIS_CACHE_DISABLED`` makes it a DummyCache.

A dead Redis degrades to "uncached": ``ResilientRedisCache`` swallows connection errors, returns
the caller's default, logs the outage once and stops trying for ``REDIS_RETRY_AFTER`` seconds
(a circuit breaker) so requests do not each wait for a socket timeout.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)

CONTENT_ALIAS = "content"


class _Breaker:
    """Per-process outage state for one Redis location, shared by every thread's cache instance."""

    def __init__(self, retry_after: float):
        self.retry_after = retry_after
        self.down_until = 0.0
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self, location: str, exc: BaseException) -> None:
        with self.lock:
            first = self.down_until == 0.0
            self.down_until = time.monotonic() + self.retry_after
        if first:
            log.warning("Redis cache at %s is unavailable, serving uncached: %s", location, exc)

    def reset(self, location: str) -> None:
        if self.down_until:
            with self.lock:
                self.down_until = 0.0
            log.warning("Redis cache at %s is back", location)


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str, retry_after: float) -> _Breaker:
    with _breakers_lock:
        breaker = _breakers.setdefault(location, _Breaker(retry_after))
        breaker.retry_after = retry_after
        return breaker


class SentinelAwareClient(RedisCacheClient):
    """Django's Redis client, plus Sentinel: ``OPTIONS={"sentinels": [(host, port)], "service_name":
    "mymaster", "db": 0, "password": ...}`` asks the sentinels where the master is."""

    def __init__(self, servers, sentinels=None, service_name="mymaster", **options):
        self._sentinels = [tuple(s) for s in sentinels or []]
        self._service_name = service_name
        super().__init__(servers, **options)

    def _get_connection_pool(self, write):
        if not self._sentinels:
            return super()._get_connection_pool(write)
        if 0 not in self._pools:
            from redis.sentinel import Sentinel, SentinelConnectionPool

            options = dict(self._pool_options)
            sentinel_kwargs = {"socket_timeout": options.get("socket_timeout")}
            manager = Sentinel(self._sentinels, sentinel_kwargs=sentinel_kwargs, **options)
            self._pools[0] = SentinelConnectionPool(self._service_name, manager, **options)
        return self._pools[0]


class ResilientRedisCache(RedisCache):
    """RedisCache that never raises because Redis is away: reads miss, writes are dropped."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        retry_after = float(options.pop("retry_after", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = SentinelAwareClient
        self._location = server if isinstance(server, str) else ",".join(server)
        self._breaker = _breaker_for(self._location, retry_after)

    def _guarded(self, fallback: Any, fn: Callable, *args, **kwargs):
        import redis

        if self._breaker.is_open():
            return fallback
        try:
            result = fn(*args, **kwargs)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as exc:
            self._breaker.trip(self._location, exc)
            return fallback
        self._breaker.reset(self._location)
        return result

    @property
    def available(self) -> bool:
        """False while the breaker is open (Redis recently failed)."""
        return not self._breaker.is_open()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # While Redis is away every counter starts afresh: rate limits are lifted, not enforced
        # against a store we cannot read.
        return self._guarded(delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded(None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded(False, super().clear)


def timeout(name: str) -> int:
    """A named cache timeout in seconds (``APP_TIMEOUT``, ``USER_TIMEOUT``, ...)."""
    return int(settings.CACHE_TIMEOUTS[name])


def content_cache():
    return caches[CONTENT_ALIAS]


def remember(key: str, timeout_name: str, compute: Callable[[], Any]) -> Any:
    """Return the cached value under ``key`` or compute and cache it for the named timeout.
    Uncached (computed every time) when caching is disabled or Redis is away."""
    cache = content_cache()
    missing = object()
    value = cache.get(key, missing)
    if value is missing:
        value = compute()
        cache.set(key, value, timeout(timeout_name))
    return value


def cache_ok() -> bool:
    """Can the shared cache store and read a value right now? (for /healthz)"""
    from django.core.cache import cache

    probe = f"healthz:{time.monotonic_ns()}"
    cache.set(probe, 1, 10)
    ok = cache.get(probe) == 1
    cache.delete(probe)
    return ok
