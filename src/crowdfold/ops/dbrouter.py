"""Read queries to a replica (PYBOSSA's ``SQLALCHEMY_BINDS['slave']``), writes to the primary.

Configured by ``DATABASE_REPLICA_URL``. Reads stay on the primary when correctness needs it:

* inside a transaction on the primary (a read there must see the transaction's own writes, and
  ``select_for_update`` is routed as a write anyway);
* for the rest of a request or job once it has written (read-your-writes; ``ReplicaPinMiddleware``
  and a Huey hook reset this at the start of each);
* while the replica is down: its health is checked at most every
  ``CROWDFOLD_REPLICA_CHECK_INTERVAL`` seconds per process, and a failed check sends reads to the
  primary until the next one.
"""

from __future__ import annotations

import logging
import threading
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
_pinned: ContextVar[bool] = ContextVar("crowdfold_primary_pinned", default=False)


class _ReplicaHealth:
    def __init__(self):
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.up = True

    def is_up(self) -> bool:
        interval = getattr(settings, "REPLICA_CHECK_INTERVAL", 5.0)
        if time.monotonic() - self.checked_at < interval:
            return self.up
        with self.lock:
            if time.monotonic() - self.checked_at < interval:
                return self.up
            was_up, self.up = self.up, _probe()
            self.checked_at = time.monotonic()
        if was_up and not self.up:
            log.warning("Database replica is unreachable; reading from the primary")
        elif self.up and not was_up:
            log.warning("Database replica is back")
        return self.up

    def forget(self) -> None:
        self.checked_at = float("-inf")
        self.up = True


def _probe() -> bool:
    conn = connections[REPLICA]
    try:
        conn.ensure_connection()
        if conn.is_usable():
            return True
    except DatabaseError:
        pass
    conn.close()
    return False


health = _ReplicaHealth()


def replica_configured() -> bool:
    return REPLICA in connections.settings


def pin_to_primary(pinned: bool = True) -> None:
    _pinned.set(pinned)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured() or _pinned.get():
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA if health.is_up() else "default"

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaPinMiddleware:
    """Each request starts reading from the replica again (a previous request's writes pinned
    its own context only, but a thread serves many requests)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _pinned.set(False)
        try:
            return self.get_response(request)
        finally:
            _pinned.reset(token)
