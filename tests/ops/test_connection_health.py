"""The per-request health check of PostgreSQL connections (crowdfold/lib/postgresql): a connection
the server closed is replaced before a request uses it, and a healthy one costs no round trip."""

from __future__ import annotations

import select
import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def spare():
    """A second connection to the test database, as a web worker thread would hold."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL connection check; SQLite has no server to lose")
    conn = connections.create_connection("default")
    conn.ensure_connection()
    yield conn
    conn.close()


def last_query_of(pid: int) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cur.fetchone()[0]


def test_a_healthy_connection_is_checked_without_asking_the_server(spare):
    with spare.cursor() as cur:
        cur.execute("SELECT 42")
    assert spare.is_usable()
    assert last_query_of(spare.connection.info.backend_pid) == "SELECT 42"


def test_a_connection_the_server_closed_is_found_unusable_and_replaced(spare):
    pid = spare.connection.info.backend_pid
    with connection.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while not select.select([spare.connection.fileno()], [], [], 0.05)[0]:
        assert time.monotonic() < deadline, "the server never told the client it was closing"
    assert not spare.is_usable()

    spare.health_check_enabled, spare.health_check_done = True, False  # a new request begins
    with spare.cursor() as cur:  # the check replaces the connection: this query succeeds
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
    assert spare.connection.info.backend_pid != pid
