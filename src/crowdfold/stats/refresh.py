"""Fold new answers into the precomputed statistics (see refresh.md).

``refresh_project`` reads only the answers whose ``finish_time`` lies in
``[counted_until, now - STATS_SETTLE_SECONDS)`` through the (project, finish_time) index, adds them
to the per-day, per-hour and per-contributor rows, and moves the watermark. The settle delay keeps
an answer whose transaction has not committed yet from being skipped: ``finish_time`` is stamped
inside that transaction, a little before it becomes visible.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, Sum, Value
from django.db.models.functions import ExtractHour, Greatest, TruncDate
from django.utils import timezone

from crowdfold.ops.cache import invalidate_on_commit
from crowdfold.projects.models import Project
from crowdfold.stats.models import ContributorCount, DailyCount, HourlyCount, ProjectStats
from crowdfold.tasks.models import Result, Task, TaskRun, TaskState

ANONYMOUS = Q(user__isnull=True)


def settle_seconds() -> int:
    return getattr(settings, "STATS_SETTLE_SECONDS", 30)


def refresh_all(now: datetime | None = None) -> int:
    """Refresh every project's statistics, then the leaderboards. Returns how many projects."""
    from crowdfold.stats.leaderboard import refresh_leaderboards

    count = 0
    for project_id in Project.objects.order_by("id").values_list("id", flat=True):
        refresh_project(project_id, now=now)
        count += 1
    refresh_leaderboards()
    return count


def refresh_project(project_id: int, now: datetime | None = None) -> ProjectStats:
    """Bring one project's statistics up to ``now - STATS_SETTLE_SECONDS``."""
    until = (now or timezone.now()) - timedelta(seconds=settle_seconds())
    with transaction.atomic():
        stats, _ = ProjectStats.objects.select_for_update().get_or_create(project_id=project_id)
        before = _figures(stats)
        if stats.needs_rebuild:
            _forget(stats)
        runs = TaskRun.objects.filter(project_id=project_id, finish_time__lt=until)
        if stats.counted_until is not None:
            runs = runs.filter(finish_time__gte=stats.counted_until)
        if stats.counted_until is None or until > stats.counted_until:
            _add_runs(stats, runs)
            stats.counted_until = until
        _count_tasks(stats)
        _count_volunteers(stats)
        stats.refreshed_at = timezone.now()
        stats.save()
        if _figures(stats) != before:  # the cached statistics pages are out of date
            invalidate_on_commit(f"stats:{project_id}", "stats")
    return stats


FIGURES = (
    "n_tasks",
    "n_completed_tasks",
    "n_answers_needed",
    "n_results",
    "n_task_runs",
    "n_registered",
    "n_anonymous",
    "n_external",
    "last_activity",
)


def _figures(stats: ProjectStats) -> tuple:
    return tuple(getattr(stats, name) for name in FIGURES)


def _forget(stats: ProjectStats) -> None:
    for model in (DailyCount, HourlyCount, ContributorCount):
        model.objects.filter(project_id=stats.project_id).delete()
    for field in (
        "n_task_runs",
        "n_anonymous_runs",
        "total_answer_seconds",
        "first_activity",
        "last_activity",
        "counted_until",
    ):
        setattr(stats, field, ProjectStats._meta.get_field(field).get_default())
    stats.needs_rebuild = False


def _add_runs(stats: ProjectStats, runs) -> None:
    duration = ExpressionWrapper(F("finish_time") - F("created"), output_field=DurationField())
    totals = runs.aggregate(
        n=Count("id"),
        anon=Count("id", filter=ANONYMOUS),
        seconds=Sum(duration),
        first=Min("finish_time"),
        last=Max("finish_time"),
    )
    if not totals["n"]:
        return
    stats.n_task_runs += totals["n"]
    stats.n_anonymous_runs += totals["anon"]
    stats.total_answer_seconds += max(
        totals["seconds"] or timedelta(0), timedelta(0)
    ).total_seconds()
    stats.first_activity = min(filter(None, [stats.first_activity, totals["first"]]))
    stats.last_activity = max(filter(None, [stats.last_activity, totals["last"]]))
    _add_buckets(stats.project_id, runs)
    _add_contributors(stats.project_id, runs)


def _add_buckets(project_id: int, runs) -> None:
    daily = runs.annotate(bucket=TruncDate("finish_time")).values("bucket")
    hourly = runs.annotate(bucket=ExtractHour("finish_time")).values("bucket")
    for model, field, grouped in ((DailyCount, "day", daily), (HourlyCount, "hour", hourly)):
        counts = {
            row["bucket"]: (row["n"], row["anon"])
            for row in grouped.annotate(
                n=Count("id"), anon=Count("id", filter=ANONYMOUS)
            ).order_by()
        }
        existing = {
            getattr(row, field): row
            for row in model.objects.filter(project_id=project_id, **{f"{field}__in": list(counts)})
        }
        new, changed = [], []
        for bucket, (n, anon) in counts.items():
            row = existing.get(bucket)
            if row is None:
                new.append(
                    model(project_id=project_id, n_answers=n, n_anonymous=anon, **{field: bucket})
                )
            else:
                row.n_answers += n
                row.n_anonymous += anon
                changed.append(row)
        model.objects.bulk_create(new)
        model.objects.bulk_update(changed, ["n_answers", "n_anonymous"])


def _add_contributors(project_id: int, runs) -> None:
    grouped = (
        runs.values("contributor_key", "user_id")
        .annotate(n=Count("id"), last=Max("finish_time"))
        .order_by()
    )
    counts = {row["contributor_key"]: row for row in grouped}
    keys = list(counts)
    existing = {}
    for start in range(0, len(keys), 500):
        for row in ContributorCount.objects.filter(
            project_id=project_id, contributor_key__in=keys[start : start + 500]
        ):
            existing[row.contributor_key] = row
    new, changed = [], []
    for key, row in counts.items():
        current = existing.get(key)
        if current is None:
            new.append(
                ContributorCount(
                    project_id=project_id,
                    contributor_key=key,
                    user_id=row["user_id"],
                    n_answers=row["n"],
                    last_answer=row["last"],
                )
            )
        else:
            current.n_answers += row["n"]
            current.last_answer = max(filter(None, [current.last_answer, row["last"]]))
            changed.append(current)
    ContributorCount.objects.bulk_create(new, batch_size=500)
    ContributorCount.objects.bulk_update(changed, ["n_answers", "last_answer"], batch_size=500)


def _count_tasks(stats: ProjectStats) -> None:
    # Bounded by the number of tasks, not answers; runs in the job, never in a page view.
    ongoing = Q(state=TaskState.ONGOING)
    tasks = Task.objects.filter(project_id=stats.project_id).aggregate(
        n=Count("id"),
        completed=Count("id", filter=Q(state=TaskState.COMPLETED)),
        needed=Sum(Greatest(F("n_answers") - F("n_task_runs"), Value(0)), filter=ongoing),
    )
    stats.n_tasks = tasks["n"]
    stats.n_completed_tasks = tasks["completed"]
    stats.n_answers_needed = tasks["needed"] or 0
    stats.n_results = Result.objects.filter(project_id=stats.project_id, last_version=True).count()


def _count_volunteers(stats: ProjectStats) -> None:
    people = ContributorCount.objects.filter(project_id=stats.project_id).aggregate(
        registered=Count("id", filter=Q(contributor_key__startswith="u:")),
        anonymous=Count("id", filter=Q(contributor_key__startswith="ip:")),
        external=Count("id", filter=Q(contributor_key__startswith="x:")),
    )
    stats.n_registered = people["registered"]
    stats.n_anonymous = people["anonymous"]
    stats.n_external = people["external"]
