"""Periodic jobs (PYBOSSA's scheduled jobs), run by the consumer's scheduler.

Each job is a plain service function (callable from tests and the CLI) wrapped in a Huey periodic
task. Seams for other domains: ``register("stats", fn)`` and ``register("autoimport", fn)`` add
work to the stats/leaderboard refresh and the autoimporter.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from crowdfold.accounts.models import User
from crowdfold.ops import mail
from crowdfold.ops.cache import invalidate_on_commit
from crowdfold.ops.jobs import remind_failed_jobs
from crowdfold.ops.models import NewsItem, ProjectInactivityWarning
from crowdfold.projects.models import Project
from crowdfold.tasks.models import Task, TaskRun, TaskState

log = logging.getLogger(__name__)

_hooks: dict[str, list[Callable[[], object]]] = {"stats": [], "autoimport": []}
WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]


def register(kind: str, fn: Callable[[], object]) -> None:
    """Add ``fn`` to the periodic ``kind`` ("stats" or "autoimport"). Call from AppConfig.ready."""
    if fn not in _hooks[kind]:
        _hooks[kind].append(fn)


def run_hooks(kind: str) -> int:
    """Run every registered hook of ``kind``; one failing hook does not stop the others."""
    ran = 0
    for fn in list(_hooks[kind]):
        try:
            fn()
            ran += 1
        except Exception:  # noqa: BLE001
            log.exception("Periodic %s hook %s failed", kind, getattr(fn, "__name__", fn))
    return ran


def weekday_number(name: str) -> int:
    """Huey's crontab day number (0 = Sunday) of a weekday name such as "Tuesday"."""
    try:
        return WEEKDAYS.index(name.strip().lower())
    except ValueError as exc:
        raise ValueError(f"WEEKLY_UPDATE_STATS={name!r} is not a weekday name") from exc


def parse_period(text: str) -> timedelta:
    """``"1 month"``, ``"2 weeks"``, ``"30 days"`` -> timedelta (a month counts as 30 days)."""
    match = re.fullmatch(r"\s*(\d+)\s*(day|week|month)s?\s*", str(text).lower())
    if not match:
        raise ValueError(f"{text!r} is not a period like '1 month' or '30 days'")
    n, unit = int(match.group(1)), match.group(2)
    return timedelta(days=n * {"day": 1, "week": 7, "month": 30}[unit])


# --- Weekly stats to pro owners ---------------------------------------------------------------------
def project_week_stats(project: Project, now) -> dict:
    week_ago = now - timedelta(days=7)
    runs = TaskRun.objects.filter(project_id=project.pk)
    return {
        "name": project.name,
        "short_name": project.short_name,
        "n_tasks": Task.objects.filter(project_id=project.pk).count(),
        "n_completed": Task.objects.filter(
            project_id=project.pk, state=TaskState.COMPLETED
        ).count(),
        "n_task_runs_week": runs.filter(finish_time__gte=week_ago).count(),
        "n_volunteers_week": runs.filter(finish_time__gte=week_ago)
        .values("contributor_key")
        .distinct()
        .count(),
    }


def send_weekly_stats(now=None) -> int:
    """Mail every pro owner a summary of their projects' last week. Returns mails queued."""
    now = now or timezone.now()
    sent = 0
    owners = (
        User.objects.filter(is_active=True, pro=True)
        .filter(Q(created_projects__isnull=False) | Q(owned_projects__isnull=False))
        .distinct()
    )
    for owner in owners.iterator():
        projects = Project.objects.filter(Q(owner=owner) | Q(owners=owner)).distinct()
        stats = [project_week_stats(p, now) for p in projects]
        mail.queue_user_mail(owner, "weekly_stats", {"projects": stats}, notification=True)
        sent += 1
    return sent


# --- Inactive projects ---------------------------------------------------------------------------
def _last_activity_by_project(projects) -> dict[int, datetime]:
    latest = dict(
        TaskRun.objects.filter(project__in=projects)
        .values("project_id")
        .annotate(last=Max("finish_time"))
        .values_list("project_id", "last")
    )
    return {p.pk: max(filter(None, [latest.get(p.pk), p.created])) for p in projects}


def warn_and_unpublish_inactive_projects(now=None) -> tuple[int, int]:
    """Warn owners of published projects idle for ``UNPUBLISH_AFTER_MONTHS``; unpublish those
    still idle ``UNPUBLISH_GRACE_DAYS`` after the warning. Returns (warned, unpublished)."""
    if not settings.UNPUBLISH_PROJECTS:
        return (0, 0)
    now = now or timezone.now()
    idle_since = now - timedelta(days=30 * settings.UNPUBLISH_AFTER_MONTHS)
    projects = list(Project.objects.filter(published=True).select_related("owner"))
    activity = _last_activity_by_project(projects)
    warnings = {
        w.project_id: w for w in ProjectInactivityWarning.objects.filter(project__in=projects)
    }
    warned = unpublished = 0
    for project in projects:
        last = activity[project.pk]
        warning = warnings.get(project.pk)
        if warning is not None and last > warning.warned_at:
            warning.delete()  # active again since the warning: start over
            warning = None
        if last > idle_since:
            continue
        if warning is None:
            ProjectInactivityWarning.objects.create(project=project, warned_at=now)
            Project.objects.filter(pk=project.pk).update(contacted=True)
            for owner in User.objects.filter(pk__in=project.owner_ids(), is_active=True):
                mail.queue_user_mail(
                    owner,
                    "project_inactive",
                    {"project_name": project.name, "grace_days": settings.UNPUBLISH_GRACE_DAYS},
                )
            warned += 1
        elif warning.warned_at <= now - timedelta(days=settings.UNPUBLISH_GRACE_DAYS):
            Project.objects.filter(pk=project.pk).update(published=False)
            invalidate_on_commit("projects", f"project:{project.pk}")  # update() sends no signal
            warning.delete()
            unpublished += 1
    return (warned, unpublished)


# --- Inactive accounts ---------------------------------------------------------------------------
def _deletable_users():
    """Accounts the inactivity jobs may touch: never admins, restricted users or project owners."""
    return User.objects.filter(is_active=True, is_superuser=False, restrict=False).exclude(
        Q(created_projects__isnull=False) | Q(owned_projects__isnull=False)
    )


def _last_activity(user: User) -> datetime:
    last_run = TaskRun.objects.filter(user_id=user.pk).aggregate(last=Max("finish_time"))["last"]
    return max(filter(None, [user.date_joined, user.last_login, last_run]))


def warn_inactive_users(now=None) -> int:
    """Warn accounts idle for ``USER_INACTIVE_NOTIFICATION`` months that they will be deleted."""
    now = now or timezone.now()
    idle_since = now - timedelta(days=30 * settings.USER_INACTIVE_NOTIFICATION)
    delete_after = parse_period(settings.USER_DELETE_AFTER_NOTIFICATION)
    warned = 0
    candidates = _deletable_users().filter(
        Q(last_login__isnull=True) | Q(last_login__lte=idle_since), date_joined__lte=idle_since
    )
    for user in candidates.iterator():
        last = _last_activity(user)
        if last > idle_since or (user.notified_at and user.notified_at >= last):
            continue
        User.objects.filter(pk=user.pk).update(notified_at=now)
        mail.queue_user_mail(user, "account_inactive", {"delete_after_days": delete_after.days})
        warned += 1
    return warned


def delete_warned_users(now=None) -> int:
    """Delete accounts warned ``USER_DELETE_AFTER_NOTIFICATION`` ago and idle since the warning."""
    from crowdfold.accounts import services

    now = now or timezone.now()
    cutoff = now - parse_period(settings.USER_DELETE_AFTER_NOTIFICATION)
    deleted = 0
    for user in _deletable_users().filter(notified_at__lte=cutoff).iterator():
        if _last_activity(user) > user.notified_at:
            continue
        delete = getattr(services, "delete_account", None)
        if delete is not None:
            delete(user)  # anonymises contributions, removes personal data
        else:
            user.delete()
        deleted += 1
    return deleted


# --- News feeds ------------------------------------------------------------------------------------
_ATOM = "{http://www.w3.org/2005/Atom}"


def _parse_feed(xml_text: bytes) -> list[dict]:
    root = ET.fromstring(xml_text)
    items = []
    for entry in root.iter(f"{_ATOM}entry"):
        link = entry.find(f"{_ATOM}link")
        items.append(
            {
                "guid": (entry.findtext(f"{_ATOM}id") or "").strip(),
                "title": (entry.findtext(f"{_ATOM}title") or "").strip(),
                "link": link.get("href", "") if link is not None else "",
                "updated": parse_datetime((entry.findtext(f"{_ATOM}updated") or "").strip()),
            }
        )
    for item in root.iter("item"):  # RSS 2.0
        items.append(
            {
                "guid": (item.findtext("guid") or item.findtext("link") or "").strip(),
                "title": (item.findtext("title") or "").strip(),
                "link": (item.findtext("link") or "").strip(),
                "updated": None,
            }
        )
    return [i for i in items if i["guid"] and i["title"]]


def fetch_news(urls: list[str] | None = None) -> int:
    """Fetch the ``NEWS_URL`` Atom/RSS feeds into ``NewsItem``. Returns entries stored."""
    from crowdfold.lib.urlsafety import safe_request

    stored = 0
    for url in settings.NEWS_URL if urls is None else urls:
        try:
            response = safe_request("GET", url, timeout=(5, 15))
            response.raise_for_status()
            entries = _parse_feed(response.content[:2_000_000])
        except Exception:  # noqa: BLE001 - one bad feed must not hide the others
            log.warning("Could not fetch news feed %s", url, exc_info=True)
            continue
        for entry in entries[:50]:
            NewsItem.objects.update_or_create(
                feed_url=url,
                guid=entry["guid"][:500],
                defaults={
                    "title": entry["title"][:500],
                    "link": entry["link"],
                    "updated": entry["updated"],
                    "fetched_at": timezone.now(),
                },
            )
            stored += 1
    return stored


# --- The schedule ---------------------------------------------------------------------------------
@db_periodic_task(crontab(minute="*"))
def release_reservations_job():
    from crowdfold.ops.webhooks import requeue_stranded_deliveries
    from crowdfold.tasks.scheduling import release_expired_reservations

    release_expired_reservations()
    requeue_stranded_deliveries()


@db_periodic_task(crontab(minute=f"*/{max(1, settings.STATS_REFRESH_MINUTES)}"))
def refresh_stats_job():
    run_hooks("stats")


@db_periodic_task(crontab(minute="*/10"))
def webhook_reconcile_job():
    from crowdfold.ops.webhooks import record_missing_events

    record_missing_events()


@db_periodic_task(crontab(minute="7"))
def autoimport_job():
    run_hooks("autoimport")


@db_periodic_task(crontab(minute="17"))
def news_job():
    fetch_news()


@db_periodic_task(
    crontab(minute="0", hour="8", day_of_week=str(weekday_number(settings.WEEKLY_UPDATE_STATS)))
)
def weekly_stats_job():
    send_weekly_stats()


@db_periodic_task(crontab(minute="30", hour="3"))
def daily_housekeeping_job():
    warn_and_unpublish_inactive_projects()
    warn_inactive_users()
    delete_warned_users()
    remind_failed_jobs()
