"""Crowdfold's PostgreSQL backend (crowdfold/lib/postgresql): a connection the server closed is
replaced before a request uses it, a healthy one is checked without a round trip, and the
contribution path's statements are prepared once per connection while the ORM's are not."""

from __future__ import annotations

import select
import time

import pytest
from django.db import connection, connections

from crowdfold.projects.models import Project
from tests.conftest import make_tasks

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


def test_the_contribution_path_is_prepared_and_the_orm_is_not(api, project, volunteer):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    make_tasks(project, 3)
    client = api(volunteer)
    for _ in range(2):
        task = client.get(f"/api/project/{project.pk}/newtask").json()
        body = {"project_id": project.pk, "task_id": task["id"], "info": "yes"}
        assert client.post("/api/taskrun", body).status_code == 200
    Project.objects.filter(pk=project.pk).exists()  # an ORM query on the same connection
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")  # this connection's
        prepared = [row[0] for row in cur.fetchall()]
    assert any("crowdfold_next_task" in sql for sql in prepared), prepared
    assert any("crowdfold_submit_answer" in sql for sql in prepared), prepared
    assert not any('SELECT 1 AS "a" FROM "crowdfold_project"' in sql for sql in prepared)
