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


def remember(
    key: str, timeout_name: str, compute: Callable[[], Any], *, scopes: tuple[str, ...] = ()
) -> Any:
    """Return the cached value under ``key`` or compute and cache it for the named timeout.

    The key is per language. ``scopes`` name what the value depends on (``"projects"``, ``"user:5"``, ...): ``invalidate``
    of any of them makes the next call compute afresh, in every process sharing the cache.
    Uncached (computed every time) when caching is disabled or Redis is away."""
    from django.utils.translation import get_language

    cache = content_cache()
    key = f"{key}:{get_language() or '-'}"  # values may hold translated text (chart labels)
    if scopes:
        key = f"{key}@{_generations(cache, scopes)}"
    missing = object()
    value = cache.get(key, missing)
    if value is missing:
        value = compute()
        cache.set(key, value, timeout(timeout_name))
    return value


def _generations(cache, scopes: tuple[str, ...]) -> str:
    """The current generation of each scope, joined. A scope seen for the first time starts at the
    clock (so a generation lost with an evicted key never comes back to an old value)."""
    keys = [f"gen:{scope}" for scope in scopes]
    found = cache.get_many(keys)
    parts = []
    for gen_key in keys:
        if gen_key not in found:
            cache.add(gen_key, time.time_ns(), None)
            found[gen_key] = cache.get(gen_key) or 0
        parts.append(str(found[gen_key]))
    return ".".join(parts)


def invalidate(*scopes: str) -> None:
    """Make every value cached under any of ``scopes`` stale (see ``remember``). If the cache is
    away the call is dropped: values then live until their named timeout, as in PYBOSSA."""
    cache = content_cache()
    now = time.time_ns()
    cache.set_many({f"gen:{scope}": now for scope in scopes}, None)


def cache_ok() -> bool:
    """Can the shared cache store and read a value right now? (for /healthz)"""
    from django.core.cache import cache

    probe = f"healthz:{time.monotonic_ns()}"
    cache.set(probe, 1, 10)
    ok = cache.get(probe) == 1
    cache.delete(probe)
    return ok


class FrozenPage:
    """A page of results that can be cached: the items plus what templates ask a Django ``Page``
    (``has_next``, ``previous_page_number``, ...), without the queryset behind it."""

    def __init__(self, page):
        self.object_list = list(page.object_list)
        self.number = page.number
        self.num_pages = page.paginator.num_pages
        self.count = page.paginator.count

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


# --- What invalidates what ------------------------------------------------------------------------
def invalidate_on_commit(*scopes: str) -> None:
    """Invalidate once the surrounding transaction commits: a reader that recomputed in between
    would otherwise cache the old rows under the new generation."""
    from django.db import transaction

    transaction.on_commit(lambda: invalidate(*scopes))


def _project_changed(sender, instance, **kwargs) -> None:
    invalidate_on_commit("projects", f"project:{instance.pk}")


def _category_changed(sender, instance, **kwargs) -> None:
    invalidate_on_commit("categories", "projects")


def _user_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing any cached page shows
    invalidate_on_commit("users", f"user:{instance.pk}")


def connect_invalidation() -> None:
    """Called from OpsConfig.ready: saving or deleting a project, category or user invalidates
    the cached pages that show it."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from crowdfold.projects.models import Category, Project

    for model, receiver in (
        (Project, _project_changed),
        (Category, _category_changed),
        (get_user_model(), _user_changed),
    ):
        uid = f"crowdfold.ops.cache.{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + ".delete")
