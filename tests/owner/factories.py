"""Generate answers at chosen times without going through the scheduler (history cannot be made
through the API: the server stamps finish_time itself)."""

from __future__ import annotations

from datetime import datetime, timedelta

from crowdfold.tasks.models import Task, TaskRun, TaskState


def add_runs(project, tasks, people, finish_times, seconds=30) -> list[TaskRun]:
    """One run per (task, person, finish_time) triple, cycling through the given lists; a person is
    a User or an anonymised IP string. Task counters and states follow."""
    runs = []
    for i, finish in enumerate(finish_times):
        task = tasks[i % len(tasks)]
        person = people[(i // len(tasks)) % len(people)]
        if isinstance(person, str):
            fields = {"user": None, "user_ip": person, "contributor_key": f"ip:{person}"}
        else:
            fields = {"user": person, "user_ip": None, "contributor_key": f"u:{person.pk}"}
        runs.append(
            TaskRun(
                project=project,
                task=task,
                info={"answer": i},
                created=finish - timedelta(seconds=seconds),
                finish_time=finish,
                **fields,
            )
        )
    TaskRun.objects.bulk_create(runs)
    for task in tasks:
        n = TaskRun.objects.filter(task=task).count()
        state = TaskState.COMPLETED if n >= task.n_answers else TaskState.ONGOING
        Task.objects.filter(pk=task.pk).update(n_task_runs=n, state=state)
    return runs


def at(day_offset: int, hour: int, now: datetime) -> datetime:
    base = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return base - timedelta(days=day_offset) + timedelta(hours=hour, minutes=5)
