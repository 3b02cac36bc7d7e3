"""Streaming exports of tasks, task runs and results as JSON, JSON Lines or CSV (optionally zipped).

Rows are read with server-side cursors (``iterator(chunk_size=…)``) and written chunk by chunk, so
memory stays flat and a download starts as soon as the first chunk is ready; nothing is cached, so an
export is never stale (PYBOSSA #1219, #1908). JSON rows splice the database's own JSON text for
``info`` instead of decoding and re-encoding it. CSV follows PYBOSSA: ``info`` flattened into
``info_a_b`` columns (union of keys over the rows, found in a first pass over ``info`` alone),
``fav_user_ids`` / ``task_run_ids`` kept as list literals, and an "info only" variant rooted at
``*_CSV_EXPORT_INFO_KEY`` with one row per element when that root is a list.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, Max, QuerySet, TextField
from django.db.models.functions import Cast

from crowdfold.lib.errors import BadRequest, NotFound
from crowdfold.lib.flatten import cell, flatten
from crowdfold.lib.timefmt import iso
from crowdfold.projects.models import Project
from crowdfold.tasks.models import Result, Task, TaskRun, TaskState

CHUNK = 2000
FORMATS = ("json", "jsonl", "csv")


@dataclass(frozen=True)
class Kind:
    model: type
    table: str  # PYBOSSA's name, used in file names and the info-only id column
    columns: tuple[str, ...]  # wire order, without info (always last)
    info_key_setting: str


KINDS = {
    "tasks": Kind(
        Task,
        "task",
        (
            "id",
            "created",
            "project_id",
            "state",
            "quorum",
            "calibration",
            "priority_0",
            "n_answers",
            "fav_user_ids",
        ),
        "TASK_CSV_EXPORT_INFO_KEY",
    ),
    "taskruns": Kind(
        TaskRun,
        "task_run",
        (
            "id",
            "created",
            "finish_time",
            "project_id",
            "task_id",
            "user_id",
            "user_ip",
            "external_uid",
            "media_url",
            "timeout",
            "calibration",
        ),
        "TASK_RUN_CSV_EXPORT_INFO_KEY",
    ),
    "results": Kind(
        Result,
        "result",
        ("id", "created", "project_id", "task_id", "task_run_ids", "last_version"),
        "RESULT_CSV_EXPORT_INFO_KEY",
    ),
}
TIME_COLUMNS = {"created", "finish_time"}
LIST_COLUMNS = {"fav_user_ids", "task_run_ids"}  # kept as list literals in CSV, as PYBOSSA does
ALIASES = {
    "task": "tasks",
    "task_run": "taskruns",
    "taskrun": "taskruns",
    "task_runs": "taskruns",
    "result": "results",
}


@dataclass(frozen=True)
class ExportRequest:
    what: str = "tasks"
    fmt: str = "json"
    batch: str | None = None
    completed_only: bool = False
    info_only: bool = False
    zipped: bool = False

    def kind(self) -> Kind:
        return KINDS[ALIASES.get(self.what, self.what)]


def validate(request: ExportRequest) -> ExportRequest:
    what = ALIASES.get(request.what, request.what)
    if what not in KINDS:
        raise NotFound(f"unknown export type {request.what!r} (tasks, taskruns or results)")
    if request.fmt not in FORMATS:
        raise BadRequest(f"unknown export format {request.fmt!r} (json, jsonl or csv)")
    if request.info_only and request.fmt != "csv":
        raise BadRequest("info_only applies to the CSV format")
    return ExportRequest(
        what, request.fmt, request.batch, request.completed_only, request.info_only, request.zipped
    )


def rows_queryset(project: Project, request: ExportRequest) -> QuerySet:
    """The rows an export covers, in id order."""
    kind = request.kind()
    qs = kind.model.objects.filter(project_id=project.pk)
    task_prefix = "" if kind.model is Task else "task__"
    if request.batch is not None:
        from crowdfold.data.batches import get_batch

        qs = qs.filter(**{f"{task_prefix}batch_id": get_batch(project, request.batch).pk})
    if request.completed_only:
        qs = qs.filter(**{f"{task_prefix}state": TaskState.COMPLETED})
    if kind.model is Result:
        qs = qs.filter(last_version=True)
    return qs.order_by("id")


def count_rows(project: Project, request: ExportRequest) -> int:
    return rows_queryset(project, validate(request)).count()


def file_name(project: Project, request: ExportRequest) -> str:
    """PYBOSSA's names: ``<short_name>_<type>.<fmt>`` and ``<id>_<short_name>_<type>_<fmt>.zip``."""
    kind = request.kind()
    ascii_name = project.short_name.encode("ascii", "ignore").decode() or str(project.pk)
    suffix = "_info_only" if request.info_only else ""
    if request.zipped:
        return f"{project.pk}_{ascii_name}_{kind.table}_{request.fmt}.zip"
    return f"{ascii_name}_{kind.table}{suffix}.{request.fmt}"


def export_stream(
    project: Project, request: ExportRequest, progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The export as a stream of byte chunks (the one export service behind CLI, API and web)."""
    request = validate(request)
    qs = rows_queryset(project, request)  # fails early (unknown batch) before the first byte
    if not request.zipped:
        return _body(qs, request, progress)
    return _zipped(project, qs, request, progress)


def _body(qs: QuerySet, request: ExportRequest, progress) -> Iterator[bytes]:
    if request.fmt == "csv":
        return _csv(qs, request, progress)
    return _json(qs, request, progress)


def _ticker(progress):
    count = 0

    def tick(n: int = 1) -> None:
        nonlocal count
        count += n
        if progress and count % CHUNK == 0:
            progress(count)

    def done() -> None:
        if progress:
            progress(count)

    return tick, done


def _json(qs: QuerySet, request: ExportRequest, progress) -> Iterator[bytes]:
    kind = request.kind()
    columns = kind.columns
    times = [i for i, c in enumerate(columns) if c in TIME_COLUMNS]
    rows = qs.values_list(*columns, Cast(F("info"), output_field=TextField())).iterator(
        chunk_size=CHUNK
    )
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    lines = request.fmt == "jsonl"
    tick, done = _ticker(progress)
    out: list[str] = ["" if lines else "["]
    first = True
    for row in rows:
        values = list(row[:-1])
        for i in times:
            values[i] = iso(values[i])
        head = dumps(dict(zip(columns, values, strict=True)))
        text = f'{head[:-1]}, "info": {row[-1] if row[-1] is not None else "null"}}}'
        if lines:
            out.append(text + "\n")
        else:
            out.append(text if first else ",\n" + text)
        first = False
        tick()
        if len(out) >= CHUNK:
            yield "".join(out).encode("utf-8")
            out = []
    if not lines:
        out.append("]\n")
    done()
    yield "".join(out).encode("utf-8")


def _info_root(kind: Kind, info: Any) -> Any:
    key = getattr(settings, kind.info_key_setting, "") or ""
    if key and isinstance(info, dict) and info.get(key):
        return info[key]
    return info


def _info_only_records(kind: Kind, row_id: int, info: Any, ignore) -> Iterator[dict]:
    """PYBOSSA's info-only CSV rows: the (re-rooted) info flattened, plus ``<table>_id``."""
    root = _info_root(kind, info)
    id_key = f"{kind.table}_id"
    items = [root] if isinstance(root, dict) else root if isinstance(root, list) else []
    for item in items:
        if isinstance(item, dict) and item:
            yield {**flatten(item, ignore=ignore), id_key: row_id}


def _full_record(columns, values, info, ignore) -> dict:
    record: dict[str, Any] = {}
    for name, value in zip(columns, values, strict=True):
        if name in TIME_COLUMNS:
            value = iso(value)
        elif name in LIST_COLUMNS:
            value = json.dumps(value) if value else ""
        record[name] = value
    record.update(flatten(info, prefix="info", ignore=ignore))
    return record


def _csv(qs: QuerySet, request: ExportRequest, progress) -> Iterator[bytes]:
    kind = request.kind()
    ignore = set(settings.IGNORE_FLAT_KEYS)
    # Both passes stop at the same last id, so rows added meanwhile cannot add unknown columns.
    last_id = qs.aggregate(m=Max("id"))["m"] or 0
    qs = qs.filter(id__lte=last_id)
    if request.info_only:
        records = (
            rec
            for rid, info in qs.values_list("id", "info").iterator(chunk_size=CHUNK)
            for rec in _info_only_records(kind, rid, info, ignore)
        )
        header = _info_columns(
            qs,
            lambda rid, info: [
                k for rec in _info_only_records(kind, rid, info, ignore) for k in rec
            ],
        )
    else:
        columns = kind.columns
        records = (
            _full_record(columns, row[:-1], row[-1], ignore)
            for row in qs.values_list(*columns, "info").iterator(chunk_size=CHUNK)
        )
        info_columns = _info_columns(
            qs, lambda rid, info: flatten(info, prefix="info", ignore=ignore)
        )
        header = list(columns) + [c for c in info_columns if c not in columns]
    yield from _write_csv(header, records, progress)


def _info_columns(qs: QuerySet, keys_of) -> list[str]:
    """First pass: every column name the rows produce, in order of first appearance."""
    seen: dict[str, None] = {}
    for rid, info in qs.values_list("id", "info").iterator(chunk_size=CHUNK):
        for key in keys_of(rid, info):
            if key not in seen:
                seen[key] = None
    return list(seen)


def _write_csv(header: list[str], records, progress) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    tick, done = _ticker(progress)
    for n, record in enumerate(records, 1):
        writer.writerow([cell(record.get(name)) for name in header])
        tick()
        if n % CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    done()
    yield buffer.getvalue().encode("utf-8")


class _Sink(io.RawIOBase):
    """A write-only stream whose bytes the zip generator hands on as they are produced."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def drain(self) -> bytes:
        data = b"".join(self.parts)
        self.parts = []
        return data


def _zipped(project: Project, qs: QuerySet, request: ExportRequest, progress) -> Iterator[bytes]:
    """PYBOSSA's ZIP: the JSON file, or for CSV both the full and the info-only file."""
    plain = ExportRequest(
        request.what,
        request.fmt,
        request.batch,
        request.completed_only,
        request.info_only,
        zipped=False,
    )
    members = [plain]
    if request.fmt == "csv" and not request.info_only:
        members.append(
            ExportRequest(
                request.what, "csv", request.batch, request.completed_only, info_only=True
            )
        )
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member in members:
            with archive.open(file_name(project, member), "w", force_zip64=True) as handle:
                for chunk in _body(qs, member, progress if member is plain else None):
                    handle.write(chunk)
                    if sink.size and sink.parts:
                        yield sink.drain()
    yield sink.drain()
