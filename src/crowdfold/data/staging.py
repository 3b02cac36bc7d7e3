"""Bulk insertion of imported tasks: straight into the task table, or through a staging table.

Three ways, chosen per import (``Stager.open``):

- **straight in** (``--allow-duplicates``, and on PostgreSQL every import into a project that has no
  tasks yet): rows go directly into ``crowdfold_task``. With de-duplication on, repeats inside the
  import are looked for afterwards (one hash aggregate over the new digests) and, if there are
  any, deleted again, keeping each info's first row;
- **staged** (a project that already has tasks, and every de-duplicated import on SQLite): rows go
  into a temporary table, then one ``INSERT … SELECT`` moves them into ``crowdfold_task``, dropping
  rows whose info digest is already in the project or appears earlier in the same import.

The database does the de-duplication (hash joins over 16-byte digests), so the loader's memory
stays flat. On PostgreSQL the rows stream through a single ``COPY`` that stays open for the whole
import, so the database parses and stores one chunk while the loader decodes the next (two cores
at work instead of one after the other). Everything runs inside the caller's transaction: an
error anywhere leaves no trace. While the COPY is open the connection runs nothing else: sources
and progress callbacks must not query the database (none does; progress goes to the cache).

Measured (bench/import_export.py, 1M JSON Lines tasks into an empty project, 2-core machine): see
bench/report_notes.md. Most of PostgreSQL's time is storing the rows and maintaining the task
table's indexes, and checking each row's project foreign key at commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack

from django.db import connection

STAGE = "crowdfold_import_stage"
WORK_MEM = "64MB"
# Imports into one project wait for each other (PostgreSQL; SQLite has one writer at a time), so
# "the project has no tasks yet" and the duplicate check stay true until the import commits.
IMPORT_LOCK = 726872  # advisory lock class; crowdfold.tasks.frontier uses 726871
COLUMNS = ("seq", "info", "info_hash", "n_answers", "priority_0", "quorum", "calibration")
# (seq, canonical info JSON, digest, n_answers, priority_0, quorum, calibration)
StageRow = tuple[int, str, str, int, float, int, int]

TASK_COLUMNS = (
    "project_id",
    "created",
    "state",
    "n_task_runs",
    "n_reserved",
    "batch_id",
    "info",
    "info_hash",
    "n_answers",
    "priority_0",
    "quorum",
    "calibration",
)
BACKSLASH, ESCAPED = "\\", "\\\\"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _copy_text(rows: Sequence[StageRow], prefix: str = "") -> bytes:
    """Rows in COPY's text format, built in one go rather than written row by row. ``prefix``
    holds the fixed leading columns (the task table's) and replaces ``seq``. Only the info can
    hold a backslash (JSON escapes); JSON text never holds a raw tab or newline, and the other
    fields are numbers and digests."""
    if prefix:
        lines = [
            f"{prefix}{i.replace(BACKSLASH, ESCAPED)}\t{h}\t{n}\t{p!r}\t{q}\t{c}\n"
            for _, i, h, n, p, q, c in rows
        ]
    else:
        lines = [
            f"{s}\t{i.replace(BACKSLASH, ESCAPED)}\t{h}\t{n}\t{p!r}\t{q}\t{c}\n"
            for s, i, h, n, p, q, c in rows
        ]
    return "".join(lines).encode("utf-8")


# "Not already in the project". The digest has no index (see Task.info_hash): PostgreSQL reads the
# project's digests once into a hash anti-join (which spills to disk rather than fail when large);
# SQLite evaluates NOT IN's subquery once into a temporary b-tree (a correlated NOT EXISTS would
# scan the project for every staged row). Filtering before grouping makes a re-import of a file
# that is already in (all duplicates) cost one anti-join and nothing else.
_NEW_ON_POSTGRES = "NOT EXISTS (SELECT 1 FROM crowdfold_task t WHERE t.project_id = %s AND t.info_hash = f.info_hash)"
_NEW_ON_SQLITE = (
    "f.info_hash NOT IN (SELECT t.info_hash FROM crowdfold_task t"
    " WHERE t.project_id = %s AND t.info_hash IS NOT NULL)"
)
# Straight-in imports: rows of this import (its project had no tasks, and they all carry the
# import's timestamp) whose info an earlier row of it already has. Numbering the rows of each
# digest keeps the delete O(n log n) however many rows share one info.
_THIS_IMPORT = "project_id = %s AND created = %s"
_REPEATS_EXIST = (
    f"SELECT EXISTS (SELECT 1 FROM crowdfold_task WHERE {_THIS_IMPORT}"
    " GROUP BY info_hash HAVING COUNT(*) > 1)"
)
_DELETE_REPEATS = (
    "DELETE FROM crowdfold_task WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER"
    f" (PARTITION BY info_hash ORDER BY id) AS nth FROM crowdfold_task WHERE {_THIS_IMPORT}) r"
    " WHERE nth > 1)"
)


class Stager:
    """Collects the rows of one import; use inside ``transaction.atomic()``::

        stager = Stager(project_id, batch_id, now, dedupe=True)
        with stager:
            stager.add(rows)  # as many times as needed
        created = stager.insert_tasks()

    Without ``dedupe`` every row becomes a task.
    """

    def __init__(self, project_id: int, batch_id: int | None, created, dedupe: bool = True) -> None:
        self.count = 0
        self.project_id = project_id
        self.batch_id = batch_id
        self.created = connection.ops.adapt_datetimefield_value(created)
        self.dedupe = dedupe
        self.direct = not dedupe
        self._stack = ExitStack()
        self._copy = None

    # -- opening: choose the way in ---------------------------------------------------------------

    def __enter__(self) -> Stager:
        with connection.cursor() as cursor:
            if _postgres():
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, self.project_id]
                )
                if self.dedupe:
                    self.direct = self._project_is_empty(cursor)
            if not self.direct:
                self._create_stage(cursor)
        if _postgres():
            table, columns = ("crowdfold_task", TASK_COLUMNS) if self.direct else (STAGE, COLUMNS)
            cursor = self._stack.enter_context(connection.cursor())
            self._copy = self._stack.enter_context(
                cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
            )
        return self

    def __exit__(self, *exc) -> bool:
        """Ends the COPY: waits for the database to store the last rows, or cancels it on error."""
        return self._stack.__exit__(*exc)

    def _project_is_empty(self, cursor) -> bool:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM crowdfold_task WHERE project_id = %s)",
            [self.project_id],
        )
        return cursor.fetchone()[0]

    def _create_stage(self, cursor) -> None:
        # The info stays text until it is inserted: rows found to be duplicates are never parsed.
        hash_type = "uuid" if _postgres() else "char(32)"
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGE} (seq bigint NOT NULL, info text,"
            f" info_hash {hash_type} NOT NULL, n_answers integer NOT NULL,"
            " priority_0 double precision NOT NULL, quorum integer NOT NULL,"
            " calibration integer NOT NULL)"
        )

    # -- streaming rows in ------------------------------------------------------------------------

    def add(self, rows: Sequence[StageRow]) -> None:
        if not rows:
            return
        if self._copy is not None:
            self._copy.write(_copy_text(rows, self._task_prefix() if self.direct else ""))
        else:
            self._insert_sqlite(rows)
        self.count += len(rows)

    def _task_prefix(self) -> str:
        batch = "\\N" if self.batch_id is None else self.batch_id
        return f"{self.project_id}\t{self.created}\tongoing\t0\t0\t{batch}\t"

    def _insert_sqlite(self, rows: Sequence[StageRow]) -> None:
        if self.direct:
            table, columns = "crowdfold_task", TASK_COLUMNS
            fixed = (self.project_id, self.created, "ongoing", 0, 0, self.batch_id)
            rows = [fixed + row[1:] for row in rows]
        else:
            table, columns = STAGE, COLUMNS
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    # -- finishing --------------------------------------------------------------------------------

    def insert_tasks(self) -> int:
        """After the ``with`` block: make tasks of what is not yet in the project; returns how
        many were created."""
        if self.direct:
            return self.count - (self._delete_repeats() if self.dedupe else 0)
        with connection.cursor() as cursor:
            if _postgres():
                return self._insert_staged_postgres(cursor)
            return self._insert_staged(cursor, _NEW_ON_SQLITE)

    def _delete_repeats(self) -> int:
        """Straight-in import with de-duplication: the project had no tasks, so only repeats inside
        the import can be duplicates. Usually there are none, and finding that out is one pass."""
        this_import = [self.project_id, self.created]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", [WORK_MEM]
            )
            saved_work_mem = cursor.fetchone()[0]
            cursor.execute(_REPEATS_EXIST, this_import)
            repeats = 0
            if cursor.fetchone()[0]:
                cursor.execute(_DELETE_REPEATS, this_import)
                repeats = cursor.rowcount
            cursor.execute("SELECT set_config('work_mem', %s, true)", [saved_work_mem])
        return repeats

    def _insert_staged_postgres(self, cursor) -> int:
        cursor.execute(f"ANALYZE {STAGE}")
        # The de-duplication hashes and the id-order sort spill to disk at the default 4 MB; this
        # transaction only (set_config(..., true)), restored below.
        cursor.execute(
            "SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", [WORK_MEM]
        )
        saved_work_mem = cursor.fetchone()[0]
        inserted = self._insert_staged(cursor, _NEW_ON_POSTGRES)
        cursor.execute("SELECT set_config('work_mem', %s, true)", [saved_work_mem])
        return inserted

    def _insert_staged(self, cursor, new_in_project: str) -> int:
        """One INSERT … SELECT: of each info not yet in the project, its first staged row."""
        info = "s.info::jsonb" if _postgres() else "s.info"
        cursor.execute(
            "INSERT INTO crowdfold_task (project_id, created, state, info, n_answers, priority_0,"
            " quorum, calibration, fav_user_ids, n_task_runs, n_reserved, batch_id, info_hash)"
            f" SELECT %s, %s, 'ongoing', {info}, s.n_answers, s.priority_0, s.quorum,"
            f" s.calibration, NULL, 0, 0, %s, s.info_hash FROM {STAGE} s"
            f" WHERE s.seq IN (SELECT MIN(f.seq) FROM {STAGE} f WHERE {new_in_project}"
            " GROUP BY f.info_hash) ORDER BY s.seq",
            [self.project_id, self.created, self.batch_id, self.project_id],
        )
        inserted = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGE}")
        return inserted
