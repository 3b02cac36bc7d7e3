"""The contribution path on PostgreSQL: one database call per request.

``newtask`` and ``POST /api/taskrun`` run on every contribution. On PostgreSQL each is one call to
a database function (migration tasks/0005): the function runs its statements inside the server
with cached plans, in one transaction, without a client round trip between them. The Python form
in ``scheduling`` and ``answers`` stays the reference and runs on SQLite and for every case these
functions do not cover. Design note: scheduling.md, "One round trip".
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import connection

from crowdfold.lib import fastsql
from crowdfold.projects.models import Project
from crowdfold.tasks.identity import Contributor
from crowdfold.tasks.models import Result, Task, TaskRun


def available() -> bool:
    """True when the database has the functions (PostgreSQL). Outside a transaction each call is
    its own; inside one it is part of it."""
    return connection.vendor == "postgresql"


@lru_cache(maxsize=1)
def _next_task_sql() -> str:
    return f"SELECT {fastsql.columns(Task, 't')} FROM crowdfold_next_task(%s, %s, %s, %s, %s) t"


def next_task(project: Project, contributor: Contributor, now, *, advance: bool) -> list[Task]:
    """The task this person holds, else the next free one in the default order, reserved for
    them. ``advance`` moves their frontier first (it always moves when they have none)."""
    expires = now + timedelta(seconds=settings.RESERVATION_TTL)
    return fastsql.instances(
        Task, _next_task_sql(), [project.pk, contributor.key, now, expires, advance]
    )


def advance_frontier(project_id: int, contributor_key: str):
    """``crowdfold.tasks.frontier.advance`` on PostgreSQL: the frontier afterwards, or None."""
    row = fastsql.row(
        "SELECT priority_0, task_id FROM crowdfold_frontier_advance(%s, %s)",
        [project_id, contributor_key],
    )
    return (row[0], row[1]) if row and row[1] is not None else None


_INFO = TaskRun._meta.get_field("info")


def submit_answer(project: Project, answer, contributor: Contributor, now):
    """Store the answer if this person holds the task. Returns (outcome, run, result): outcome is
    ``stored``, ``already_answered``, ``not_requested`` (also: no such task in this project) or
    ``enough``; ``result`` is the new current result when this answer completed the task."""
    fields = contributor.run_fields()
    user = fields["user"]
    outcome, run_id, served_at, result_id, run_ids = fastsql.row(
        "SELECT outcome, run_id, served_at, result_id, run_ids"
        " FROM crowdfold_submit_answer(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            project.pk,
            answer.task_id,
            contributor.key,
            user.pk if user is not None else None,
            fields["user_ip"],
            fields["external_uid"],
            _INFO.get_db_prep_save(answer.info, connection),
            answer.media_url,
            now,
        ],
    )
    if outcome != "stored":
        return outcome, None, None
    run = TaskRun(
        pk=run_id,
        project_id=project.pk,
        task_id=answer.task_id,
        contributor_key=contributor.key,
        info=answer.info,
        media_url=answer.media_url,
        created=served_at,
        finish_time=now,
        **fields,
    )
    result = None
    if result_id is not None:
        if isinstance(run_ids, str):  # Django loads jsonb as text; the ORM would decode it
            run_ids = json.loads(run_ids)
        result = Result(
            pk=result_id, project_id=project.pk, task_id=answer.task_id, task_run_ids=run_ids
        )
    return outcome, run, result
