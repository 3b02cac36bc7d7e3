"""Precomputed statistics and leaderboards.

Nothing here is written on the volunteer's hot path. ``crowdfold.stats.refresh`` folds the answers
that arrived since the last refresh into these tables (range queries on the (project,
finish_time) index), so a statistics page reads a handful of small rows however many answers a
project has. See refresh.md for the design.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crowdfold.projects.models import Project


class ProjectStats(models.Model):
    """One row per project: running totals and the watermark of answers already counted."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    # Every answer with finish_time < counted_until is included in the figures below.
    counted_until = models.DateTimeField(null=True, blank=True)
    needs_rebuild = models.BooleanField(default=False)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    n_tasks = models.PositiveIntegerField(default=0)
    n_completed_tasks = models.PositiveIntegerField(default=0)
    n_results = models.PositiveIntegerField(default=0)
    n_answers_needed = models.PositiveBigIntegerField(default=0)
    n_task_runs = models.PositiveBigIntegerField(default=0)
    n_anonymous_runs = models.PositiveBigIntegerField(default=0)
    n_registered = models.PositiveIntegerField(default=0)
    n_anonymous = models.PositiveIntegerField(default=0)
    n_external = models.PositiveIntegerField(default=0)
    total_answer_seconds = models.FloatField(default=0.0)
    first_activity = models.DateTimeField(null=True, blank=True)
    last_activity = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "crowdfold_projectstats"

    @property
    def n_volunteers(self) -> int:
        return self.n_registered + self.n_anonymous + self.n_external

    @property
    def overall_progress(self) -> int:
        return self.n_completed_tasks * 100 // self.n_tasks if self.n_tasks else 0

    @property
    def average_time(self) -> float:
        return self.total_answer_seconds / self.n_task_runs if self.n_task_runs else 0.0


class DailyCount(models.Model):
    """Answers per UTC day (all, and those by anonymous volunteers)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    n_answers = models.PositiveIntegerField(default=0)
    n_anonymous = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "crowdfold_stats_daily"
        constraints = [
            models.UniqueConstraint(fields=["project", "day"], name="stats_daily_one_per_day")
        ]


class HourlyCount(models.Model):
    """Answers per hour of the day (0–23, UTC) over the project's whole life."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    hour = models.PositiveSmallIntegerField()
    n_answers = models.PositiveIntegerField(default=0)
    n_anonymous = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "crowdfold_stats_hourly"
        constraints = [
            models.UniqueConstraint(fields=["project", "hour"], name="stats_hourly_one_per_hour")
        ]


class ContributorCount(models.Model):
    """How many answers one person gave to one project (the source of top volunteers, volunteer
    counts and the answers leaderboard)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    contributor_key = models.CharField(max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    n_answers = models.PositiveIntegerField(default=0)
    last_answer = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "crowdfold_stats_contributor"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "contributor_key"], name="stats_contributor_one_per_person"
            )
        ]
        indexes = [
            models.Index(fields=["project", "-n_answers"], name="stats_contributor_top_idx"),
            models.Index(fields=["user"], name="stats_contributor_user_idx"),
        ]


class LeaderboardEntry(models.Model):
    """A materialised leaderboard row. ``board`` is "" for answers, else a key of ``User.info``
    listed in ``LEADERBOARDS``. ``rank`` is computed by the database (row_number over score)."""

    board = models.CharField(max_length=100, blank=True, default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    rank = models.PositiveIntegerField(null=True)

    class Meta:
        db_table = "crowdfold_leaderboard"
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="leaderboard_one_per_user")
        ]
        indexes = [models.Index(fields=["board", "rank"], name="leaderboard_rank_idx")]
