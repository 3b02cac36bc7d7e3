"""Owner-side edits of tasks and results (the API's task/result PUT, POST and DELETE).

Redundancy changes go through ``answers.set_redundancy`` so completion is re-decided both ways.
"""

from __future__ import annotations

from django.db import transaction

from crowdfold.lib.errors import Forbidden
from crowdfold.projects.models import Project
from crowdfold.tasks.answers import set_redundancy
from crowdfold.tasks.models import Result, Task

TASK_EDITABLE = frozenset({"info", "n_answers", "priority_0", "quorum", "calibration"})


def create_task(project: Project, **fields) -> Task:
    """Add one task to a project (PYBOSSA's ``POST /api/task``)."""
    unknown = set(fields) - TASK_EDITABLE
    if unknown:
        raise ValueError(f"not task fields: {sorted(unknown)}")
    return Task.objects.create(project=project, **fields)


@transaction.atomic
def update_task(task: Task, changes: dict) -> Task:
    """Apply a partial edit. A change of ``n_answers`` re-decides completion (PYBOSSA #1223)."""
    n_answers = changes.pop("n_answers", None)
    if changes:
        Task.objects.filter(pk=task.pk).update(**changes)
    if n_answers is not None:
        set_redundancy(Task.objects.filter(pk=task.pk), n_answers)
    task.refresh_from_db()
    return task


def task_has_results(task: Task) -> bool:
    return Result.objects.filter(task_id=task.pk).exists()


def delete_task(task: Task, *, force: bool = False) -> None:
    """Delete a task with its answers. Refused when it has results unless ``force`` (admins)."""
    if not force and task_has_results(task):
        raise Forbidden("A task with results can only be deleted by an admin", target="task")
    task.delete()


def set_result_info(result: Result, info) -> Result:
    """Store the analysis of a result (the only writable part of a result)."""
    Result.objects.filter(pk=result.pk).update(info=info)
    result.info = info
    return result


ANSWER_EDITABLE = frozenset({"info", "media_url"})


def update_answer(run, changes: dict):
    """Let the author (or an admin) correct an answer's content; who/what/when stay fixed."""
    from crowdfold.tasks.models import TaskRun

    fields = {k: v for k, v in changes.items() if k in ANSWER_EDITABLE}
    if fields:
        TaskRun.objects.filter(pk=run.pk).update(**fields)
        run.refresh_from_db()
    return run
