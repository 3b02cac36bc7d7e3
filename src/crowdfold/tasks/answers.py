"""Answers (task runs) and the results folded from them.

``submit_answer`` is the one way an answer enters the system: the API's ``POST /api/taskrun`` and the
web presenter both call it. Completion and the current result are decided in the same transaction
as the answer that completes the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from crowdfold.lib import fastsql
from crowdfold.lib.errors import Conflict, Forbidden, Unauthorized
from crowdfold.projects.models import Project
from crowdfold.tasks import pg_functions
from crowdfold.tasks.identity import Contributor
from crowdfold.tasks.models import Result, Task, TaskRun, TaskState

# Sent after the transaction that completed a task commits: kwargs task, result, project.
task_completed = Signal()
# Sent inside the transaction that deleted answers (never on the hot path): kwargs project_id.
# Precomputed statistics only ever add, so they listen for this to rebuild the project's figures.
answers_removed = Signal()

ALREADY_ANSWERED = "You have already answered this task"
MUST_REQUEST_FIRST = "You must request a task first!"
ENOUGH_ANSWERS = "This task already has all the answers it needs"


@dataclass
class AnswerInput:
    project_id: int
    task_id: int
    info: Any = None
    media_url: str | None = None


def check_may_contribute(project: Project, contributor: Contributor) -> None:
    if contributor.is_anonymous and not project.allow_anonymous_contributors:
        raise Unauthorized("This project does not allow anonymous contributors", target="taskrun")
    if project.groups_restricted:  # read from the loaded row: open projects pay no query
        from crowdfold.data.access import ensure_may_contribute

        ensure_may_contribute(project, contributor)


def submit_answer(
    answer: AnswerInput,
    contributor: Contributor,
    *,
    task: Task | None = None,
    project: Project | None = None,
) -> TaskRun:
    """Store one person's answer to a task they were handed.

    Refuses (4xx) an unknown task, a task of another project, an answer nobody asked for (no
    reservation), a second answer by the same person, and an answer beyond the task's redundancy.
    ``task`` (with its project) saves a query when the caller already loaded it. ``project`` (the
    one the answer names) without ``task`` lets PostgreSQL store it in one database call.
    """
    if task is None and project is not None and pg_functions.available():
        return _store_in_database(project, answer, contributor)
    if task is None or task.pk != answer.task_id:
        task = Task.objects.select_related("project").filter(pk=answer.task_id).first()
    _check_task(task, answer.project_id)
    check_may_contribute(task.project, contributor)
    outcome = _store_answer(task, answer, contributor)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _check_task(task: Task | None, project_id: int) -> None:
    if task is None:
        raise Forbidden("Invalid task_id", target="taskrun")
    if task.project_id != project_id:
        raise Forbidden("Invalid project_id", target="taskrun")


_REFUSALS = {
    "already_answered": (Forbidden, ALREADY_ANSWERED),
    "not_requested": (Forbidden, MUST_REQUEST_FIRST),
    "enough": (Conflict, ENOUGH_ANSWERS),
}


def _store_in_database(project: Project, answer: AnswerInput, contributor: Contributor) -> TaskRun:
    """PostgreSQL: ``crowdfold_submit_answer`` stores the answer (completing the task when it is
    the last one needed) in one call; the task is read only to explain a refusal."""
    check_may_contribute(project, contributor)
    try:
        outcome, run, result = pg_functions.submit_answer(
            project, answer, contributor, timezone.now()
        )
    except IntegrityError as exc:
        raise Forbidden(ALREADY_ANSWERED, target="taskrun") from exc
    if run is None:
        if outcome != "enough":  # no reservation: perhaps no such task in this project
            _check_task(fastsql.select_one(Task, "id = %s", [answer.task_id]), project.pk)
        error, message = _REFUSALS[outcome]
        raise error(message, target="taskrun")
    if result is not None:
        task = Task(pk=answer.task_id, project_id=project.pk)
        task.project = project
        _announce_completion(task, result)
    return run


def _store_answer(task: Task, answer: AnswerInput, contributor: Contributor):
    """Returns the stored run, or the error to raise once the transaction has committed (a refused
    answer still gives its reservation back)."""
    key = contributor.key
    try:
        with transaction.atomic():
            served_at = _consume_reservation(task.pk, key)
            if served_at is None:
                if TaskRun.objects.filter(task_id=task.pk, contributor_key=key).exists():
                    return Forbidden(ALREADY_ANSWERED, target="taskrun")
                return Forbidden(MUST_REQUEST_FIRST, target="taskrun")
            counted = _count_answer(task.pk)
            if counted is None:
                Task.objects.filter(pk=task.pk).update(n_reserved=F("n_reserved") - 1)
                return Conflict(ENOUGH_ANSWERS, target="taskrun")
            run = TaskRun(
                project_id=task.project_id,
                task_id=task.pk,
                contributor_key=key,
                info=answer.info,
                media_url=answer.media_url,
                created=served_at,
                finish_time=timezone.now(),
                **contributor.run_fields(),
            )
            run.pk = fastsql.insert(run)
            n_runs, n_answers = counted
            if n_runs >= n_answers:
                complete_task(task)
    except IntegrityError:
        return Forbidden(ALREADY_ANSWERED, target="taskrun")
    return run


# The answer path speaks SQL directly (one statement each instead of a read then a write, and no
# ORM query building): it runs once per answer. RETURNING needs SQLite 3.35 or later.
def _consume_reservation(task_id: int, key: str):
    """Delete this person's reservation of the task. Returns when it was served, or None when there
    was none (or a concurrent request consumed it first: whoever deletes the row owns its slot)."""
    row = fastsql.row(
        "DELETE FROM crowdfold_reservation WHERE task_id = %s AND contributor_key = %s"
        " RETURNING created",
        [task_id, key],
    )
    if row is None:
        return None
    created = parse_datetime(row[0]) if isinstance(row[0], str) else row[0]
    return timezone.make_aware(created, UTC) if timezone.is_naive(created) else created


def _count_answer(task_id: int) -> tuple[int, int] | None:
    """Turn the person's reserved slot into an answer unless the task already has all its answers.
    Returns (n_task_runs, n_answers) after the change, or None when refused."""
    return fastsql.row(
        "UPDATE crowdfold_task SET n_task_runs = n_task_runs + 1, n_reserved = n_reserved - 1"
        " WHERE id = %s AND n_task_runs < n_answers RETURNING n_task_runs, n_answers",
        [task_id],
    )


def complete_task(task: Task) -> Result:
    """Mark a task completed and make its current result hold all its answers. Idempotent: an
    existing current result with the same runs is kept. Plain SQL: a third of all answers end here."""
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM crowdfold_taskrun WHERE task_id = %s ORDER BY id", [task.pk])
        run_ids = [row[0] for row in cur.fetchall()]
        cur.execute(
            "UPDATE crowdfold_task SET state = %s WHERE id = %s",
            [TaskState.COMPLETED.value, task.pk],
        )
        current = fastsql.select_one(Result, "task_id = %s AND last_version", [task.pk])
        if current is not None and current.task_run_ids == run_ids:
            return current
        if current is not None:
            cur.execute(
                "UPDATE crowdfold_result SET last_version = %s WHERE task_id = %s AND last_version",
                [False, task.pk],
            )
    result = Result(project_id=task.project_id, task_id=task.pk, task_run_ids=run_ids)
    result.pk = fastsql.insert(result)
    _announce_completion(task, result)
    return result


def _announce_completion(task: Task, result: Result) -> None:
    """``task_completed`` once the transaction commits (at once outside a transaction)."""
    transaction.on_commit(
        lambda: task_completed.send(
            sender=Task, task=task, result=result, project_id=task.project_id
        )
    )


def recompute_completion(task_ids) -> None:
    """Re-decide completion after n_answers changed, both ways (PYBOSSA #1223)."""
    with transaction.atomic():
        Task.objects.filter(pk__in=task_ids, n_task_runs__lt=F("n_answers")).update(
            state=TaskState.ONGOING
        )
        to_complete = Task.objects.filter(
            pk__in=task_ids, n_task_runs__gte=F("n_answers"), n_task_runs__gt=0
        )
        for task in to_complete.exclude(state=TaskState.COMPLETED).iterator():
            complete_task(task)


def set_redundancy(tasks, n_answers: int) -> int:
    """Set n_answers on a queryset of tasks and re-decide their completion. Returns how many."""
    ids = list(tasks.values_list("pk", flat=True))
    with transaction.atomic():
        Task.objects.filter(pk__in=ids).update(n_answers=n_answers)
        recompute_completion(ids)
    return len(ids)


def reset_answers(project: Project) -> None:
    """Forget every answer, result, reservation and skip of a project and reopen its tasks (used when
    a project is published: answers given while testing do not count)."""
    from crowdfold.tasks.scheduling import clear_reservations

    with transaction.atomic():
        Result.objects.filter(project_id=project.pk).delete()
        TaskRun.objects.filter(project_id=project.pk).delete()
        clear_reservations(project.pk)
        Task.objects.filter(project_id=project.pk).update(
            n_task_runs=0, n_reserved=0, state=TaskState.ONGOING
        )
        answers_removed.send(sender=Task, project_id=project.pk)


def delete_answer(run: TaskRun) -> None:
    """Delete one answer and give the task its slot back (the task reopens if it was complete)."""
    with transaction.atomic():
        deleted = TaskRun.objects.filter(pk=run.pk).delete()[0]
        if deleted:
            Task.objects.filter(pk=run.task_id).update(n_task_runs=F("n_task_runs") - 1)
            recompute_completion([run.task_id])
            answers_removed.send(sender=Task, project_id=run.project_id)
