"""Background jobs on Huey: the ``job`` decorator with Crowdfold's defaults, failure records, and
the mail job. Periodic jobs are in ``periodic.py``, webhook delivery in ``webhooks.py``.

Every job runs with ``FAILED_JOBS_RETRIES`` retries (delay ``CROWDFOLD_JOBS_RETRY_DELAY``, doubled
each time) and a time limit of ``TIMEOUT`` seconds (enforced by the process workers of
``crowdfold worker``). A job that has used up its retries is recorded as a ``FailedJob`` and mailed
to ``ADMINS``.
"""

from __future__ import annotations

import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_task
from huey.signals import SIGNAL_ERROR, SIGNAL_TIMEOUT

log = logging.getLogger(__name__)


def job(**options):
    """Declare a background job (a Huey task that may use the database)."""
    options.setdefault("retries", settings.FAILED_JOBS_RETRIES)
    options.setdefault("retry_delay", settings.JOBS_RETRY_DELAY)
    options.setdefault("retry_backoff", 2)
    options.setdefault("timeout", settings.JOBS_TIMEOUT)
    return db_task(**options)


def queue_ok() -> bool:
    """Can jobs be queued right now? Reads the queue length from the store (for /healthz)."""
    try:
        HUEY.pending_count()
    except Exception:  # noqa: BLE001 - any storage failure means "not ok"
        log.warning("Job queue is not reachable", exc_info=True)
        return False
    return True


@HUEY.pre_execute()
def _fresh_replica_pin(task) -> None:
    # A job that wrote pinned its worker thread to the primary; the next job starts afresh.
    from crowdfold.ops.dbrouter import pin_to_primary

    pin_to_primary(False)


@HUEY.signal(SIGNAL_ERROR, SIGNAL_TIMEOUT)
def _on_job_failure(signal_name, task, exc=None):
    if task.retries:  # it will run again
        return
    try:
        record_failure(
            task.name, task.id, (task.args, task.kwargs), exc, signal_name == SIGNAL_TIMEOUT
        )
    except Exception:  # noqa: BLE001 - the consumer must survive a broken failure handler
        log.exception("Could not record the failure of job %s", task.id)


def record_failure(name: str, task_id: str, arguments, exc, timed_out: bool = False):
    """Store a failed job and mail ADMINS about it."""
    from crowdfold.ops.models import FailedJob

    error = "".join(traceback.format_exception(exc)) if exc is not None else "Time limit exceeded"
    failed = FailedJob.objects.create(
        task_name=name,
        task_id=task_id,
        arguments=repr(arguments)[:4000],
        error=error[:20000],
        timed_out=timed_out,
    )
    _mail_failure(failed, reminder=False)
    return failed


def _mail_failure(failed, *, reminder: bool) -> None:
    from crowdfold.ops.mail import mail_admins_now
    from crowdfold.ops.models import FailedJob

    sent = mail_admins_now("failed_job", {"job": failed, "reminder": reminder})
    if sent:
        FailedJob.objects.filter(pk=failed.pk).update(mailed_at=timezone.now())


def remind_failed_jobs(now=None) -> int:
    """Mail ADMINS again about failed jobs nobody resolved for ``FAILED_JOBS_MAILS`` days."""
    from crowdfold.ops.models import FailedJob

    now = now or timezone.now()
    due = FailedJob.objects.filter(
        resolved=False, mailed_at__lte=now - timedelta(days=settings.FAILED_JOBS_MAILS)
    )
    count = 0
    for failed in due.iterator():
        _mail_failure(failed, reminder=True)
        count += 1
    return count


@job()
def send_user_mail(user_id: int, name: str, context: dict, notification: bool = False) -> bool:
    from crowdfold.accounts.models import User
    from crowdfold.ops.mail import mail_user_now

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    return mail_user_now(user, name, context, notification=notification)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue a job once the surrounding transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: task(*args, **kwargs))
