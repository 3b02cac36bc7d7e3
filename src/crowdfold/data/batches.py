"""Batches (Vulyk's rules): which batch an import goes into, per-batch stats, deleting a batch.

The project's default batch is created on first use with ``project.info["batch_meta"]`` (the
counterpart of Vulyk's task-type meta) and is the only batch that imports may extend. A new batch
starts from a copy of the default batch's meta, overridden by ``--meta KEY VALUE`` pairs: unknown
keys are refused and values are cast to the type of the default's value.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum

from crowdfold.data.models import DEFAULT_BATCH, Batch
from crowdfold.lib.errors import BadRequest, Conflict, NotFound
from crowdfold.projects.models import Project
from crowdfold.tasks.models import Task, TaskRun, TaskState

_TRUE = {"true", "1", "yes", "on", "y"}
_FALSE = {"false", "0", "no", "off", "n"}
DELETE_SLICE = 5000


def default_batch(project: Project) -> Batch:
    batch = Batch.objects.filter(project=project, is_default=True).first()
    if batch is not None:
        return batch
    meta = (project.info or {}).get("batch_meta")
    try:
        with transaction.atomic():
            return Batch.objects.create(
                project=project,
                name=DEFAULT_BATCH,
                is_default=True,
                meta=dict(meta) if isinstance(meta, dict) else {},
            )
    except IntegrityError:  # created meanwhile by a concurrent import
        return Batch.objects.get(project=project, is_default=True)


def cast_meta_value(key: str, raw: str, like: Any) -> Any:
    """Cast a command-line string to the type of the default meta's value for ``key``."""
    try:
        if isinstance(like, bool):
            lowered = raw.strip().lower()
            if lowered not in _TRUE | _FALSE:
                raise ValueError("expected true or false")
            return lowered in _TRUE
        if isinstance(like, int):
            return int(raw)
        if isinstance(like, float):
            return float(raw)
        if isinstance(like, str):
            return raw
        return json.loads(raw)
    except ValueError as exc:
        kind = type(like).__name__
        raise BadRequest(f"meta {key}: {raw!r} is not a valid {kind} ({exc})") from exc


def batch_for_import(
    project: Project, name: str | None, meta: Sequence[tuple[str, str]] = ()
) -> Batch:
    """The batch an import goes into, created if new (Vulyk's ``add_batch`` rules)."""
    default = default_batch(project)
    if name is None or name == default.name:
        if meta:
            raise BadRequest("--meta applies to a new batch only; the default batch keeps its meta")
        return default
    name = name.strip()
    if not name or len(name) > 50:
        raise BadRequest("a batch name must have 1 to 50 characters")
    if Batch.objects.filter(project=project, name=name).exists():
        raise Conflict(f"batch {name!r} already exists; only the default batch can be extended")
    values = dict(default.meta)
    for key, raw in meta:
        if key not in default.meta:
            known = ", ".join(sorted(default.meta)) or "none"
            raise BadRequest(f"unknown meta key {key!r} (the default batch defines: {known})")
        values[key] = cast_meta_value(key, raw, default.meta[key])
    try:
        with transaction.atomic():
            return Batch.objects.create(project=project, name=name, meta=values)
    except IntegrityError as exc:
        raise Conflict(
            f"batch {name!r} already exists; only the default batch can be extended"
        ) from exc


def get_batch(project: Project, name: str) -> Batch:
    batch = Batch.objects.filter(project=project, name=name).first()
    if batch is None:
        raise NotFound(f"project {project.short_name} has no batch {name!r}")
    return batch


@dataclass
class BatchStats:
    name: str
    tasks: int
    completed: int
    answers: int
    histogram: dict[int, int]  # answers per task -> number of tasks

    @property
    def completed_pct(self) -> float:
        return 100.0 * self.completed / self.tasks if self.tasks else 0.0


def batch_stats(batch: Batch) -> BatchStats:
    """Vulyk's ``stats batch``: tasks, completed and %, answers, histogram of answers per task."""
    tasks = Task.objects.filter(batch=batch)
    totals = tasks.aggregate(
        n=Count("id"),
        done=Count("id", filter=Q(state=TaskState.COMPLETED)),
        answers=Sum("n_task_runs"),
    )
    histogram = dict(
        tasks.values_list("n_task_runs").annotate(c=Count("id")).order_by("n_task_runs")
    )
    return BatchStats(batch.name, totals["n"], totals["done"], totals["answers"] or 0, histogram)


@transaction.atomic
def delete_batch(batch: Batch, purge: bool = False) -> int:
    """Delete a batch and its tasks; returns how many tasks went. Answers are data people gave, so
    a batch with answers is only deleted with ``purge`` (which deletes them and the results too)."""
    answered = TaskRun.objects.filter(task__batch=batch).exists()
    if answered and not purge:
        raise Conflict(f"batch {batch.name!r} has answers; purge to delete them with its tasks")
    # In slices, so Django's cascades (answers, results, reservations, anything added later) hold
    # without collecting a million-task batch in memory at once.
    n_tasks = 0
    while ids := list(Task.objects.filter(batch=batch).values_list("id", flat=True)[:DELETE_SLICE]):
        Task.objects.filter(id__in=ids).delete()
        n_tasks += len(ids)
    batch.delete()
    return n_tasks
