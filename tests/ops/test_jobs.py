"""Background jobs: retries, failure records mailed to ADMINS with reminders, the admin page, and
the periodic jobs (weekly stats, inactive projects and accounts, reservations, news, seams)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from crowdfold.accounts.models import User
from crowdfold.accounts.services import create_user
from crowdfold.ops import periodic
from crowdfold.ops.jobs import remind_failed_jobs
from crowdfold.ops.models import FailedJob, NewsItem
from crowdfold.projects.models import Project
from crowdfold.tasks.models import Task, TaskReservation, TaskRun
from tests.conftest import make_tasks
from tests.ops.sample_jobs import always_fails

ADMINS = [("Ops", "ops@example.org")]


def test_a_job_failing_after_its_retries_is_recorded_and_mailed_to_admins(
    jobs, settings, mailoutbox
):
    settings.ADMINS = ADMINS
    always_fails("m1")
    failed = FailedJob.objects.get()
    assert failed.task_name.endswith("always_fails")
    assert "sample failure m1" in failed.error
    assert "m1" in failed.arguments
    assert failed.mailed_at is not None
    (mail,) = mailoutbox  # retries do not mail, only the final failure
    assert mail.to == ["ops@example.org"]
    assert "always_fails" in mail.subject


def test_admins_are_reminded_of_unresolved_failures_after_failed_jobs_mails_days(
    jobs, settings, mailoutbox
):
    settings.ADMINS = ADMINS
    settings.FAILED_JOBS_MAILS = 7
    always_fails("m2")
    failed = FailedJob.objects.get()
    assert remind_failed_jobs() == 0
    later = timezone.now() + timedelta(days=7, minutes=1)
    assert remind_failed_jobs(now=later) == 1
    assert "Reminder" in mailoutbox[-1].subject
    FailedJob.objects.filter(pk=failed.pk).update(resolved=True)
    assert remind_failed_jobs(now=later + timedelta(days=8)) == 0


def test_admins_see_failed_jobs_in_the_admin_and_others_do_not(jobs, admin, volunteer):
    always_fails("m3")
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/ops/failedjob/")
    assert page.status_code == 200
    assert b"always_fails" in page.content
    client.force_login(volunteer)
    assert client.get("/admin/ops/failedjob/").status_code == 302


def test_weekly_stats_go_to_pro_owners_only(jobs, project, owner, outsider, mailoutbox):
    User.objects.filter(pk=owner.pk).update(pro=True, locale="es")
    User.objects.filter(pk=outsider.pk).update(pro=True)  # pro but owns nothing
    make_tasks(project, 3, n_answers=1)
    assert periodic.send_weekly_stats() == 1
    (mail,) = mailoutbox
    assert mail.to == [owner.email]
    assert project.name in mail.body
    assert "0/3" in mail.body
    assert "/account/unsubscribe/" in mail.body


def test_weekly_stats_day_is_pybossas_weekday_name():
    assert periodic.weekday_number("Sunday") == 0
    assert periodic.weekday_number("tuesday") == 2
    with pytest.raises(ValueError):
        periodic.weekday_number("Someday")


def test_inactive_projects_are_warned_then_unpublished(jobs, project, owner, mailoutbox, settings):
    settings.UNPUBLISH_GRACE_DAYS = 30
    now = timezone.now() + timedelta(days=100)
    assert periodic.warn_and_unpublish_inactive_projects(now=now) == (1, 0)
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert periodic.warn_and_unpublish_inactive_projects(now=now + timedelta(days=10)) == (0, 0)
    assert periodic.warn_and_unpublish_inactive_projects(now=now + timedelta(days=31)) == (0, 1)
    project.refresh_from_db()
    assert project.published is False
    assert project.contacted is True


def test_a_project_that_gets_answers_after_the_warning_stays_published(
    jobs, api, answer_all, project, volunteer, settings
):
    make_tasks(project, 1, n_answers=1)
    now = timezone.now() + timedelta(days=100)
    periodic.warn_and_unpublish_inactive_projects(now=now)
    answer_all(project, [volunteer])
    TaskRun.objects.update(finish_time=now + timedelta(days=1))
    assert periodic.warn_and_unpublish_inactive_projects(now=now + timedelta(days=31)) == (0, 0)
    project.refresh_from_db()
    assert project.published is True


def test_unpublish_projects_false_turns_the_job_off(jobs, project, settings):
    settings.UNPUBLISH_PROJECTS = False
    later = timezone.now() + timedelta(days=400)
    assert periodic.warn_and_unpublish_inactive_projects(now=later) == (0, 0)


def test_inactive_accounts_are_warned_then_deleted_but_never_owners_or_restricted(
    jobs, owner, project, volunteer, outsider, mailoutbox, settings
):
    settings.USER_INACTIVE_NOTIFICATION = 5
    settings.USER_DELETE_AFTER_NOTIFICATION = "1 month"
    restricted = create_user("quiet", "quiet@example.org", "quiet-pass-123")
    User.objects.filter(pk=restricted.pk).update(restrict=True)
    now = timezone.now() + timedelta(days=160)

    assert periodic.warn_inactive_users(now=now) == 2  # volunteer and outsider
    assert sorted(m.to[0] for m in mailoutbox) == [outsider.email, volunteer.email]
    assert periodic.warn_inactive_users(now=now + timedelta(days=1)) == 0  # warned once
    assert periodic.delete_warned_users(now=now + timedelta(days=10)) == 0  # too early
    assert periodic.delete_warned_users(now=now + timedelta(days=31)) == 2
    remaining = set(User.objects.values_list("username", flat=True))
    assert {"owner", "quiet", "admin"} <= remaining
    assert not remaining & {"volunteer", "outsider"}
    assert Project.objects.filter(pk=project.pk).exists()


def test_an_account_that_signs_in_after_the_warning_is_kept(jobs, volunteer, settings):
    now = timezone.now() + timedelta(days=160)
    assert periodic.warn_inactive_users(now=now) >= 1
    User.objects.filter(pk=volunteer.pk).update(last_login=now + timedelta(days=2))
    periodic.delete_warned_users(now=now + timedelta(days=40))
    assert User.objects.filter(pk=volunteer.pk).exists()


def test_the_reservation_job_releases_expired_reservations(jobs, api, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    assert api(volunteer).get(f"/api/project/{project.pk}/newtask").json()["id"] == task.pk
    TaskReservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    periodic.release_reservations_job.call_local()
    assert TaskReservation.objects.count() == 0
    assert Task.objects.get(pk=task.pk).n_reserved == 0


def test_stats_and_autoimport_seams_run_every_registered_hook(jobs):
    calls = []

    def refresh():
        calls.append("stats")

    def broken():
        raise RuntimeError("a broken hook")

    periodic.register("stats", broken)
    periodic.register("stats", refresh)
    try:
        periodic.refresh_stats_job.call_local()
        assert calls == ["stats"]
    finally:
        # Only this test's hooks: apps register theirs at start-up (stats registers refresh_all).
        for hook in (broken, refresh):
            periodic._hooks["stats"].remove(hook)


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>
<entry><id>tag:example,1</id><title>Crowdfold 1.0</title><link href="https://example.org/1"/>
<updated>2026-01-02T03:04:05Z</updated></entry>
<entry><id>tag:example,2</id><title>Second</title><link href="https://example.org/2"/></entry>
</feed>"""


def test_news_feeds_are_fetched_for_the_admin_dashboard(
    jobs, receiver, allow_private_urls, settings
):
    receiver.responses = [(200, ATOM), (200, ATOM)]
    settings.NEWS_URL = [receiver.url]
    assert periodic.fetch_news() == 2
    assert periodic.fetch_news() == 2  # refreshed, not duplicated
    assert list(NewsItem.objects.order_by("guid").values_list("title", flat=True)) == [
        "Crowdfold 1.0",
        "Second",
    ]


def test_a_news_feed_on_a_private_address_is_not_fetched(jobs, receiver, settings):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    assert periodic.fetch_news([receiver.url]) == 0
    assert receiver.requests == []
