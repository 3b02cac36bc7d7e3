"""The benchmark set behind ``make bench``: seeds databases, serves them with ``crowdfold serve``,
drives them with bench/volunteers.py (wrk) and writes bench/REPORT.md.

    python -m bench.run                       # standard size, about 10 minutes
    python -m bench.run --size large          # longer runs (60 s each)
    python -m bench.run --size quick          # a smoke test of the harness (small, short)
    python -m bench.run --engines postgres    # one engine only

PostgreSQL: a database ``crowdfold_bench`` on CROWDFOLD_BENCH_PG (default
postgres://postgres@127.0.0.1:5432), dropped at the end. SQLite: a file under var/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.report import write_report
from bench.server import Server, bench_env

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "var" / "bench"


@dataclass(frozen=True)
class Size:
    duration: int  # seconds per volunteer-cycle run
    single: int  # seconds per one-volunteer latency run
    small: int  # tasks
    mid: int
    big: int
    history: int  # earlier answers of the veterans
    io_tasks: int = 1_000_000  # tasks imported from JSON Lines (bench/import_export.py)
    io_runs: int = 3_000_000  # task runs exported


SIZES = {
    "quick": Size(
        duration=5,
        single=3,
        small=2_000,
        mid=5_000,
        big=20_000,
        history=2_000,
        io_tasks=20_000,
        io_runs=60_000,
    ),
    "standard": Size(
        duration=20, single=8, small=10_000, mid=100_000, big=1_000_000, history=50_000
    ),
    "large": Size(duration=60, single=20, small=10_000, mid=100_000, big=1_000_000, history=50_000),
}


def _py(module: str, db_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": db_url}
    proc = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    if check and proc.returncode not in (0, 1):
        raise RuntimeError(f"{module} failed:\n{proc.stderr}\n{proc.stdout}")
    return proc


def seed(
    db_url: str, short_name: str, tasks: int, *, fresh: bool = False, history: int = 0
) -> dict:
    out = WORK / f"seed-{short_name}.json"
    args = ["--project", short_name, "--tasks", str(tasks), "--volunteers", "0", "--out", str(out)]
    if fresh:
        args.append("--fresh")
    if history:
        args += ["--history", str(history), "--history-placement", "spread,front"]
    started = time.perf_counter()
    _py("bench.seed", db_url, *args)
    data = json.loads(out.read_text())
    data["seed_wall_seconds"] = round(time.perf_counter() - started, 1)
    return data


def drive(
    db_url: str,
    server: Server,
    label: str,
    project: int,
    k: int,
    seconds: int,
    *,
    keys: list[str] | None = None,
    ping: bool = False,
) -> dict:
    out = WORK / f"run-{label}.json"
    args = [
        "--url",
        server.url,
        "--server-pid",
        str(server.proc.pid),
        "--project",
        str(project),
        "-k",
        str(k),
        "-d",
        str(seconds),
        "--json",
        str(out),
    ]
    if keys:
        keys_file = WORK / f"keys-{label}.txt"
        keys_file.write_text("\n".join(keys) + "\n")
        args += ["--keys", str(keys_file)]
    if ping:
        args.append("--ping")
    proc = _py("bench.volunteers", db_url, *args)
    print(proc.stdout, end="", flush=True)
    data = json.loads(out.read_text())
    data["label"] = label
    return data


def bench_engine(engine: str, size: Size, opts) -> dict:
    """Every run for one database engine."""
    if engine == "postgres":
        base = os.environ.get("CROWDFOLD_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
        db_url = f"{base}/crowdfold_bench"
    else:
        db_url = f"sqlite:///{WORK / 'bench.sqlite3'}"
    print(f"== {engine}: seeding", flush=True)
    seeds = {
        "small50": seed(db_url, "small50", size.small, fresh=True),
        "small200": seed(db_url, "small200", size.small),
        "big": seed(db_url, "big", size.big, history=size.history if engine == "postgres" else 0),
    }
    if engine == "sqlite":
        seeds["mid"] = seed(db_url, "mid", size.mid)
    env = bench_env(db_url, WORK / f"data-{engine}")
    runs = []
    with Server(
        env, workers=opts.workers, threads=opts.threads, log=WORK / f"server-{engine}.log"
    ) as server:
        print(
            f"== {engine}: serving at {server.url} ({opts.workers} workers × {opts.threads} threads)",
            flush=True,
        )
        runs.append(
            drive(
                db_url,
                server,
                f"{engine}-floor",
                seeds["small50"]["project_id"],
                50,
                max(5, size.duration // 2),
                ping=True,
            )
        )
        plan = [("small50", 50), ("small200", 200), ("big", 50), ("big", 200)]
        if engine == "sqlite":
            plan.insert(2, ("mid", 50))
        for name, k in plan:
            s = seeds[name]
            runs.append(
                drive(
                    db_url,
                    server,
                    f"{engine}-cycle-{s['tasks']}-k{k}",
                    s["project_id"],
                    k,
                    size.duration,
                )
                | {"tasks": s["tasks"], "k": k, "kind": "cycle"}
            )
        for name in ("small50", "big"):
            s = seeds[name]
            runs.append(
                drive(
                    db_url,
                    server,
                    f"{engine}-single-new-{s['tasks']}",
                    s["project_id"],
                    1,
                    size.single,
                )
                | {"tasks": s["tasks"], "kind": "single", "who": "new volunteer"}
            )
        for placement, veteran in seeds["big"].get("veterans", {}).items():
            runs.append(
                drive(
                    db_url,
                    server,
                    f"{engine}-single-veteran-{placement}",
                    seeds["big"]["project_id"],
                    1,
                    size.single,
                    keys=[veteran["api_key"]],
                )
                | {
                    "tasks": seeds["big"]["tasks"],
                    "kind": "single",
                    "who": f"veteran, {size.history} answers ({placement})",
                }
            )
    if not opts.keep:
        from bench.dj import drop_database

        drop_database(db_url)
    log = (WORK / f"server-{engine}.log").read_text(errors="replace")
    return {
        "engine": engine,
        "db_url": db_url,
        "seeds": seeds,
        "runs": runs,
        "database_locked_in_log": log.count("database is locked"),
    }


def import_export(size: Size) -> dict:
    """The product's importer and exporter at scale (bench/import_export.py), on PostgreSQL."""
    base = os.environ.get("CROWDFOLD_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    out = WORK / "import_export.json"
    env = {**os.environ, "DATABASE_URL": f"{base}/crowdfold_bench_io"}
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "import_export.py"),
            "--tasks",
            str(size.io_tasks),
            "--runs",
            str(size.io_runs),
            "--formats",
            "csv,jsonl",
            "--json",
            str(out),
        ],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.read_text())


def machine() -> dict:
    def first(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return "?"

    import sqlite3

    import django
    import granian
    import psycopg

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().split("\n")
            if line.startswith("model name")
        ),
        "?",
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.__version__,
        "granian": granian.__version__,
        "psycopg": psycopg.__version__,
        "sqlite": sqlite3.sqlite_version,
        "postgres": first(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "show server_version"]
        ),
        "wrk": first(["sh", "-c", "wrk -v 2>&1 | head -1"]),
        "load_average": os.getloadavg(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="standard")
    parser.add_argument("--engines", default="postgres,sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "REPORT.md")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the report from the last results"
    )
    opts = parser.parse_args(argv)
    if opts.report_only:
        saved = json.loads((WORK / "results.json").read_text())
        notes = REPO / "bench" / "report_notes.md"
        if notes.exists():
            saved["meta"]["notes"] = notes.read_text()
        write_report(opts.out, saved["meta"], saved["results"])
        return 0
    if not shutil.which("wrk"):
        parser.error("wrk is required (Debian: apt-get install wrk)")
    WORK.mkdir(parents=True, exist_ok=True)
    size = SIZES[opts.size]
    started = time.time()
    before = machine()
    results = [bench_engine(engine, size, opts) for engine in opts.engines.split(",")]
    io = import_export(size) if "postgres" in opts.engines.split(",") else None
    meta = {
        "size": opts.size,
        "size_detail": size.__dict__,
        "workers": opts.workers,
        "threads": opts.threads,
        "machine": before,
        "load_after": os.getloadavg(),
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "minutes": round((time.time() - started) / 60, 1),
        "io": io,
    }
    notes = REPO / "bench" / "report_notes.md"
    if notes.exists():
        meta["notes"] = notes.read_text()
    (WORK / "results.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    write_report(opts.out, meta, results)
    print(f"wrote {opts.out} ({meta['minutes']} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
