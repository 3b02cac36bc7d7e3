"""Checks for ``/healthz``: the job queue and the shared cache (the database check is the caller's)."""

from __future__ import annotations

from crowdfold.ops.cache import cache_ok
from crowdfold.ops.dbrouter import health, replica_configured
from crowdfold.ops.jobs import queue_ok

__all__ = ["cache_ok", "queue_ok", "replica_ok"]


def replica_ok() -> bool | None:
    """None when no replica is configured; otherwise whether reads can go to it."""
    if not replica_configured():
        return None
    health.forget()
    return health.is_up()
