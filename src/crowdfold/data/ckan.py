"""Pushing a project's tasks, task runs and results to a CKAN server (PYBOSSA's CKAN export).

One dataset per project (named after its short name) holds three CSV resources named as PYBOSSA
names them: ``task``, ``task_run`` and ``result``, flattened like the CSV download. A push creates the
dataset when CKAN does not have it and creates or updates each resource, so pushing again replaces
the files instead of adding copies. Each file is written by the export service to a temporary file
and uploaded from there as a streamed multipart body, so memory stays flat whatever the size.

CKAN's action API: ``GET package_show?id=``, ``POST package_create`` (JSON), ``POST resource_create``
/ ``resource_update`` (multipart with the file in ``upload``); every answer is the envelope
``{"success": true, "result": …}`` or ``{"success": false, "error": {"__type": …, "message": …}}``,
and the API key goes in the ``Authorization`` header. Requests go through ``lib.urlsafety`` like
every outgoing fetch, so a CKAN_URL pointing inside the network is refused unless allowed.
"""

from __future__ import annotations

import io
import re
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import requests
from django.conf import settings

from crowdfold.data.exports import ExportRequest, export_stream
from crowdfold.lib.errors import BadRequest, DomainError
from crowdfold.lib.urlsafety import DEFAULT_TIMEOUT, UnsafeURL, check_url, safe_session
from crowdfold.projects.models import Project

# (export type, resource name, description)
RESOURCES = (
    ("tasks", "task", "The project's tasks"),
    ("taskruns", "task_run", "The answers volunteers gave (task runs)"),
    ("results", "result", "The results folded from the answers"),
)
UPLOAD_TIMEOUT = (5, 300)  # CKAN may take a while to store a large file
# stage name, rows written so far
Progress = Callable[[str, int], None]


class CkanError(DomainError):
    """CKAN refused a request or could not be reached; the message says what CKAN said."""

    status_code = 502
    exception_cls = "CkanError"


@dataclass
class PushReport:
    dataset: str
    dataset_url: str
    created_dataset: bool
    resources: dict[str, str] = field(default_factory=dict)  # resource name -> "created"/"updated"
    rows: dict[str, int] = field(default_factory=dict)


def dataset_name(project: Project) -> str:
    """CKAN names: 2 to 100 lowercase letters, digits, ``-`` and ``_``."""
    name = re.sub(r"[^a-z0-9_-]+", "-", project.short_name.lower()).strip("-") or "project"
    return f"{name}-{project.pk}" if len(name) < 2 else name[:100]


def ckan_configured() -> bool:
    return bool(settings.CKAN_URL)


class CkanClient:
    """CKAN's action API through the guarded session."""

    def __init__(self, base_url: str, api_key: str) -> None:
        self.base = base_url.rstrip("/") + "/api/3/action/"
        self.api_key = api_key
        self.session = safe_session()

    def close(self) -> None:
        self.session.close()

    def call(self, action: str, *, params=None, json=None, data=None, headers=None, timeout=None):
        """Run one action and return its ``result``; ``None`` for a "Not Found Error"."""
        headers = {"Authorization": self.api_key, **(headers or {})}
        method = "GET" if json is None and data is None else "POST"
        try:
            response = self.session.request(
                method,
                self.base + action,
                params=params,
                json=json,
                data=data,
                headers=headers,
                timeout=timeout or DEFAULT_TIMEOUT,
            )
        except UnsafeURL as exc:
            raise CkanError(f"CKAN_URL is refused: {exc}") from exc
        except requests.RequestException as exc:
            raise CkanError(f"CKAN did not answer {action}: {exc.__class__.__name__}") from exc
        return self._result(action, response)

    @staticmethod
    def _result(action: str, response: requests.Response) -> Any:
        try:
            envelope = response.json()
        except ValueError:
            envelope = None
        if not isinstance(envelope, dict):
            raise CkanError(f"CKAN answered {action} with HTTP {response.status_code}, not JSON")
        if envelope.get("success") is True:
            return envelope.get("result")
        error = envelope.get("error") or {}
        kind = error.get("__type", "Error") if isinstance(error, dict) else "Error"
        if kind == "Not Found Error":
            return None
        raise CkanError(f"CKAN refused {action} ({kind}): {_error_text(error)}")

    def upload(self, action: str, fields: dict[str, str], name: str, handle: BinaryIO, size: int):
        body = MultipartBody(fields, name, handle, size)
        return self.call(
            action,
            data=body,
            headers={"Content-Type": body.content_type, "Content-Length": str(body.length)},
            timeout=UPLOAD_TIMEOUT,
        )


def _error_text(error: Any) -> str:
    if not isinstance(error, dict):
        return str(error)
    if error.get("message"):
        return str(error["message"])
    details = [
        f"{key}: {' '.join(map(str, value)) if isinstance(value, list) else value}"
        for key, value in error.items()
        if key != "__type"
    ]
    return "; ".join(details) or "no reason given"


class MultipartBody(io.RawIOBase):
    """A multipart/form-data body read piece by piece (fields, then the file from disk), so a
    large upload is never held in memory. Its length is known up front (Content-Length)."""

    def __init__(self, fields: dict[str, str], filename: str, handle: BinaryIO, size: int):
        boundary = uuid.uuid4().hex
        self.content_type = f"multipart/form-data; boundary={boundary}"
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, value in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        self.parts = [io.BytesIO(head), handle, io.BytesIO(tail)]
        self.length = len(head) + size + len(tail)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        out = b""
        while self.parts and (size < 0 or len(out) < size):
            chunk = self.parts[0].read(-1 if size < 0 else size - len(out))
            if chunk:
                out += chunk
            else:
                self.parts.pop(0)
        return out

    def __len__(self) -> int:
        return self.length


def push_project(project: Project, api_key: str, progress: Progress | None = None) -> PushReport:
    """Create or update the project's CKAN dataset and its three resources."""
    if not ckan_configured():
        raise BadRequest("CKAN is not configured on this server (CKAN_URL is empty)")
    if not api_key or not api_key.strip():
        raise BadRequest("a CKAN API key is needed (give one, or store it on your account)")
    try:
        check_url(settings.CKAN_URL)
    except UnsafeURL as exc:
        raise CkanError(f"CKAN_URL is refused: {exc}") from exc
    client = CkanClient(settings.CKAN_URL, api_key.strip())
    try:
        return _push(client, project, progress)
    finally:
        client.close()


def _push(client: CkanClient, project: Project, progress: Progress | None) -> PushReport:
    name = dataset_name(project)
    dataset = client.call("package_show", params={"id": name})
    created = dataset is None
    if created:
        dataset = client.call("package_create", json=_dataset_fields(project, name))
    if not isinstance(dataset, dict) or not dataset.get("id"):
        raise CkanError("CKAN answered without the dataset's id")
    existing = {r.get("name"): r.get("id") for r in dataset.get("resources") or []}
    report = PushReport(
        dataset=name,
        dataset_url=f"{settings.CKAN_URL.rstrip('/')}/dataset/{name}",
        created_dataset=created,
    )
    for what, resource, description in RESOURCES:
        fields = {"name": resource, "format": "CSV", "description": description}
        if existing.get(resource):  # replace the file in place: no copies pile up
            action, fields = "resource_update", {"id": existing[resource], **fields}
        else:
            action, fields = "resource_create", {"package_id": dataset["id"], **fields}
        report.rows[resource] = _upload_export(client, project, what, action, fields, progress)
        report.resources[resource] = "updated" if existing.get(resource) else "created"
    return report


def _dataset_fields(project: Project, name: str) -> dict:
    fields = {
        "name": name,
        "title": project.name,
        "notes": project.description or "",
        "url": f"{settings.CROWDFOLD_BASE_URL}/project/{project.short_name}/",
    }
    if project.owner and project.owner.email:
        fields["maintainer_email"] = project.owner.email
    return fields


def _upload_export(client, project, what: str, action: str, fields: dict, progress) -> int:
    """Write one CSV export to a temporary file, then upload it; returns its row count."""
    resource = fields["name"]
    rows = 0

    def counted(n: int) -> None:
        nonlocal rows
        rows = n
        if progress:
            progress(resource, n)

    with tempfile.TemporaryFile() as spool:
        for chunk in export_stream(project, ExportRequest(what=what, fmt="csv"), progress=counted):
            spool.write(chunk)
        size = spool.tell()
        spool.seek(0)
        client.upload(action, fields, f"{resource}.csv", spool, size)
    return rows


def stored_key(user) -> str:
    return ((user.info or {}) if user else {}).get("ckan_api") or ""


def store_key(user, api_key: str) -> None:
    """Keep the user's CKAN API key on their account (PYBOSSA's ``ckan_api``)."""
    info = dict(user.info or {})
    info["ckan_api"] = api_key.strip()
    user.info = info
    user.save(update_fields=["info"])
