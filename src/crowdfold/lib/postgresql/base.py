"""PostgreSQL whose per-request connection health check costs no round trip.

Django's ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request: on the
contribution path, where a request is one database call, that doubled the round trips. An idle
connection receives nothing from the server unless the server is closing it (a restart, an
administrator's ``pg_terminate_backend``, an idle timeout): it then sends an error and closes the
socket. So the check first asks the kernel whether the socket has anything to read; only then does
it ask the server (``SELECT 1``), and a dead connection is replaced before the request uses it.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        if conn.info.transaction_status != conn.info.transaction_status.IDLE:
            return super().is_usable()  # mid-transaction: only the server can tell
        try:
            readable, _, _ = select.select([conn.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable or super().is_usable()
