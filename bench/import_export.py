"""Import and export at scale: 1,000,000 tasks loaded from JSON Lines, 3,000,000 task runs exported.

Each phase runs in its own process so its peak RSS is its own. Prints rows/s and peak RSS per phase.
The database named by ``DATABASE_URL`` is dropped and re-created (PostgreSQL) or replaced (SQLite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/crowdfold_bench_data \\
        .venv/bin/python bench/import_export.py --tasks 1000000 --runs 3000000

``--reuse`` keeps a database that an earlier run seeded with the same numbers of tasks and runs
(seeding 3M runs takes minutes) and measures the exports only; it seeds afresh otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/crowdfold_bench_data"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu_seconds() -> float | None:
    """CPU time of this process's PostgreSQL backend (when the server runs on this machine), so
    the figures can be read apart from what other processes take on a busy machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Clock:
    """Wall time, this process's CPU and its database backend's CPU over a block."""

    def __enter__(self):
        self.server0 = _server_cpu_seconds()
        self.cpu0, self.wall0 = _cpu_seconds(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.wall0
        self.cpu = _cpu_seconds() - self.cpu0
        server = _server_cpu_seconds()
        self.server = None if server is None or self.server0 is None else server - self.server0

    def figures(self, prefix: str = "") -> dict:
        out = {
            f"{prefix}seconds": round(self.seconds, 2),
            f"{prefix}client_cpu_s": round(self.cpu, 2),
        }
        if self.server is not None:
            out[f"{prefix}db_cpu_s"] = round(self.server, 2)
        return out


def _setup(migrate: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crowdfold.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def reset_database(url: str) -> None:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    if cfg["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cfg['NAME']}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    admin = f"host={cfg['HOST'] or '127.0.0.1'} port={cfg['PORT'] or 5432} user={cfg['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def write_tasks_file(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(count):
            fh.write(
                json.dumps(
                    {
                        "image": f"https://img.example.org/{i}.jpg",
                        "question": "How many birds?",
                        "n": i,
                    }
                )
                + "\n"
            )


def phase_seed() -> dict:
    _setup(migrate=True)
    from crowdfold.accounts.services import create_user
    from crowdfold.projects.services import create_project

    owner = create_user("bench-owner", "owner@bench.example.org", None)
    project = create_project(owner, name="Bench", short_name="bench")
    return {"project": project.pk}


def phase_import(path: str, project_id: int) -> dict:
    _setup()
    from crowdfold.data.importers.files import FileSource
    from crowdfold.data.services import import_tasks
    from crowdfold.projects.models import Project

    project = Project.objects.get(pk=project_id)
    with _Clock() as first:
        report = import_tasks(project, [FileSource(path)])
    with _Clock() as again:
        repeat = import_tasks(project, [FileSource(path)])  # every row a duplicate now
    return {
        "created": report.created,
        **first.figures(),
        "rows_per_s": round(report.rows / first.seconds),
        "reimport_duplicates": repeat.duplicates,
        **again.figures("reimport_"),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def phase_make_runs(project_id: int, runs: int) -> dict:
    """Three answers on each of the first runs/3 tasks, generated inside the database."""
    _setup()
    from django.db import connection

    start = time.perf_counter()
    per_task = 3
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO crowdfold_taskrun (project_id, task_id, user_id, user_ip, external_uid,"
            " contributor_key, info, created, finish_time, media_url, timeout, calibration)"
            " SELECT t.project_id, t.id, NULL, '10.0.0.' || k, NULL, 'ip:10.0.0.' || k,"
            ' \'{"answer": "yes", "count": 3, "tags": ["a", "b"]}\', now(), now(), NULL, NULL, NULL'
            " FROM (SELECT id, project_id FROM crowdfold_task WHERE project_id = %s ORDER BY id LIMIT %s) t"
            " CROSS JOIN generate_series(1, %s) k",
            [project_id, runs // per_task, per_task],
        )
    return {"runs": runs, "seconds": round(time.perf_counter() - start, 2)}


def phase_export(project_id: int, what: str, fmt: str) -> dict:
    _setup()
    from crowdfold.data.exports import ExportRequest, export_stream
    from crowdfold.projects.models import Project

    project = Project.objects.get(pk=project_id)
    size = 0
    rows = 0
    request = ExportRequest(what=what, fmt=fmt)

    def counted(n: int) -> None:
        nonlocal rows
        rows = n

    with _Clock() as clock, open(os.devnull, "wb") as sink:
        for chunk in export_stream(project, request, progress=counted):
            size += len(chunk)
            sink.write(chunk)
    return {
        "what": what,
        "format": fmt,
        "rows": rows,
        "mb": round(size / 1e6, 1),
        **clock.figures(),
        "rows_per_s": round(rows / clock.seconds) if clock.seconds else None,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def phase_existing(tasks: int, runs: int) -> dict:
    """The bench project of an earlier run, when it holds exactly ``tasks`` tasks and ``runs``
    runs (what ``--reuse`` keeps); empty when the database is missing or holds anything else."""
    try:
        _setup()
        from crowdfold.projects.models import Project
        from crowdfold.tasks.models import Task, TaskRun

        project = Project.objects.get(short_name="bench")
        have_tasks = Task.objects.filter(project=project).count()
        have_runs = TaskRun.objects.filter(project=project).count()
    except Exception:  # no database, no tables, no project: seed afresh
        return {}
    if (have_tasks, have_runs) != (tasks, runs):
        return {}
    return {"project": project.pk}


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_all(tasks: int, runs: int, formats: list[str], reuse: bool = False) -> dict:
    """Every phase against a fresh database; returns the figures (also printed as it goes).
    With ``reuse``, a database seeded by an earlier run with the same sizes is kept and only the
    exports are measured."""
    out: dict = {"tasks": tasks, "runs": runs, "exports": []}
    kept = _child("existing", str(tasks), str(runs)) if reuse else {}
    if kept:
        print(f"reusing the seeded database: {tasks:,} tasks, {runs:,} runs", flush=True)
        out["reused"] = True
        _exports(out, kept["project"], formats)
        return out
    reset_database(os.environ["DATABASE_URL"])
    project = _child("seed")["project"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tasks.jsonl"
        write_tasks_file(path, tasks)
        out["file_mb"] = round(path.stat().st_size / 1e6)
        print(f"file: {tasks:,} rows, {out['file_mb']} MB", flush=True)
        out["import"] = _child("import", str(path), str(project))
        print("import:", json.dumps(out["import"]), flush=True)
    if runs:
        out["answers"] = _child("runs", str(project), str(runs))
        print("answers generated:", json.dumps(out["answers"]), flush=True)
        _exports(out, project, formats)
    return out


def _exports(out: dict, project: int, formats: list[str]) -> None:
    for fmt in formats:
        figures = _child("export", str(project), "taskruns", fmt)
        out["exports"].append(figures)
        print("export:", json.dumps(figures), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3_000_000)
    parser.add_argument("--formats", default="csv,jsonl,json")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database seeded earlier with the same --tasks/--runs; measure the exports only",
    )
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        phases = {
            "seed": phase_seed,
            "import": phase_import,
            "runs": phase_make_runs,
            "export": phase_export,
            "existing": phase_existing,
        }
        rest = [int(r) if r.isdigit() else r for r in rest]
        print(json.dumps(phases[name](*rest)))
        return
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    formats = [f for f in args.formats.split(",") if f]
    figures = run_all(args.tasks, args.runs, formats, reuse=args.reuse)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
