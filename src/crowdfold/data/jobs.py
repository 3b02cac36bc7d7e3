"""Background imports and the autoimporter.

``run_import_job`` is a plain function (callable from tests, the CLI and the Huey job below) that
imports a job's source, publishes progress through the cache (the import itself is one transaction,
so progress written to the job row would stay invisible until the end) and mails the owner when done.
``autoimport_all`` re-runs every saved source; duplicates are skipped, so only new rows land.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import timezone

from crowdfold.data.importers.base import SourceError
from crowdfold.data.importers.files import FileSource
from crowdfold.data.importers.urls import source_from_spec
from crowdfold.data.models import AutoImporter, ImportJob, JobState
from crowdfold.data.services import ImportOptions, ImportReport, import_tasks
from crowdfold.lib.errors import DomainError
from crowdfold.ops.jobs import job

log = logging.getLogger(__name__)
PROGRESS_TTL = 24 * 3600


def progress_key(job_id: int) -> str:
    return f"crowdfold:import-job:{job_id}:rows"


def options_from(data: dict) -> ImportOptions:
    return ImportOptions(
        batch=data.get("batch"),
        meta=[tuple(p) for p in data.get("meta") or []],
        n_answers=data.get("n_answers"),
        priority=data.get("priority"),
        allow_duplicates=bool(data.get("allow_duplicates")),
    )


def _source(spec: dict):
    if spec.get("type") == "file":
        return FileSource(spec["path"], spec.get("format"))
    return source_from_spec(spec)


def run_import_job(job_id: int) -> ImportJob:
    """Run one queued import to the end; the job row records the outcome either way."""
    record = ImportJob.objects.select_related("project", "user").get(pk=job_id)
    if record.state != JobState.QUEUED:
        return record
    ImportJob.objects.filter(pk=job_id).update(state=JobState.RUNNING)

    def progress(rows: int, done: int, total: int | None) -> None:
        cache.set(progress_key(job_id), rows, PROGRESS_TTL)

    try:
        report = import_tasks(
            record.project, [_source(record.source)], options_from(record.options), progress
        )
    except (SourceError, DomainError) as exc:
        _finish(record, JobState.FAILED, error=str(exc))
    except Exception as exc:  # a job must always end in a recorded state
        log.exception("import job %s failed", job_id)
        _finish(record, JobState.FAILED, error=f"internal error: {exc.__class__.__name__}")
    else:
        _finish(record, JobState.DONE, report=report)
    finally:
        if record.source.get("type") == "file" and record.source.get("temporary"):
            _remove(record.source["path"])
    return record


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def _finish(
    record: ImportJob, state: str, report: ImportReport | None = None, error: str = ""
) -> None:
    record.state = state
    record.error = error
    record.finished = timezone.now()
    if report is not None:
        record.rows_read, record.n_created, record.n_duplicates = (
            report.rows,
            report.created,
            report.duplicates,
        )
    record.save(
        update_fields=["state", "error", "finished", "rows_read", "n_created", "n_duplicates"]
    )
    cache.delete(progress_key(record.pk))
    _mail_owner(record)


def _mail_owner(record: ImportJob) -> None:
    user = record.user or record.project.owner
    if not user or not user.email:
        return
    project = record.project.short_name
    if record.state == JobState.DONE:
        subject = f"{record.n_created} new tasks were imported into {project}"
        body = (
            f"Your import into {project} finished: {record.n_created} new tasks, "
            f"{record.n_duplicates} duplicates skipped, {record.rows_read} rows read."
        )
    else:
        subject = f"Your import into {project} failed"
        body = f"Nothing was imported into {project}: {record.error}"
    _mail(user, subject, body, f"import job {record.pk}")


@job()
def import_job(job_id: int) -> None:
    run_import_job(job_id)


def enqueue_import(project, user, source: dict, options: dict) -> ImportJob:
    """Record a background import and queue it (it runs once the current transaction commits)."""
    from crowdfold.ops.jobs import enqueue_on_commit

    record = ImportJob.objects.create(project=project, user=user, source=source, options=options)
    enqueue_on_commit(import_job, record.pk)
    return record


def job_status(record: ImportJob) -> dict:
    rows = record.rows_read
    if record.state in (JobState.QUEUED, JobState.RUNNING):
        rows = cache.get(progress_key(record.pk), rows)
    return {
        "id": record.pk,
        "project_id": record.project_id,
        "state": record.state,
        "rows_read": rows,
        "created": record.n_created,
        "duplicates": record.n_duplicates,
        "error": record.error or None,
        "source": {k: v for k, v in record.source.items() if k not in ("path", "temporary")},
    }


def set_autoimporter(project, source: dict, options: dict | None = None) -> AutoImporter:
    """Save (or replace) the project's autoimporter source; validated by building the source."""
    if source.get("type") == "file":
        raise SourceError("the autoimporter needs a URL source")
    source_from_spec(source)
    auto, _ = AutoImporter.objects.update_or_create(
        project=project, defaults={"source": source, "options": options or {}}
    )
    return auto


def run_autoimporter(auto: AutoImporter) -> int:
    """Import what is new at the saved source (duplicates skipped); returns tasks created."""
    options = options_from({**auto.options, "allow_duplicates": False, "batch": None, "meta": []})
    auto.last_run = timezone.now()
    try:
        report = import_tasks(auto.project, [source_from_spec(auto.source)], options)
    except (SourceError, DomainError) as exc:
        auto.last_error, auto.last_created = str(exc), 0
    else:
        auto.last_error, auto.last_created = "", report.created
    auto.save(update_fields=["last_run", "last_error", "last_created"])
    return auto.last_created


def autoimport_all() -> int:
    """The periodic autoimport: every saved source once. Returns the number of tasks created."""
    from crowdfold.lib.features import feature_available

    autos = AutoImporter.objects.select_related("project__owner")
    # A pro-only autoimporter (PRO_FEATURES) runs for pro owners only, as in PYBOSSA.
    return sum(
        run_autoimporter(a) for a in autos if feature_available("autoimporter", a.project.owner)
    )


# --- CKAN pushes ----------------------------------------------------------------------------------


def ckan_progress_key(push_id: int) -> str:
    return f"crowdfold:ckan-push:{push_id}:progress"


def enqueue_ckan_push(project, user, api_key: str):
    """Record a push to CKAN and queue it (it runs once the current transaction commits)."""
    from crowdfold.data.ckan import ckan_configured
    from crowdfold.data.models import CkanPush
    from crowdfold.lib.errors import BadRequest
    from crowdfold.ops.jobs import enqueue_on_commit

    if not ckan_configured():
        raise BadRequest("CKAN is not configured on this server (CKAN_URL is empty)")
    if not api_key.strip():
        raise BadRequest("a CKAN API key is needed (give one, or store it on your account)")
    record = CkanPush.objects.create(project=project, user=user, api_key=api_key.strip())
    enqueue_on_commit(ckan_push_job, record.pk)
    return record


def run_ckan_push(push_id: int):
    """Run one queued push to the end; the record says how it ended and the owner gets a mail."""
    from crowdfold.data.ckan import push_project
    from crowdfold.data.models import CkanPush

    record = CkanPush.objects.select_related("project", "user").get(pk=push_id)
    if record.state != JobState.QUEUED:
        return record
    CkanPush.objects.filter(pk=push_id).update(state=JobState.RUNNING)

    def progress(stage: str, rows: int) -> None:
        cache.set(ckan_progress_key(push_id), {"stage": stage, "rows": rows}, PROGRESS_TTL)

    try:
        report = push_project(record.project, record.api_key, progress)
    except DomainError as exc:
        record.state, record.error = JobState.FAILED, exc.message
    except Exception as exc:  # a job must always end in a recorded state
        log.exception("CKAN push %s failed", push_id)
        record.state, record.error = JobState.FAILED, f"internal error: {exc.__class__.__name__}"
    else:
        record.state, record.dataset_url = JobState.DONE, report.dataset_url
        record.rows = sum(report.rows.values())
    record.api_key, record.stage, record.finished = "", "", timezone.now()
    record.save(
        update_fields=["state", "error", "dataset_url", "rows", "api_key", "stage", "finished"]
    )
    cache.delete(ckan_progress_key(push_id))
    _mail_ckan_result(record)
    return record


def _mail(user, subject: str, body: str, what: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # noqa: BLE001 - the job is over; a mail failure must not change its outcome
        log.warning("could not mail the owner about %s", what, exc_info=True)


def _mail_ckan_result(record) -> None:
    user = record.user or record.project.owner
    if not user or not user.email:
        return
    project = record.project.short_name
    if record.state == JobState.DONE:
        subject = f"{project} was pushed to {settings.CKAN_NAME}"
        body = f"The tasks, answers and results of {project} are at {record.dataset_url}"
    else:
        subject = f"Pushing {project} to {settings.CKAN_NAME} failed"
        body = f"Nothing new reached {settings.CKAN_NAME}: {record.error}"
    _mail(user, subject, body, f"CKAN push {record.pk}")


@job(retries=0)
def ckan_push_job(push_id: int) -> None:
    run_ckan_push(push_id)


def ckan_status(record) -> dict:
    """What the owner's page shows: state, the resource being written and rows so far."""
    live = {}
    if record.state in (JobState.QUEUED, JobState.RUNNING):
        live = cache.get(ckan_progress_key(record.pk)) or {}
    return {
        "id": record.pk,
        "state": record.state,
        "stage": live.get("stage", record.stage),
        "rows": live.get("rows", record.rows),
        "dataset_url": record.dataset_url or None,
        "error": record.error or None,
        "created": record.created,
        "finished": record.finished,
    }
