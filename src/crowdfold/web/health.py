"""``/healthz``: is this process able to serve? Database, cache, and whatever else registers a check
(the job queue registers itself when it is configured). 200 when every check passes, 503 otherwise;
a load balancer needs nothing more. Failures name the exception class only: details go to the log."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)

CHECKS: dict[str, Callable[[], None]] = {}


def register_check(name: str, check: Callable[[], None]) -> None:
    """Add a named check: a callable that returns when healthy and raises when not."""
    CHECKS[name] = check


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key, token = "crowdfold:healthz", uuid.uuid4().hex
    cache.set(key, token, 10)
    if cache.get(key) != token:
        raise RuntimeError("cache did not return what was stored")


register_check("database", check_database)
register_check("cache", check_cache)


def _run(name: str, check: Callable[[], None]) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure makes the service unhealthy
        log.warning("health check %s failed: %s", name, exc, exc_info=True)
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 2)}


@never_cache
def healthz(request):
    results = {name: _run(name, check) for name, check in CHECKS.items()}
    healthy = all(result["status"] == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )
