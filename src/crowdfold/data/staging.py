"""Bulk insertion of imported tasks through a temporary staging table.

Rows are streamed into a temporary table (COPY on PostgreSQL, big ``executemany`` batches on SQLite),
then one ``INSERT … SELECT`` moves them into ``crowdfold_task``, dropping rows whose info digest is
already in the project or appears earlier in the same import. The database does the de-duplication
(hash joins over 16-byte digests), so the loader's memory stays flat. Everything runs inside the
caller's transaction: an error anywhere leaves no trace.

Measured on the 2-core machine (bench/import_export.py, 1M JSON Lines tasks): about 5 s of loader CPU
and 18 s of PostgreSQL CPU; most of the latter is maintaining the task table's indexes.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

STAGE = "crowdfold_import_stage"
WORK_MEM = "64MB"
COLUMNS = ("seq", "info", "info_hash", "n_answers", "priority_0", "quorum", "calibration")
# (seq, canonical info JSON, digest, n_answers, priority_0, quorum, calibration)
StageRow = tuple[int, str, str, int, float, int, int]


def _postgres() -> bool:
    return connection.vendor == "postgresql"


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


def _copy_text(rows: Sequence[tuple], info_at: int) -> bytes:
    """Rows in COPY's text format, built in one go rather than written row by row. Only the info
    can hold a backslash (JSON escapes); JSON text never holds a raw tab or newline, and the other
    fields are numbers, digests and timestamps."""
    if info_at == 1 and len(COLUMNS) == 7:  # staged rows: the hot path of every import
        text = "".join(
            [
                f"{s}\t{i.replace(BACKSLASH, ESCAPED)}\t{h}\t{n}\t{p!r}\t{q}\t{c}\n"
                for s, i, h, n, p, q, c in rows
            ]
        )
        return text.encode("utf-8")
    lines = []
    for row in rows:
        fields = ["\\N" if v is None else str(v) for v in row]
        fields[info_at] = fields[info_at].replace(BACKSLASH, ESCAPED)
        lines.append("\t".join(fields) + "\n")
    return "".join(lines).encode("utf-8")


BACKSLASH, ESCAPED = "\\", "\\\\"


# "Not already in the project". The digest has no index (see Task.info_hash): PostgreSQL reads the
# project's digests once into a hash anti-join (which spills to disk rather than fail when large);
# SQLite evaluates NOT IN's subquery once into a temporary b-tree (a correlated NOT EXISTS would
# scan the project for every staged row).
_NEW_ON_POSTGRES = "NOT EXISTS (SELECT 1 FROM crowdfold_task t WHERE t.project_id = %s AND t.info_hash = s.info_hash)"
_NEW_ON_SQLITE = (
    "s.info_hash NOT IN (SELECT t.info_hash FROM crowdfold_task t"
    " WHERE t.project_id = %s AND t.info_hash IS NOT NULL)"
)


class Stager:
    """Collects staged rows for one import; use inside ``transaction.atomic()``.

    With ``direct`` (no de-duplication wanted) rows go straight into the task table instead.
    """

    def __init__(
        self, project_id: int, batch_id: int | None, created, direct: bool = False
    ) -> None:
        self.count = 0
        self.project_id = project_id
        self.batch_id = batch_id
        self.created = connection.ops.adapt_datetimefield_value(created)
        self.direct = direct

    def create(self) -> None:
        if self.direct:
            return
        info_type, hash_type = ("jsonb", "uuid") if _postgres() else ("text", "char(32)")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGE} (seq bigint NOT NULL, info {info_type},"
                f" info_hash {hash_type} NOT NULL, n_answers integer NOT NULL,"
                " priority_0 double precision NOT NULL, quorum integer NOT NULL,"
                " calibration integer NOT NULL)"
            )

    def add(self, rows: Sequence[StageRow]) -> None:
        if not rows:
            return
        if self.direct:
            table, columns = "crowdfold_task", TASK_COLUMNS
            fixed = (self.project_id, self.created, "ongoing", 0, 0, self.batch_id)
            rows = [fixed + row[1:] for row in rows]
        else:
            table, columns = STAGE, COLUMNS
        info_at = columns.index("info")
        with connection.cursor() as cursor:
            if _postgres():
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    copy.write(_copy_text(rows, info_at))
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )
        self.count += len(rows)

    def insert_tasks(self) -> int:
        """Move staged rows into the task table, skipping duplicates; returns how many were created."""
        if self.direct:
            return self.count
        params: list = [self.project_id, self.created, self.batch_id, self.project_id]
        with connection.cursor() as cursor:
            if _postgres():
                cursor.execute(f"ANALYZE {STAGE}")
                # The de-duplication hashes and the id-order sort spill to disk at the default
                # 4 MB; this transaction only (set_config(..., true)), restored below.
                cursor.execute(
                    "SELECT current_setting('work_mem'), set_config('work_mem', %s, true)",
                    [WORK_MEM],
                )
                saved_work_mem = cursor.fetchone()[0]
            where = f" WHERE s.seq IN (SELECT MIN(seq) FROM {STAGE} GROUP BY info_hash) AND " + (
                _NEW_ON_POSTGRES if _postgres() else _NEW_ON_SQLITE
            )
            cursor.execute(
                "INSERT INTO crowdfold_task (project_id, created, state, info, n_answers, priority_0,"
                " quorum, calibration, fav_user_ids, n_task_runs, n_reserved, batch_id, info_hash)"
                " SELECT %s, %s, 'ongoing', s.info, s.n_answers, s.priority_0, s.quorum,"
                f" s.calibration, NULL, 0, 0, %s, s.info_hash FROM {STAGE} s{where} ORDER BY s.seq",
                params,
            )
            inserted = cursor.rowcount
            cursor.execute(f"DROP TABLE {STAGE}")
            if _postgres():
                cursor.execute("SELECT set_config('work_mem', %s, true)", [saved_work_mem])
        return inserted
