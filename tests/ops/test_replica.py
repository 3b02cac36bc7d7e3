"""Read queries go to a replica when one is configured, and to the primary when it is down, inside
a transaction, or after the request wrote something."""

from __future__ import annotations

import copy

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from crowdfold.ops.dbrouter import REPLICA, health
from crowdfold.projects.models import Category


def _allow_alias_in_running_test(alias: str) -> None:
    """Django's test case refuses connections to aliases it was not told about when it started;
    the replica alias is added afterwards, so tell the running test case (found in the closure of
    its ensure_connection guard) that it is allowed."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    for cell in BaseDatabaseWrapper.ensure_connection.__closure__ or ():
        case = cell.cell_contents
        if isinstance(case, type) and hasattr(case, "databases"):
            case.databases = frozenset(case.databases) | {alias}


def add_replica(**overrides) -> None:
    """A second alias: the same database (as a streaming replica would be), or a broken one."""
    config = copy.deepcopy(connections.settings["default"])
    config.update(overrides)
    connections.settings[REPLICA] = config
    _allow_alias_in_running_test(REPLICA)
    health.forget()


@pytest.fixture
def replica(transactional_db):
    yield add_replica
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections.settings[REPLICA]
        del connections[REPLICA]
    health.forget()


def queries_on(alias, fn):
    with CaptureQueriesContext(connections[alias]) as captured:
        result = fn()
    return result, [q["sql"] for q in captured.captured_queries]


@pytest.fixture(autouse=True)
def _pro_owner(owner):
    # The webhooks page read here is a pro feature by default (PRO_FEATURES).
    type(owner).objects.filter(pk=owner.pk).update(pro=True)


def webhooks_page(api, project, owner):
    return api(owner).get(f"/api/project/{project.pk}/webhooks")


def test_api_reads_are_served_by_the_replica(replica, api, project, owner):
    replica()
    response, on_replica = queries_on(REPLICA, lambda: webhooks_page(api, project, owner))
    assert response.status_code == 200
    assert any("crowdfold_project" in sql for sql in on_replica)
    _, on_primary = queries_on("default", lambda: webhooks_page(api, project, owner))
    assert not any("crowdfold_project" in sql for sql in on_primary)


def test_reads_fall_back_to_the_primary_when_the_replica_is_unreachable(
    replica, api, project, owner
):
    if connections["default"].vendor == "postgresql":
        replica(HOST="127.0.0.1", PORT=1)
    else:
        replica(NAME="/nonexistent/dir/replica.sqlite3")
    response, on_primary = queries_on("default", lambda: webhooks_page(api, project, owner))
    assert response.status_code == 200
    assert any("crowdfold_project" in sql for sql in on_primary)
    assert health.up is False


def test_reads_inside_a_transaction_and_after_a_write_stay_on_the_primary(replica):
    replica()

    def read_in_transaction():
        with transaction.atomic():
            Category.objects.create(name="Fresh", short_name="fresh")
            return Category.objects.filter(short_name="fresh").exists()

    found, on_replica = queries_on(REPLICA, read_in_transaction)
    assert found is True
    assert on_replica == []
    # Outside a transaction too: this context wrote, so it reads its own writes.
    found, on_replica = queries_on(
        REPLICA, lambda: Category.objects.filter(short_name="fresh").exists()
    )
    assert found is True
    assert on_replica == []
