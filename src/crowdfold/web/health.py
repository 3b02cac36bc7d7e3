"""``/healthz``: is this process able to serve? Database, cache, and whatever else registers a check
(the job queue registers itself when it is configured).

503 when a critical check fails (the database: nothing works without it), so a load balancer takes the
process out; 200 with ``"status": "degraded"`` when only a non-critical one fails (a dead Redis means
uncached pages, not an outage). Failures name the exception class only: details go to the log."""

from __future__ import annotations

import importlib.util
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
CRITICAL: set[str] = set()


def register_check(name: str, check: Callable[[], None], *, critical: bool = False) -> None:
    """Add a named check: a callable that returns when healthy and raises when not."""
    CHECKS[name] = check
    if critical:
        CRITICAL.add(name)
    else:
        CRITICAL.discard(name)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key, token = f"healthz:{uuid.uuid4().hex}", "ok"
    cache.set(key, token, 10)
    stored = cache.get(key)
    cache.delete(key)
    if stored != token:
        raise RuntimeError("cache did not return what was stored")


def check_queue() -> None:
    from crowdfold.ops.jobs import queue_ok

    if not queue_ok():
        raise RuntimeError("the job store does not answer")


register_check("database", check_database, critical=True)
register_check("cache", check_cache)
# The job queue (crowdfold.ops.jobs, Huey) where it is installed.
if importlib.util.find_spec("crowdfold.ops") and importlib.util.find_spec("crowdfold.ops.jobs"):
    register_check("queue", check_queue)


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
    failed = {name for name, result in results.items() if result["status"] != "ok"}
    status = "error" if failed & CRITICAL else "degraded" if failed else "ok"
    return JsonResponse(
        {"status": status, "checks": results}, status=503 if status == "error" else 200
    )
