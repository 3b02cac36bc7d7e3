"""PostgreSQL with a health check that costs no round trip, and prepared statements for the
contribution path.

Django's ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request: on the
contribution path, where a request is one database call, that doubled the round trips. An idle
connection receives nothing from the server unless the server is closing it (a restart, an
administrator's ``pg_terminate_backend``, an idle timeout): it then sends an error and closes the
socket. So the check first asks the kernel whether the socket has anything to read; only then does
it ask the server (``SELECT 1``), and a dead connection is replaced before the request uses it.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """Query logs (DEBUG, tests) show bound statements with their values too."""
        if isinstance(cursor, base.ServerBindingCursor):
            try:
                return self.compose_sql(sql, params)
            except base.Database.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        conn.prepare_threshold = 0  # client-binding cursors (the ORM's) never prepare
        return conn

    def bound_cursor(self):
        """Like ``cursor()`` (health check, connection, error wrapping, query logging), with
        server-side binding and statements prepared on first use."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(base.ServerBindingCursor(self.connection))

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
