"""Streaming exports of tasks, task runs and results as JSON, JSON Lines or CSV (optionally zipped).

Rows are read with server-side cursors (``iterator(chunk_size=…)``) and written chunk by chunk, so
memory stays flat and a download starts as soon as the first chunk is ready; nothing is cached, so an
export is never stale (PYBOSSA #1219, #1908). JSON rows splice the database's own JSON text for
``info`` instead of decoding and re-encoding it. CSV follows PYBOSSA: ``info`` flattened into
``info_a_b`` columns (union of keys over the rows, found in a first pass over ``info`` alone),
``fav_user_ids`` / ``task_run_ids`` kept as list literals, and an "info only" variant rooted at
``*_CSV_EXPORT_INFO_KEY`` with one row per element when that root is a list.

CSV rows are built for speed (3M task runs in well under a minute): the database formats and
quotes the leading base columns as one text (``sqlformat.csv_head``), and an info whose shape was
seen before is read into its columns without being flattened again (``lib.flatten.Projection``).
``tests/data/test_export_csv_bytes.py`` holds the output byte for byte to the plain semantics.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from django.conf import settings
from django.db.models import F, Max, QuerySet, TextField
from django.db.models.functions import Cast

from crowdfold.data.sqlformat import TIME_COLUMNS, IsoTime, csv_head
from crowdfold.lib.errors import BadRequest, NotFound
from crowdfold.lib.fastjson import loads, maybe_inexact
from crowdfold.lib.flatten import MAX_SHAPES, Projection, flatten, shape_and_leaves
from crowdfold.projects.models import Project
from crowdfold.tasks.models import Result, Task, TaskRun, TaskState

CHUNK = 2000  # rows per progress tick and per chunk handed to the client
FETCH = 10_000  # rows per round trip of the server-side cursor
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


def _wire_rows(qs: QuerySet, columns: tuple[str, ...]) -> Iterator[tuple]:
    """The export's rows as tuples of ``columns`` then the info as JSON text, timestamps already
    formatted, read through a server-side cursor (PostgreSQL) in large batches."""
    fields = [IsoTime(F(c)) if c in TIME_COLUMNS else F(c) for c in columns]
    fields.append(_info_text())
    return qs.values_list(*fields).iterator(chunk_size=FETCH)


def _info_text() -> Cast:
    return Cast(F("info"), output_field=TextField())


def _info_texts(qs: QuerySet) -> Iterator[tuple[int, str | None]]:
    return qs.values_list("id", _info_text()).iterator(chunk_size=FETCH)


def _json(qs: QuerySet, request: ExportRequest, progress) -> Iterator[bytes]:
    kind = request.kind()
    columns = kind.columns
    dumps = orjson.dumps
    lines = request.fmt == "jsonl"
    tick, done = _ticker(progress)
    out: list[bytes] = [b"" if lines else b"["]
    between = b""  # a JSON array puts ",\n" before every row but the first
    for row in _wire_rows(qs, columns):
        # The info is spliced in as the database's JSON text, never decoded here.
        head = dumps(dict(zip(columns, row[:-1], strict=True)))
        info = row[-1].encode("utf-8") if row[-1] is not None else b"null"
        out.append(b"".join((between, head[:-1], b',"info":', info, b"}\n" if lines else b"}")))
        if not lines:
            between = b",\n"
        tick()
        if len(out) >= CHUNK:
            yield b"".join(out)
            out = []
    if not lines:
        out.append(b"]\n")
    done()
    yield b"".join(out)


def _info_items(info: Any, key: str) -> list[dict]:
    """PYBOSSA's info-only CSV records of one row: the info re-rooted at ``key`` (when it holds a
    truthy value there), then itself if a dict or its elements if a list, non-empty dicts only."""
    root = info[key] if key and isinstance(info, dict) and info.get(key) else info
    items = [root] if isinstance(root, dict) else root if isinstance(root, list) else []
    return [item for item in items if isinstance(item, dict) and item]


def _info_key(kind: Kind) -> str:
    return getattr(settings, kind.info_key_setting, "") or ""


def _csv(qs: QuerySet, request: ExportRequest, progress) -> Iterator[bytes]:
    kind = request.kind()
    ignore = frozenset(settings.IGNORE_FLAT_KEYS)
    # Both passes stop at the same last id, so rows added meanwhile cannot add unknown columns.
    last_id = qs.aggregate(m=Max("id"))["m"] or 0
    qs = qs.filter(id__lte=last_id)
    if request.info_only:
        header = _info_only_columns(kind, qs, ignore)
        rows = _info_only_rows(kind, qs, ignore, header)
    else:
        info_columns = _info_columns(qs, ignore)
        columns = kind.columns
        header = list(columns) + [c for c in info_columns if c not in columns]
        rows = _full_rows(kind, qs, header[len(columns) :], ignore)
    yield from _write_csv(header, rows, progress)


Line = tuple[str, list | None]  # text written as it is, then cells for csv.writer (None: none)


def _full_rows(kind: Kind, qs: QuerySet, info_columns: list[str], ignore) -> Iterator[Line]:
    """Each row as its leading base columns, already joined and quoted by the database
    (``sqlformat.csv_head``), then the other cells for the csv writer: the base columns the
    database cannot format like Python (floats, lists) and the flattened info."""
    head, covered = csv_head(kind.model, kind.columns)
    tail = kind.columns[covered:]
    fields = [head] if head is not None else []
    fields += [F(c) for c in tail]
    fields.append(_info_text())
    lists = [i for i, name in enumerate(tail) if name in LIST_COLUMNS]
    width = len(tail) + len(info_columns)
    # csv.writer writes a row of one empty cell as "" where the full row would end in a bare ,
    lone_cell = covered and width == 1
    project = Projection(info_columns, "info", ignore)
    for row in qs.values_list(*fields).iterator(chunk_size=FETCH):
        head_text = row[0] if covered else ""
        if width == 0:
            yield head_text + "\r\n", None
            continue
        # Values go to the csv writer as they are: it writes None as "" and other scalars with
        # str(), which is what ``lib.flatten.cell`` does for them (flattened leaves are never
        # non-empty containers; an empty one prints as {} or [] either way).
        cells = list(row[1:-1]) if covered else list(row[:-1])
        for i in lists:
            cells[i] = json.dumps(cells[i]) if cells[i] else None
        if info_columns:
            cells.extend(_info_cells(project, row[-1]))
        if not covered:
            yield "", cells
        elif lone_cell and cells[0] in (None, ""):
            yield head_text + ",\r\n", None
        else:
            yield head_text + ",", cells


def _info_cells(project: Projection, text: str | None) -> Sequence:
    """The info's cells, decoded by orjson, which reads an integer past 64 bits as a float: only
    a row with a float among its cells is checked for such integers and decoded exactly then."""
    cells = project.cells(_orjson(text))
    if float in map(type, cells) and maybe_inexact(text.encode()):
        cells = project.cells(loads(text))
    return cells


def _info_only_rows(kind: Kind, qs: QuerySet, ignore, header: list[str]) -> Iterator[Line]:
    """Each record flattened into the header's columns (``lib.flatten.Projection``, as for full
    rows), its ``<table>_id`` cell set to the row's id whatever the record held there."""
    if not header:  # no record anywhere
        return
    key = _info_key(kind)
    id_column = header.index(f"{kind.table}_id")
    project = Projection(header, "", ignore)
    for rid, text in _info_texts(qs):
        records = [project.cells(item) for item in _info_items(_orjson(text), key)]
        # orjson reads an integer past 64 bits as a float: such rows are decoded again, exactly.
        if any(float in map(type, cells) for cells in records) and maybe_inexact(text.encode()):
            records = [project.cells(item) for item in _info_items(loads(text), key)]
        for cells in records:
            cells = list(cells)
            cells[id_column] = rid
            yield "", cells


def _orjson(text: str | None) -> Any:
    return orjson.loads(text) if text is not None else None


def _info_columns(qs: QuerySet, ignore) -> list[str]:
    """First pass: every ``info_…`` column the rows produce, in order of first appearance.

    Most infos have the same shape row after row: a shape is flattened once and recognised
    afterwards, so this pass costs little more than reading the info. Only keys matter here, so
    plain orjson decodes (``fastjson.loads`` also keeps integers past 64 bits exact)."""
    seen: dict[str, None] = {}
    shapes: set[tuple] = set()
    decode = orjson.loads
    for (text,) in qs.values_list(_info_text()).iterator(chunk_size=FETCH):
        info = decode(text) if text is not None else None
        if _shape_seen(info, ignore, shapes):
            continue
        for key in flatten(info, prefix="info", ignore=ignore):
            if key not in seen:
                seen[key] = None
    return list(seen)


def _shape_seen(info, ignore, shapes: set) -> bool:
    """True when ``info`` has a shape met before (its columns are known already); otherwise
    remember the shape (up to MAX_SHAPES of them) and say False."""
    found = shape_and_leaves(info, ignore)
    if found is None:
        return False
    if found[0] in shapes:
        return True
    if len(shapes) < MAX_SHAPES:
        shapes.add(found[0])
    return False


def _info_only_columns(kind: Kind, qs: QuerySet, ignore) -> list[str]:
    """First pass of the info-only CSV: each record's keys, then ``<table>_id``, in order of first
    appearance; a record of a shape seen before adds nothing and is skipped unflattened."""
    key = _info_key(kind)
    id_column = f"{kind.table}_id"
    seen: dict[str, None] = {}
    shapes: set[tuple] = set()
    for (text,) in qs.values_list(_info_text()).iterator(chunk_size=FETCH):
        for item in _info_items(_orjson(text), key):
            if _shape_seen(item, ignore, shapes):
                continue
            for name in flatten(item, ignore=ignore):
                seen.setdefault(name)
            seen.setdefault(id_column)
    return list(seen)


def _write_csv(header: list[str], rows: Iterator[Line], progress) -> Iterator[bytes]:
    buffer = io.StringIO()
    write = buffer.write
    writerow = csv.writer(buffer).writerow
    writerow(header)
    tick, done = _ticker(progress)
    n = 0
    for n, (text, cells) in enumerate(rows, 1):
        write(text)
        if cells is not None:
            writerow(cells)
        if n % CHUNK == 0:  # the progress ticks once per chunk, not once per row
            tick(CHUNK)
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if n % CHUNK:
        tick(n % CHUNK)
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
