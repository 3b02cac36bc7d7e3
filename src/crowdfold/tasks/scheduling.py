"""Handing tasks to volunteers. Design note: scheduling.md beside this file.

Every scheduler reserves what it hands out, so ``answers + live reservations <= n_answers`` holds for
every task at every moment, whatever the number of concurrent volunteers.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from crowdfold.lib import fastsql
from crowdfold.lib.errors import BadRequest, Forbidden
from crowdfold.projects.models import Project
from crowdfold.tasks import frontier, pg_functions
from crowdfold.tasks.identity import Contributor
from crowdfold.tasks.models import Task, TaskReservation, TaskRun, TaskSkip, TaskState

SCHEDULERS = ("default", "depth_first", "depth_first_all", "breadth_first", "random", "locked")
ORDERABLE = {"id", "priority_0", "created", "n_answers", "n_task_runs"}
RANDOM_WINDOW = (
    20  # the random scheduler picks among this many front-runners (Vulyk's light shuffle)
)
MAX_LIMIT = 100


def scheduler_name(project: Project) -> str:
    name = project.scheduler
    return "depth_first" if name not in SCHEDULERS or name == "default" else name


DEFAULT_ORDER = ["-priority_0", "id"]


def _default_order(name: str) -> list:
    if name == "breadth_first":
        return ["n_task_runs", "-priority_0", "id"]
    return list(DEFAULT_ORDER)


def _requested_order(orderby: str | None, desc: bool | None) -> list | None:
    if not orderby:
        return None
    if orderby not in ORDERABLE:
        raise BadRequest(f"orderby must be one of {', '.join(sorted(ORDERABLE))}")
    return [f"-{orderby}" if desc else orderby, "id"]


# The hot path speaks SQL directly: building these queries through the ORM cost more CPU than
# running them (profiled: two thirds of a newtask). Same queries as the ORM wrote, same indexes.
_ORDER_COLUMNS = {name: f"t.{name}" for name in ORDERABLE}
_NOT_MINE = (
    " AND NOT EXISTS (SELECT 1 FROM crowdfold_taskrun r WHERE r.task_id = t.id AND r.contributor_key = %s)"
    " AND NOT EXISTS (SELECT 1 FROM crowdfold_reservation v WHERE v.task_id = t.id AND v.contributor_key = %s)"
)
_NOT_SKIPPED = " AND NOT EXISTS (SELECT 1 FROM crowdfold_taskskip s WHERE s.task_id = t.id AND s.contributor_key = %s)"


@lru_cache(maxsize=1)
def _task_columns() -> str:
    return fastsql.columns(Task, "t")


def _order_sql(order: list) -> str:
    return ", ".join(
        f"{_ORDER_COLUMNS[item[1:]]} DESC" if item.startswith("-") else _ORDER_COLUMNS[item]
        for item in order
    )


def _open_tasks(
    project: Project,
    contributor: Contributor,
    *,
    include_skipped: bool,
    order: list,
    limit: int,
    start: frontier.Position | None = None,
) -> list[Task]:
    """Tasks of the project with a free slot that this person has neither answered nor holds,
    locked for this transaction where the database can skip rows others are locking. ``start``
    (the person's frontier, default order only) is where the walk may begin."""
    key = contributor.key
    where = (
        "t.project_id = %s AND t.state = %s AND t.n_task_runs + t.n_reserved < t.n_answers"
        + _NOT_MINE
    )
    params = [project.pk, TaskState.ONGOING.value, key, key]
    if not include_skipped:
        where += _NOT_SKIPPED
        params.append(key)
    select = f"SELECT {_task_columns()} FROM crowdfold_task t"
    if order == DEFAULT_ORDER:
        walks = frontier.walk_sql(select, where, start)
    else:
        walks = [(f"{select} WHERE {where} ORDER BY {_order_sql(order)}", [])]
    found: list[Task] = []
    for sql, extra in walks:
        sql += " LIMIT %s"
        # PostgreSQL: concurrent volunteers skip rows another transaction is reserving instead of
        # queueing behind it. SQLite serialises writers (BEGIN IMMEDIATE): nothing to skip.
        if connection.features.has_select_for_update_skip_locked:
            sql += " FOR UPDATE OF t SKIP LOCKED"
        found += fastsql.instances(Task, sql, params + extra + [limit - len(found)])
        if len(found) >= limit:
            break
    return found


def _reserve(task: Task, project: Project, contributor: Contributor, now) -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE crowdfold_task SET n_reserved = n_reserved + 1 WHERE id = %s AND state = %s"
            " AND n_task_runs + n_reserved < n_answers",
            [task.pk, TaskState.ONGOING.value],
        )
        if cur.rowcount != 1:
            return False
        adapt = connection.ops.adapt_datetimefield_value
        cur.execute(
            "INSERT INTO crowdfold_reservation (project_id, task_id, contributor_key, created, expires_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            [
                project.pk,
                task.pk,
                contributor.key,
                adapt(now),
                adapt(now + timedelta(seconds=settings.RESERVATION_TTL)),
            ],
        )
    return True


def _held(project: Project, contributor: Contributor, order: list, now) -> list[Task]:
    """Tasks this person already holds, in scheduling order (what pybossa.js preloaded)."""
    sql = (
        f"SELECT {_task_columns()} FROM crowdfold_task t WHERE t.state = %s AND t.id IN"
        " (SELECT v.task_id FROM crowdfold_reservation v WHERE v.project_id = %s"
        " AND v.contributor_key = %s AND v.expires_at > %s)"
        f" ORDER BY {_order_sql(order)}"
    )
    params = [
        TaskState.ONGOING.value,
        project.pk,
        contributor.key,
        connection.ops.adapt_datetimefield_value(now),
    ]
    return fastsql.instances(Task, sql, params)


def _pick_new(project, contributor, name, order, need, now) -> list[Task]:
    picked: list[Task] = []
    start = frontier.starting_point(project.pk, contributor.key) if order == DEFAULT_ORDER else None
    for include_skipped in (False, True) if name == "depth_first_all" else (False,):
        window = RANDOM_WINDOW if name == "random" else need
        candidates = _open_tasks(
            project,
            contributor,
            include_skipped=include_skipped,
            order=order,
            limit=window,
            # The frontier passes skipped tasks, so the second look at them starts at the top.
            start=None if include_skipped else start,
        )
        if name == "random":
            random.shuffle(candidates)
        for task in candidates:
            if len(picked) >= need:
                break
            if _reserve(task, project, contributor, now):
                picked.append(task)
        if picked:
            break
    return picked


def _one_database_call(name: str, order: list, limit: int, offset: int) -> bool:
    """The common case on PostgreSQL: the default scheduler's next task is one function call."""
    return (
        pg_functions.available()
        and name == "depth_first"
        and order == DEFAULT_ORDER
        and (limit, offset) == (1, 0)
    )


def assign_next_tasks(
    project: Project,
    contributor: Contributor,
    *,
    limit: int = 1,
    offset: int = 0,
    orderby: str | None = None,
    desc: bool | None = None,
) -> list[Task]:
    """Hand the next task(s) to a person, reserving each one.

    The list a person sees is "what I already hold, then new tasks", so ``offset=1`` (pybossa.js'
    preload of the next task) returns a second task instead of the one on screen, and asking again
    never reserves more than ``offset + limit`` tasks.
    """
    name = scheduler_name(project)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    if name == "locked":
        if offset > 2:
            raise BadRequest("offset must be 0, 1 or 2 with the locked scheduler")
        if offset == 2:
            return []
        limit = 1
    order = _requested_order(orderby, desc) or _default_order(name)
    now = timezone.now()
    maybe_release_expired(project.pk)
    if _one_database_call(name, order, limit, offset):
        tasks = pg_functions.next_task(project, contributor, now, advance=frontier.due())
        short = not tasks
    else:
        with transaction.atomic():
            held = _held(project, contributor, order, now)
            need = offset + limit - len(held)
            fresh = _pick_new(project, contributor, name, order, need, now) if need > 0 else []
        tasks = (held + fresh)[offset : offset + limit]
        short = not fresh and need > 0
    # Nothing free: expired reservations may hold the slots this person needs.
    if short and release_expired_reservations(project.pk):
        return assign_next_tasks(
            project, contributor, limit=limit, offset=offset, orderby=orderby, desc=desc
        )
    return tasks


def reserve_task(project: Project, task: Task, contributor: Contributor) -> bool:
    """Reserve one given task for a person (the web page ``/project/<sn>/task/<id>``).

    True when the person holds it afterwards (already held, or a slot was free)."""
    now = timezone.now()
    with transaction.atomic():
        if TaskReservation.objects.filter(
            task_id=task.pk, contributor_key=contributor.key, expires_at__gt=now
        ).exists():
            return True
        if TaskRun.objects.filter(task_id=task.pk, contributor_key=contributor.key).exists():
            return False
        # An expired reservation of this person would collide with the new one: consume it first.
        _release(TaskReservation.objects.filter(task_id=task.pk, contributor_key=contributor.key))
        return _reserve(task, project, contributor, now)


def skip_task(project: Project, task: Task, contributor: Contributor) -> None:
    """A person passes on a task: free their reservation and do not offer the task to them again."""
    if task.project_id != project.pk:
        raise Forbidden("Invalid project_id")
    with transaction.atomic():
        _release(TaskReservation.objects.filter(task_id=task.pk, contributor_key=contributor.key))
        TaskSkip.objects.get_or_create(
            project_id=project.pk, task_id=task.pk, contributor_key=contributor.key
        )


def _release(reservations) -> int:
    """Delete reservations and give their slots back. Whoever deletes a reservation row gives its
    slot back, so a reservation consumed concurrently by an answer is never counted twice."""
    rows = list(reservations.values_list("pk", "task_id"))
    if not rows:
        return 0
    deleted_by_task: Counter = Counter()
    for pk, task_id in rows:
        if TaskReservation.objects.filter(pk=pk).delete()[0]:
            deleted_by_task[task_id] += 1
    for task_id in sorted(deleted_by_task):
        Task.objects.filter(pk=task_id).update(
            n_reserved=F("n_reserved") - deleted_by_task[task_id]
        )
    return sum(deleted_by_task.values())


def release_expired_reservations(project_id: int | None = None) -> int:
    """Give back the slots of reservations whose holder never answered. Returns how many."""
    expired = TaskReservation.objects.filter(expires_at__lte=timezone.now())
    if project_id is not None:
        expired = expired.filter(project_id=project_id)
    with transaction.atomic():
        return _release(expired[:1000])


def maybe_release_expired(project_id: int) -> None:
    """Sweep a project's expired reservations at most once per interval per cache."""
    if cache.add(f"cf:sweep:{project_id}", 1, timeout=settings.RESERVATION_SWEEP_INTERVAL):
        release_expired_reservations(project_id)


def clear_reservations(project_id: int, task_ids=None) -> None:
    """Forget every reservation and skip of a project (publishing, redundancy resets)."""
    filters = Q(project_id=project_id)
    if task_ids is not None:
        filters &= Q(task_id__in=task_ids)
    TaskReservation.objects.filter(filters).delete()
    TaskSkip.objects.filter(filters).delete()
