"""A person's starting point in a project's task order. Design note: frontier.md beside this file.

The schedulers walk the project's ongoing tasks in order and stop at the first one this person can
take. Without help, a veteran whose answers are the first open tasks walks past every one of them
on each request. The frontier remembers how far the person's answers and skips reach, so the walk
starts there: its cost is the handful of tasks answered since the last advance, not the history.
"""

from __future__ import annotations

import random

from django.db import connection

from crowdfold.lib import fastsql
from crowdfold.tasks import pg_functions
from crowdfold.tasks.models import TaskState

# On PostgreSQL, task inserts, reopenings and answer deletions hold the advisory lock (726871, 0)
# shared (database triggers, migration 0003); an advance (the database function of migration 0005)
# tries it exclusively and gives up at once when it is taken, so it never computes a frontier past
# a change that is not yet committed.
# Advance on about one request in this many (and always when the person has no frontier yet), so
# the walk from a stale frontier stays a few tasks long while most requests write nothing.
ADVANCE_EVERY = 8

Position = tuple[float, int]  # (priority_0, task id): tasks sort by priority_0 desc, then id


# The walk's order, (priority_0 desc, id), as one ascending key. The partial index
# ``task_sched_walk_idx`` is on (project, priority_0 * -1, id) — Django writes ``-F("priority_0")``
# as ``priority_0 * -1`` — so on PostgreSQL "from the start on" is one row comparison, one index
# range, which the planner cannot mistake for a walk along the primary key (with "priority_0 = p
# AND id >= n" it did: 12,000 pages read per request at 200k tasks).
NEGATED_PRIORITY = "(t.priority_0 * -1)"
WALK_KEY = f"{NEGATED_PRIORITY}, t.id"


def walk_sql(select: str, where: str, start: Position | None) -> list[tuple[str, list]]:
    """The ordered walk over a project's ongoing tasks from ``start`` (all of them without one),
    as index range scans: a list of (SQL, extra params) to run in turn until enough rows are
    found. SQLite positions an index on a row comparison by its first column only, so there the
    walk is two ranges: the rest of the start's priority level, then the lower levels."""
    order = f" ORDER BY {WALK_KEY}"
    if start is None:
        return [(f"{select} WHERE {where}{order}", [])]
    priority, task_id = start
    if connection.vendor == "postgresql":
        return [
            (f"{select} WHERE {where} AND ({WALK_KEY}) >= (%s, %s){order}", [-priority, task_id])
        ]
    return [
        (
            f"{select} WHERE {where} AND {NEGATED_PRIORITY} = %s AND t.id >= %s ORDER BY t.id",
            [-priority, task_id],
        ),
        (f"{select} WHERE {where} AND {NEGATED_PRIORITY} > %s{order}", [-priority]),
    ]


def current(project_id: int, contributor_key: str) -> Position | None:
    row = fastsql.row(
        "SELECT priority_0, task_id FROM crowdfold_frontier"
        " WHERE project_id = %s AND contributor_key = %s",
        [project_id, contributor_key],
    )
    return (row[0], row[1]) if row else None


def starting_point(project_id: int, contributor_key: str) -> Position | None:
    """Where this person's walk may start; advances the frontier now and then. Call inside the
    scheduling transaction."""
    start = current(project_id, contributor_key)
    if start is None or due():
        start = advance(project_id, contributor_key) or start
    return start


def due() -> bool:
    """Whether this request should advance the person's frontier (about one in ADVANCE_EVERY)."""
    return random.randrange(ADVANCE_EVERY) == 0


def advance(project_id: int, contributor_key: str) -> Position | None:
    """Move the frontier to the person's first ongoing task that they have neither answered nor
    skipped. Returns the new frontier, or None when it could not move now."""
    if pg_functions.available():  # the same steps as a database function (migration 0005)
        return pg_functions.advance_frontier(project_id, contributor_key)
    # SQLite has one writer at a time: nothing can move the frontier back while we look.
    start = current(project_id, contributor_key)
    found = _first_not_done(project_id, contributor_key, start) or _past_the_end(project_id)
    # Frontiers stay at priority >= 0: the insert trigger then only has to fire for tasks with a
    # positive priority, so the common import (priority 0) costs nothing extra.
    if found is None or found[0] < 0 or found == start:
        return start
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO crowdfold_frontier (project_id, contributor_key, priority_0, task_id)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (project_id, contributor_key)"
            " DO UPDATE SET priority_0 = excluded.priority_0, task_id = excluded.task_id",
            [project_id, contributor_key, found[0], found[1]],
        )
    return found


def _first_not_done(project_id: int, key: str, start: Position | None) -> Position | None:
    where = (
        "t.project_id = %s AND t.state = %s"
        " AND NOT EXISTS (SELECT 1 FROM crowdfold_taskrun r"
        " WHERE r.task_id = t.id AND r.contributor_key = %s)"
        " AND NOT EXISTS (SELECT 1 FROM crowdfold_taskskip s"
        " WHERE s.task_id = t.id AND s.contributor_key = %s)"
    )
    params = [project_id, TaskState.ONGOING.value, key, key]
    for sql, extra in walk_sql("SELECT t.priority_0, t.id FROM crowdfold_task t", where, start):
        row = fastsql.row(sql + " LIMIT 1", params + extra)
        if row:
            return (row[0], row[1])
    return None


def _past_the_end(project_id: int) -> Position | None:
    """Just after the project's last ongoing task: the person has done everything open. A task
    added later at the same priority gets a larger id, so it is not skipped."""
    row = fastsql.row(
        "SELECT t.priority_0, t.id FROM crowdfold_task t WHERE t.project_id = %s"
        " AND t.state = %s ORDER BY t.priority_0, t.id DESC LIMIT 1",
        [project_id, TaskState.ONGOING.value],
    )
    return (row[0], row[1] + 1) if row else None
