"""Webhooks: PYBOSSA's ``task_completed`` POST to the project's webhook URL (pybossa-api.md §2.8).

The answer path stays free: the ``task_completed`` receiver (sent after commit) only queues a job.
The job records a ``WebhookDelivery`` and makes the first attempt; a failed attempt schedules the
next one after ``WEBHOOK_BACKOFF`` seconds, doubling, up to ``WEBHOOK_MAX_ATTEMPTS``. Every attempt
is logged. Owners list deliveries and re-send one, all, or the failed ones (``?rerun=True``).
Requests go through ``crowdfold.lib.urlsafety``: never to private addresses unless allowed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.utils import timezone

from crowdfold.lib.urlsafety import UnsafeURL, safe_request
from crowdfold.ops.jobs import job
from crowdfold.ops.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from crowdfold.projects.models import Project

log = logging.getLogger(__name__)

EXCERPT = 1000  # characters of the receiver's answer we keep


def payload_for(project: Project, task_id: int, result_id: int, fired_at) -> dict:
    return {
        "event": "task_completed",
        "project_short_name": project.short_name,
        "project_id": project.pk,
        "task_id": task_id,
        "result_id": result_id,
        "fired_at": fired_at.strftime("%Y-%m-%d %H:%M:%S"),
    }


def on_task_completed(sender, task, result, project_id, **kwargs) -> None:
    """Receiver of ``crowdfold.tasks.answers.task_completed``: queue the event if there is a hook."""
    project = task.project if "project" in task._state.fields_cache else None
    url = (
        project.webhook
        if project is not None
        else (Project.objects.filter(pk=project_id).values_list("webhook", flat=True).first())
    )
    if not url:
        return
    fired_at = timezone.now()
    try:
        webhook_event_job(project_id, task.pk, result.pk, fired_at.isoformat())
    except Exception as exc:  # noqa: BLE001 - the answer is committed; it must be acknowledged
        # The job queue (Redis) is away. Keep the event in the database instead; the periodic
        # sweep queues it once the queue is back (requeue_stranded_deliveries).
        log.warning("Job queue unavailable, webhook of task %s kept for later: %s", task.pk, exc)
        WebhookDelivery.objects.create(
            project_id=project_id,
            result_id=result.pk,
            url=url,
            payload=payload_for(
                Project(pk=project_id, short_name=_short_name(task, project_id)),
                task.pk,
                result.pk,
                fired_at,
            ),
        )


def _short_name(task, project_id: int) -> str:
    if "project" in task._state.fields_cache:
        return task.project.short_name
    return Project.objects.filter(pk=project_id).values_list("short_name", flat=True).first()


STRANDED_AFTER = 60  # seconds; a delivery makes its first attempt in the job that creates it


RECONCILE_WINDOW = timedelta(days=1)


def record_missing_events(now=None) -> int:
    """The safety net: a task completed in the last day (over ``WEBHOOK_RECONCILE_AFTER`` seconds
    ago) in a project with a webhook, whose event was never recorded -- the web process died between committing the answer
    and queuing the job, or the job itself failed -- gets its delivery now. Returns how many."""
    from crowdfold.tasks.models import Result

    now = now or timezone.now()
    since = now - RECONCILE_WINDOW
    until = now - timedelta(seconds=settings.WEBHOOK_RECONCILE_AFTER)
    hooked = dict(Project.objects.exclude(webhook="").values_list("pk", "short_name"))
    results = Result.objects.filter(
        project_id__in=hooked, last_version=True, created__gte=since, created__lt=until
    ).values_list("pk", "task_id", "project_id")
    recorded = set(
        WebhookDelivery.objects.filter(project_id__in=hooked, created__gte=since)
        .values_list("result_id", flat=True)
    )  # fmt: skip
    count = 0
    for result_id, task_id, project_id in results.iterator():
        if result_id in recorded:
            continue
        project = Project(pk=project_id, short_name=hooked[project_id])
        delivery = WebhookDelivery.objects.create(
            project_id=project_id,
            result_id=result_id,
            url=Project.objects.filter(pk=project_id).values_list("webhook", flat=True).first(),
            payload=payload_for(project, task_id, result_id, now),
        )
        webhook_attempt_job(delivery.pk)
        count += 1
    if count:
        log.warning("Recorded %s webhook events that had been lost", count)
    return count


def requeue_stranded_deliveries(now=None) -> int:
    """Queue the first attempt of deliveries recorded while the job queue was away (pending, never
    attempted, older than a minute). Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(seconds=STRANDED_AFTER)
    stranded = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, attempts=0, created__lt=cutoff
    )
    ids = list(stranded.values_list("pk", flat=True)[:1000])
    for delivery_id in ids:
        webhook_attempt_job(delivery_id)
    return len(ids)


# Both jobs retry (FAILED_JOBS_RETRIES) when they fail outright -- the database restarting under
# them -- and are safe to re-run: the event job skips an event already recorded; a re-run attempt
# may POST once more (webhooks are at least once, as in PYBOSSA).
@job()
def webhook_event_job(project_id: int, task_id: int, result_id: int, fired_at: str) -> None:
    project = Project.objects.filter(pk=project_id).first()
    if project is None or not project.webhook:
        return
    if WebhookDelivery.objects.filter(result_id=result_id).exists():
        return  # already recorded (record_missing_events got there first): never send it twice
    delivery = WebhookDelivery.objects.create(
        project=project,
        result_id=result_id,
        url=project.webhook,
        payload=payload_for(project, task_id, result_id, datetime.fromisoformat(fired_at)),
    )
    attempt(delivery)


@job()
def webhook_attempt_job(delivery_id: int, rerun: bool = False) -> None:
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).select_related("project").first()
    if delivery is not None:
        attempt(delivery, rerun=rerun)


def _post(url: str, payload: dict, rerun: bool) -> tuple[int | None, str]:
    try:
        response = safe_request(
            "POST",
            url,
            json=payload,
            params={"rerun": "True"} if rerun else None,
            headers={"Accept": "text/plain"},
            timeout=settings.WEBHOOK_TIMEOUT,
            allow_redirects=True,
        )
    except UnsafeURL as exc:
        return None, f"Refused: {exc}"
    except requests.RequestException:
        return None, "Connection Error"
    return response.status_code, response.text[:EXCERPT]


def attempt(delivery: WebhookDelivery, *, rerun: bool = False) -> WebhookAttempt:
    """POST the delivery's payload once, log the attempt, and schedule the next one if it failed."""
    status_code, text = _post(delivery.url, delivery.payload, rerun)
    ok = status_code is not None and 200 <= status_code < 300
    logged = WebhookAttempt.objects.create(
        delivery=delivery, rerun=rerun, status_code=status_code, response=text, ok=ok
    )
    delivery.attempts += 1
    delivery.response_status_code = status_code
    delivery.response = text
    retry = not ok and not rerun and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS
    delivery.status = (
        DeliveryStatus.SUCCESS if ok else DeliveryStatus.PENDING if retry else DeliveryStatus.FAILED
    )
    delivery.save(
        update_fields=["attempts", "response_status_code", "response", "status", "updated"]
    )
    if retry:
        delay = settings.WEBHOOK_BACKOFF * 2 ** (delivery.attempts - 1)
        webhook_attempt_job.schedule((delivery.pk,), delay=delay)
    elif not ok and not rerun and delivery.project.published:
        _mail_admins_about(delivery)
    return logged


def _mail_admins_about(delivery: WebhookDelivery) -> None:
    from crowdfold.ops.mail import mail_admins_now

    mail_admins_now("webhook_failed", {"delivery": delivery, "project": delivery.project})


# --- Owner services ------------------------------------------------------------------------------
def deliveries(project: Project, status: str | None = None):
    qs = WebhookDelivery.objects.filter(project=project)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def resend(delivery: WebhookDelivery) -> None:
    """Queue one more attempt of a delivery, marked as a re-run."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.PENDING)
    webhook_attempt_job(delivery.pk, True)


def resend_many(project: Project, *, failed_only: bool) -> int:
    """Re-send every delivery of a project, or only the failed ones. Returns how many."""
    qs = deliveries(project, DeliveryStatus.FAILED if failed_only else None)
    ids = list(qs.values_list("pk", flat=True))
    for delivery_id in ids:
        WebhookDelivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.PENDING)
        webhook_attempt_job(delivery_id, True)
    return len(ids)
