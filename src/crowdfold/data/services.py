"""The one way tasks come in (``import_tasks``) and the one way data goes out (``export_rows``).

The CLI (``crowdfold load`` / ``crowdfold export``), the API and background jobs all call these.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from crowdfold.data.batches import batch_for_import
from crowdfold.data.hashing import canonical_json, digest, info_hash
from crowdfold.data.importers.base import Source, SourceError
from crowdfold.data.staging import Stager, StageRow
from crowdfold.lib.i18n import Message
from crowdfold.projects.models import Project
from crowdfold.tasks.models import Task

CHUNK = 5000
# rows read, bytes read, bytes in total (None when unknown)
Progress = Callable[[int, int, int | None], None]


@dataclass
class ImportOptions:
    batch: str | None = None
    meta: Sequence[tuple[str, str]] = ()
    n_answers: int | None = None
    priority: float | None = None
    allow_duplicates: bool = False


@dataclass
class ImportReport:
    rows: int
    created: int
    duplicates: int
    batch: str
    sources: list[str] = field(default_factory=list)


# A JSON-escaped NUL (an odd run of backslashes before u0000): PostgreSQL's jsonb refuses it, and
# the database's error would name no line, so it is refused here, on every database alike.
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000").search


class _RowError(ValueError):
    pass


def _number(row: dict, key: str, default, cast, minimum=None):
    value = row.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise _RowError(
            Message(gettext_noop("%(key)s must be a number, not %(value)r"), key=key, value=value)
        )
    try:
        number = cast(value)
    except (TypeError, ValueError) as exc:
        raise _RowError(
            Message(gettext_noop("%(key)s must be a number, not %(value)r"), key=key, value=value)
        ) from exc
    if cast is int and isinstance(value, float) and not value.is_integer():
        raise _RowError(
            Message(
                gettext_noop("%(key)s must be a whole number, not %(value)r"), key=key, value=value
            )
        )
    if isinstance(number, float) and not math.isfinite(number):
        raise _RowError(Message(gettext_noop("%(key)s must be a finite number"), key=key))
    if minimum is not None and number < minimum:
        raise _RowError(
            Message(
                gettext_noop("%(key)s must be at least %(least)s, not %(value)r"),
                key=key,
                least=minimum,
                value=value,
            )
        )
    return number


def _integer(value) -> int:
    return int(float(value)) if isinstance(value, str) and "." in value else int(value)


def stage_row(seq: int, row: Any, n_answers: int, priority: float) -> StageRow:
    """One decoded row -> staging tuple. A row with an ``info`` object uses it (its other keys may
    set task fields); otherwise the whole row is the info (PYBOSSA's rule)."""
    if not isinstance(row, dict):
        raise _RowError(
            Message(gettext_noop("expected a JSON object, got %(kind)s"), kind=type(row).__name__)
        )
    info = row.get("info")
    if isinstance(info, dict):
        n = _number(row, "n_answers", n_answers, _integer, 1)
        p = _number(row, "priority_0", priority, float)
        quorum = _number(row, "quorum", 0, _integer, 0)
        calibration = _number(row, "calibration", 0, _integer, 0)
    else:
        info, n, p, quorum, calibration = row, n_answers, priority, 0, 0
    try:
        text = canonical_json(info)
        fingerprint = digest(text)
    except (ValueError, UnicodeError) as exc:  # NaN from a lenient parser, a lone surrogate
        raise _RowError(
            Message(gettext_noop("info cannot be stored as JSON: %(problem)s"), problem=exc)
        ) from exc
    if "\\u0000" in text and _NUL_ESCAPE(text):
        raise _RowError(
            Message(gettext_noop("info cannot hold the character U+0000 (PostgreSQL refuses it)"))
        )
    return (seq, text, fingerprint, n, p, quorum, calibration)


def _backfill_hashes(project: Project) -> None:
    """Tasks saved before digests existed (or written by raw SQL) get one, so dedup sees them."""
    stale = Task.objects.filter(project=project, info_hash__isnull=True).only("pk", "info")
    pending = []
    for task in stale.iterator(chunk_size=2000):
        task.info_hash = info_hash(task.info)
        pending.append(task)
        if len(pending) >= 2000:
            Task.objects.bulk_update(pending, ["info_hash"])
            pending = []
    if pending:
        Task.objects.bulk_update(pending, ["info_hash"])


def import_tasks(
    project: Project,
    sources: Iterable[Source],
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every row of every source into ``project`` as tasks, atomically.

    Raises ``SourceError`` (``FILE:LINE: what is wrong``) for the first malformed row and a
    ``DomainError`` for bad options (unknown batch meta key, existing batch); in both cases nothing
    is stored. Rows whose info is already in the project (or earlier in the same import) are skipped
    and counted unless ``allow_duplicates``.
    """
    options = options or ImportOptions()
    sources = list(sources)
    n_answers = options.n_answers if options.n_answers is not None else settings.DEFAULT_N_ANSWERS
    priority = options.priority if options.priority is not None else 0.0
    with transaction.atomic():
        batch = batch_for_import(project, options.batch, options.meta)
        if not options.allow_duplicates:
            _backfill_hashes(project)
        stager = Stager(project.pk, batch.pk, timezone.now(), dedupe=not options.allow_duplicates)
        with stager:
            _stage_sources(stager, sources, n_answers, priority, progress)
        created = stager.insert_tasks()
    return ImportReport(
        rows=stager.count,
        created=created,
        duplicates=stager.count - created,
        batch=batch.name,
        sources=[s.name for s in sources],
    )


def _stage_sources(stager: Stager, sources, n_answers: int, priority: float, progress) -> None:
    totals = [s.progress()[1] for s in sources]
    grand_total = None if any(t is None for t in totals) else sum(totals)
    done_before = 0
    seq = 0
    for source, total in zip(sources, totals, strict=True):
        chunk: list[StageRow] = []
        for line, row in source.rows():
            try:
                chunk.append(stage_row(seq, row, n_answers, priority))
            except _RowError as exc:
                raise SourceError(exc.args[0], line=line, where=source.name) from exc
            seq += 1
            if len(chunk) >= CHUNK:
                stager.add(chunk)
                chunk = []
                if progress:
                    progress(seq, done_before + source.progress()[0], grand_total)
        stager.add(chunk)
        done_before += total or 0
        if progress:
            progress(seq, done_before, grand_total)
