"""Shape the precomputed rows into what the statistics pages show. A fixed handful of small
queries per page, whatever the size of the project."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from crowdfold.accounts.models import User
from crowdfold.ops.cache import remember
from crowdfold.projects.models import Project
from crowdfold.stats import charts
from crowdfold.stats.models import ContributorCount, DailyCount, HourlyCount, ProjectStats

DAYS_SHOWN = 30
RATE_WINDOW_DAYS = 7


def privacy_enforced() -> bool:
    return bool(getattr(settings, "ENFORCE_PRIVACY", False))


@dataclass
class ProjectReport:
    stats: ProjectStats
    daily: list[tuple[date, int, int]]
    hourly: list[tuple[int, int, int]]
    top_volunteers: list[dict]
    eta: datetime | None
    answers_per_day: float
    charts: dict = field(default_factory=dict)


def project_report(project: Project, show_people: bool = True) -> ProjectReport:
    stats = ProjectStats.objects.filter(project=project).first() or ProjectStats(project=project)
    today = (stats.counted_until or timezone.now()).date()
    first_day = today - timedelta(days=DAYS_SHOWN - 1)
    by_day = {
        row.day: row
        for row in DailyCount.objects.filter(project=project, day__gte=first_day, day__lte=today)
    }
    daily = []
    for offset in range(DAYS_SHOWN):
        day = first_day + timedelta(days=offset)
        row = by_day.get(day)
        daily.append((day, row.n_answers if row else 0, row.n_anonymous if row else 0))
    by_hour = {row.hour: row for row in HourlyCount.objects.filter(project=project)}
    hourly = [
        (
            h,
            by_hour[h].n_answers if h in by_hour else 0,
            by_hour[h].n_anonymous if h in by_hour else 0,
        )
        for h in range(24)
    ]
    recent = sum(n for _, n, _ in daily[-RATE_WINDOW_DAYS:]) / RATE_WINDOW_DAYS
    eta = None
    if stats.n_answers_needed and recent > 0:
        eta = (stats.counted_until or timezone.now()) + timedelta(
            days=stats.n_answers_needed / recent
        )
    top = _top_volunteers(project) if show_people else []
    report = ProjectReport(stats, daily, hourly, top, eta, recent)
    report.charts = {
        "daily": charts.bar_chart(
            _("Answers per day (last 30 days)"),
            [(date_format(d, "M d"), n, a) for d, n, a in daily],
            label_every=5,
        ),
        "hourly": charts.bar_chart(
            _("Answers per hour of the day (UTC)"),
            [(f"{h:02d}", n, a) for h, n, a in hourly],
            label_every=3,
        ),
        "volunteers": charts.share_bar(
            _("Volunteers"),
            [
                (_("Registered"), stats.n_registered),
                (_("Anonymous"), stats.n_anonymous),
                (_("External"), stats.n_external),
            ],
        ),
    }
    return report


def _top_volunteers(project: Project, limit: int = 5) -> list[dict]:
    rows = (
        ContributorCount.objects.filter(project=project, user__isnull=False, user__restrict=False)
        .select_related("user")
        .order_by("-n_answers", "user_id")[:limit]
    )
    return [{"user": row.user, "answers": row.n_answers} for row in rows]


def _n_anonymous_volunteers() -> int:
    return (
        ContributorCount.objects.filter(contributor_key__startswith="ip:")
        .values("contributor_key")
        .distinct()
        .count()
    )


def site_report() -> dict:
    """Site-wide figures, summed from the per-project rows (bounded by the number of projects)."""
    totals = ProjectStats.objects.aggregate(
        tasks=Sum("n_tasks"),
        completed=Sum("n_completed_tasks"),
        answers=Sum("n_task_runs"),
        anonymous_answers=Sum("n_anonymous_runs"),
    )
    projects = {
        "n_published": Project.objects.filter(published=True).count(),
        "n_drafts": remember(
            "stats:n_drafts",
            "STATS_DRAFT_TIMEOUT",
            Project.objects.filter(published=False).count,
            scopes=("projects",),
        ),
    }
    since = timezone.now().date() - timedelta(days=DAYS_SHOWN - 1)
    per_day = dict(
        DailyCount.objects.filter(day__gte=since)
        .values("day")
        .annotate(n=Sum("n_answers"), a=Sum("n_anonymous"))
        .order_by()
        .values_list("day", "n")
    )
    days = [since + timedelta(days=i) for i in range(DAYS_SHOWN)]
    yesterday = timezone.now() - timedelta(days=1)
    top_projects = (
        ContributorCount.objects.filter(last_answer__gte=yesterday, project__published=True)
        .values("project__short_name", "project__name")
        .annotate(volunteers=Count("id"), last=Max("last_answer"))
        .order_by("-volunteers")[:5]
    )
    return {
        "n_users": remember(
            "stats:n_users", "REGISTERED_USERS_TIMEOUT", User.objects.count, scopes=("users",)
        ),
        "n_anonymous": remember(
            "stats:n_anonymous", "ANON_USERS_TIMEOUT", _n_anonymous_volunteers, scopes=("stats",)
        ),
        "projects": projects,
        "totals": {k: v or 0 for k, v in totals.items()},
        "top_projects": list(top_projects),
        "chart": charts.bar_chart(
            _("Answers per day, all projects (last 30 days)"),
            [(date_format(d, "M d"), per_day.get(d, 0), 0) for d in days],
            label_every=5,
        ),
    }
