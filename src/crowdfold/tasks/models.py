"""Tasks, the answers volunteers give (task runs), the results folded from them, and reservations.

Counters on ``Task`` (``n_task_runs``, ``n_reserved``) are maintained by the services in
``crowdfold.tasks.answers`` and ``crowdfold.tasks.scheduling`` with conditional UPDATEs, so the
scheduler never counts rows on the hot path. See scheduling.md for the invariants they protect.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from crowdfold.projects.models import Project


class TaskState(models.TextChoices):
    ONGOING = "ongoing"
    COMPLETED = "completed"


def default_n_answers() -> int:
    return settings.DEFAULT_N_ANSWERS


class Task(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="tasks", db_index=False
    )
    created = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=TaskState.choices, default=TaskState.ONGOING)
    info = models.JSONField(null=True, blank=True)
    n_answers = models.PositiveIntegerField(default=default_n_answers)
    priority_0 = models.FloatField(default=0.0)
    quorum = models.IntegerField(default=0)
    calibration = models.IntegerField(default=0)
    fav_user_ids = models.JSONField(null=True, blank=True)
    # Denormalised counters, see module docstring.
    n_task_runs = models.PositiveIntegerField(default=0)
    n_reserved = models.PositiveIntegerField(default=0)
    # Import bookkeeping (crowdfold.data): the batch a task was loaded in, and a digest of its
    # canonical info so "same info already in the project" is a hash join on 16 bytes per task.
    # The digest is deliberately not indexed: a b-tree of random digests was the most expensive
    # index to maintain (a third of the database's time in a million-row import), and an import
    # reads the project's digests in one pass anyway. Only tasks still lacking one are indexed.
    # No database FK constraint on batch: its per-row check doubled the cost of a million-row import;
    # batches are only deleted through crowdfold.data.batches.delete_batch, which removes their tasks.
    batch = models.ForeignKey(
        "data.Batch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        db_index=False,
        db_constraint=False,
    )
    info_hash = models.UUIDField(null=True, blank=True)  # MD5 of the canonical info JSON

    class Meta:
        db_table = "crowdfold_task"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["project", "id"], name="task_project_idx"),
            models.Index(
                fields=["project"],
                condition=Q(info_hash__isnull=True),
                name="task_info_hash_missing_idx",
            ),
            models.Index(fields=["batch", "id"], name="task_batch_idx"),
            # The schedulers walk these partial indexes in order and stop at the first free task,
            # so the cost of "next task" does not grow with the number of completed tasks.
            # The schedulers' walk, (priority_0 desc, id) as one ascending key: see
            # tasks/frontier.py WALK_KEY, whose SQL must match this expression.
            models.Index(
                F("project"),
                -F("priority_0"),
                F("id"),
                condition=Q(state="ongoing"),
                name="task_sched_walk_idx",
            ),
            models.Index(
                F("project"), F("id"), condition=Q(state="ongoing"), name="task_sched_id_idx"
            ),
            models.Index(
                F("project"),
                F("n_task_runs"),
                F("priority_0").desc(),
                F("id"),
                condition=Q(state="ongoing"),
                name="task_sched_breadth_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"task {self.pk} of project {self.project_id}"


class TaskRun(models.Model):
    """One person's answer to one task.

    ``contributor_key`` names the person whatever their kind (``u:<user id>``, ``ip:<anonymised
    ip>``, ``x:<external uid>``), so a single named constraint enforces one answer per person per
    task. ``created`` is when the task was handed out (PYBOSSA's semantics); ``finish_time`` is when
    the answer arrived.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="task_runs", db_index=False
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="task_runs", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="task_runs",
        db_index=False,
    )
    user_ip = models.CharField(max_length=64, null=True, blank=True)
    external_uid = models.CharField(max_length=255, null=True, blank=True)
    contributor_key = models.CharField(max_length=300)
    info = models.JSONField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    finish_time = models.DateTimeField(default=timezone.now)
    media_url = models.TextField(null=True, blank=True)
    timeout = models.IntegerField(null=True, blank=True)
    calibration = models.IntegerField(null=True, blank=True)

    class Meta:
        db_table = "crowdfold_taskrun"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "contributor_key"], name="taskrun_one_answer_per_person"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "id"], name="taskrun_project_idx"),
            models.Index(fields=["project", "contributor_key"], name="taskrun_contributor_idx"),
            models.Index(fields=["user", "id"], name="taskrun_user_idx"),
            models.Index(fields=["project", "finish_time"], name="taskrun_finish_idx"),
        ]


class Result(models.Model):
    """The folded answers of a completed task. One current version per task (``last_version``)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="results", db_index=False
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="results", db_index=False)
    task_run_ids = models.JSONField(default=list)
    info = models.JSONField(null=True, blank=True)
    last_version = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "crowdfold_result"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(last_version=True), name="result_one_current_per_task"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "id"], name="result_project_idx"),
            models.Index(fields=["task", "id"], name="result_task_idx"),
        ]


class TaskReservation(models.Model):
    """A task handed to a person and not yet answered. Counts against the task's redundancy until
    answered, skipped or expired; doubles as PYBOSSA's "you must request a task first" guard."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", db_index=False)
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="reservations", db_index=False
    )
    contributor_key = models.CharField(max_length=300)
    created = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        db_table = "crowdfold_reservation"
        constraints = [
            models.UniqueConstraint(
                fields=["task", "contributor_key"], name="reservation_one_per_person_per_task"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "contributor_key"], name="reservation_holder_idx"),
            models.Index(fields=["project", "expires_at"], name="reservation_expiry_idx"),
        ]


class TaskSkip(models.Model):
    """A person passed on a task; the scheduler will not offer it to them again."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", db_index=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="skips", db_index=False)
    contributor_key = models.CharField(max_length=300)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "crowdfold_taskskip"
        constraints = [
            models.UniqueConstraint(
                fields=["task", "contributor_key"], name="skip_one_per_person_per_task"
            ),
        ]
        indexes = [models.Index(fields=["project", "contributor_key"], name="skip_holder_idx")]


class TaskFrontier(models.Model):
    """Where a person's walk through a project's open tasks may start (design note: frontier.md).

    Every ongoing task of the project ordered before ``(priority_0 desc, task_id)`` has been answered
    or skipped by this person, so the scheduler can start there instead of walking their history.
    Only ``crowdfold.tasks.frontier`` moves it forward; database triggers move it back whenever a
    task appears or reopens before it, or an answer or skip before it is deleted.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", db_index=False)
    contributor_key = models.CharField(max_length=300)
    priority_0 = models.FloatField()
    task_id = models.BigIntegerField()

    class Meta:
        db_table = "crowdfold_frontier"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "contributor_key"], name="frontier_one_per_person"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "priority_0", "task_id"], name="frontier_position_idx")
        ]

    def __str__(self) -> str:
        return f"frontier of {self.contributor_key} in project {self.project_id}"
