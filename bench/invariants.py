"""The promises Crowdfold makes under load, checked in the database after a run.

- no task has more answers than its redundancy, and answers + reservations never exceed it;
- no (person, task) pair repeats;
- every answer a client saw acknowledged (HTTP 200 with an id) is stored, on the task it named;
- every task with all its answers is completed, and every completed task has exactly one current
  result whose ``task_run_ids`` are exactly the task's answers;
- the denormalised counters (``n_task_runs``, ``n_reserved``) match the rows they count.

    DATABASE_URL=… python -m bench.invariants --project 1 --acked acked.txt

``acked.txt`` holds one ``<run id> <task id>`` pair per line. Prints JSON; exit status 1 on any
violation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SAMPLES = 10

QUERIES = {
    "over_redundancy": (
        "SELECT t.id, t.n_answers, count(r.id) FROM crowdfold_task t "
        "JOIN crowdfold_taskrun r ON r.task_id = t.id WHERE t.project_id = %s "
        "GROUP BY t.id, t.n_answers HAVING count(r.id) > t.n_answers"
    ),
    "over_booked": (
        "SELECT id, n_task_runs, n_reserved, n_answers FROM crowdfold_task "
        "WHERE project_id = %s AND n_task_runs + n_reserved > n_answers"
    ),
    "repeated_person_task": (
        "SELECT task_id, contributor_key, count(*) FROM crowdfold_taskrun WHERE project_id = %s "
        "GROUP BY task_id, contributor_key HAVING count(*) > 1"
    ),
    "run_counter_drift": (
        "SELECT t.id, t.n_task_runs, coalesce(c.n, 0) FROM crowdfold_task t LEFT JOIN "
        "(SELECT task_id, count(*) AS n FROM crowdfold_taskrun WHERE project_id = %s GROUP BY task_id) c "
        "ON c.task_id = t.id WHERE t.project_id = %s AND t.n_task_runs <> coalesce(c.n, 0)"
    ),
    "reservation_counter_drift": (
        "SELECT t.id, t.n_reserved, coalesce(c.n, 0) FROM crowdfold_task t LEFT JOIN "
        "(SELECT task_id, count(*) AS n FROM crowdfold_reservation WHERE project_id = %s GROUP BY task_id) c "
        "ON c.task_id = t.id WHERE t.project_id = %s AND t.n_reserved <> coalesce(c.n, 0)"
    ),
    "full_but_not_completed": (
        "SELECT id, n_task_runs, n_answers FROM crowdfold_task "
        "WHERE project_id = %s AND n_task_runs >= n_answers AND state <> 'completed'"
    ),
    "completed_without_one_current_result": (
        "SELECT t.id, count(res.id) FROM crowdfold_task t LEFT JOIN crowdfold_result res "
        "ON res.task_id = t.id AND res.last_version = %s WHERE t.project_id = %s AND t.state = 'completed' "
        "GROUP BY t.id HAVING count(res.id) <> 1"
    ),
}


def _params(name: str, project_id: int) -> list:
    if name.endswith("_drift"):
        return [project_id, project_id]
    if name == "completed_without_one_current_result":
        return [True, project_id]
    return [project_id]


def _rows(sql: str, params) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _result_mismatches(project_id: int) -> list:
    """Completed tasks whose current result does not list exactly the task's answers."""
    from crowdfold.tasks.models import Result, TaskRun

    runs: dict[int, list[int]] = {}
    completed_runs = TaskRun.objects.filter(project_id=project_id, task__state="completed")
    for run_id, task_id in (
        completed_runs.order_by("id").values_list("id", "task_id").iterator(5000)
    ):
        runs.setdefault(task_id, []).append(run_id)
    bad = []
    current = Result.objects.filter(
        project_id=project_id, last_version=True, task__state="completed"
    )
    for task_id, run_ids in current.values_list("task_id", "task_run_ids").iterator(5000):
        if sorted(run_ids or []) != runs.get(task_id, []):
            bad.append((task_id, run_ids, runs.get(task_id, [])))
    return bad


def _lost_answers(project_id: int, acked: dict[int, int]) -> list:
    from crowdfold.tasks.models import TaskRun

    stored = dict(
        TaskRun.objects.filter(project_id=project_id).values_list("id", "task_id").iterator(20000)
    )
    return [
        (run_id, task_id, stored.get(run_id))
        for run_id, task_id in acked.items()
        if stored.get(run_id) != task_id
    ]


def check(project_id: int, acked: dict[int, int] | None = None) -> dict:
    """Every invariant for one project: ``{"violations": {name: [samples]}, "counts": {...}}``.

    All queries read one snapshot, so answers still arriving (requests the server had queued when
    the client stopped) cannot make two queries disagree."""
    from django.db import connection, transaction

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _check(project_id, acked)


def wait_until_quiet(project_id: int, timeout: float = 60) -> None:
    """Wait until no new answer has arrived for a second (the server drains its queue)."""
    import time

    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        ((count,),) = _rows(
            "SELECT count(*) FROM crowdfold_taskrun WHERE project_id = %s", [project_id]
        )
        if count == last:
            return
        last = count
        time.sleep(1)


def _check(project_id: int, acked: dict[int, int] | None) -> dict:
    violations: dict[str, list] = {}
    counts: dict[str, int] = {}
    for name, sql in QUERIES.items():
        rows = _rows(sql, _params(name, project_id))
        counts[name] = len(rows)
        if rows:
            violations[name] = [list(r) for r in rows[:SAMPLES]]
    mismatched = _result_mismatches(project_id)
    counts["result_runs_mismatch"] = len(mismatched)
    if mismatched:
        violations["result_runs_mismatch"] = [list(m) for m in mismatched[:SAMPLES]]
    if acked is not None:
        lost = _lost_answers(project_id, acked)
        counts["acknowledged_but_lost"] = len(lost)
        if lost:
            violations["acknowledged_but_lost"] = [list(x) for x in lost[:SAMPLES]]
    return {"violations": violations, "counts": counts, "totals": totals(project_id, acked)}


def totals(project_id: int, acked: dict[int, int] | None = None) -> dict:
    ((n_tasks, completed),) = _rows(
        "SELECT count(*), coalesce(sum(CASE WHEN state = 'completed' THEN 1 ELSE 0 END), 0) "
        "FROM crowdfold_task WHERE project_id = %s",
        [project_id],
    )
    ((n_runs,),) = _rows(
        "SELECT count(*) FROM crowdfold_taskrun WHERE project_id = %s", [project_id]
    )
    out = {"tasks": n_tasks, "completed_tasks": completed, "answers_stored": n_runs}
    if acked is not None:
        out["answers_acknowledged"] = len(acked)
    return out


def read_acked(paths) -> dict[int, int]:
    """``<run id> <task id>`` lines from one or more files."""
    acked: dict[int, int] = {}
    for path in paths:
        for line in Path(path).read_text().split("\n"):
            parts = line.split()
            if len(parts) == 2:
                acked[int(parts[0])] = int(parts[1])
    return acked


def main(argv=None) -> int:
    from bench.dj import setup_django

    parser = argparse.ArgumentParser(description="Check Crowdfold's invariants for one project")
    parser.add_argument("--project", type=int, required=True)
    parser.add_argument("--acked", type=Path, nargs="*", default=None)
    args = parser.parse_args(argv)
    setup_django()
    report = check(args.project, read_acked(args.acked) if args.acked is not None else None)
    print(json.dumps(report))
    return 1 if report["violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
