"""Where an upload or a URL source goes: imported at once when small, else a background job.

The API's bulk import and the owner's import page both call these, so the two behave alike: an
upload up to ``IMPORT_SYNC_MAX_BYTES`` is imported in the request (counts at once); a larger one is
kept on disk and imported by a job; a URL source is checked (known type, public address unless
allowed) and always imported by a job, which mails the owner when done.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import transaction

from crowdfold.data.importers.base import SourceError
from crowdfold.data.importers.files import StreamSource
from crowdfold.data.importers.urls import source_from_spec
from crowdfold.data.jobs import enqueue_import, options_from
from crowdfold.data.models import ImportJob
from crowdfold.data.services import ImportReport, import_tasks
from crowdfold.lib.errors import BadRequest
from crowdfold.lib.urlsafety import UnsafeURL, check_url

URL_TYPES = ("csv", "gdocs", "s3", "iiif", "url")


def import_upload(project, user, upload, options: dict) -> ImportReport | ImportJob:
    """An uploaded file: imported now (raises ``SourceError``) or queued when large."""
    if upload.size <= settings.IMPORT_SYNC_MAX_BYTES:
        source = StreamSource(upload.file, upload.name, options.get("format"), upload.size)
        return import_tasks(project, [source], options_from(options))
    spec = {
        "type": "file",
        "path": keep_upload(upload),
        "format": options.get("format"),
        "name": upload.name,
        "temporary": True,
    }
    return _queue(project, user, spec, options)


def import_url(project, user, spec: dict, options: dict) -> ImportJob:
    """A URL source (``{"type": …, "url": …}``), refused with ``BadRequest`` when unusable."""
    check_spec(spec)
    return _queue(project, user, spec, options)


def _queue(project, user, spec: dict, options: dict) -> ImportJob:
    with transaction.atomic():
        record = enqueue_import(project, user, spec, options)
    record.refresh_from_db()  # the job may already have run (immediate mode)
    return record


def check_spec(spec: dict) -> None:
    """Refuse bad sources before queueing: unknown type, missing URL, private address."""
    try:
        source_from_spec(spec)
        check_url(spec["url"])
    except SourceError as exc:
        raise BadRequest(str(exc)) from exc
    except UnsafeURL as exc:
        raise BadRequest(f"refused: {exc}") from exc


def keep_upload(upload) -> str:
    folder = os.path.join(settings.MEDIA_ROOT, "imports")
    os.makedirs(folder, exist_ok=True)
    safe = "".join(c for c in os.path.basename(upload.name) if c.isalnum() or c in "._-")[-80:]
    path = os.path.join(folder, f"{uuid.uuid4().hex}-{safe}")
    with open(path, "wb") as fh:
        for chunk in upload.chunks(1 << 20):
            fh.write(chunk)
    return path
