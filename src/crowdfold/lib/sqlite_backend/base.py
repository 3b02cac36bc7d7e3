"""SQLite with a fair queue for writers.

SQLite admits one writer at a time. A transaction that finds the write lock taken sleeps in SQLite's
busy handler (up to 100 ms a nap) and retries, so under a few dozen concurrent requests the lock sits
idle while waiters nap, throughput collapses, and an unlucky waiter can nap past the busy timeout
("database is locked", a 500). Here every write transaction first takes an exclusive ``flock`` on a
file beside the database: waiters block in the kernel and the next one starts the moment the holder
commits, across every thread and worker process. In-memory databases (tests) are left alone.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd: int | None = None

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            self._writer_fd = os.open(
                f"{self.settings_dict['NAME']}.writers", os.O_RDWR | os.O_CREAT, 0o600
            )
        return conn

    def _lock_writers(self) -> None:
        if self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_EX)

    def _unlock_writers(self) -> None:
        if self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        self._lock_writers()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._unlock_writers()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._unlock_writers()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._unlock_writers()

    def _close(self):
        try:
            return super()._close()
        finally:
            if self._writer_fd is not None:
                os.close(self._writer_fd)  # closing the descriptor also drops its lock
                self._writer_fd = None
