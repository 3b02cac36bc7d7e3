"""K simulated volunteers loop newtask → taskrun against a running Crowdfold for D seconds.

The load generator is ``wrk`` with bench/volunteer.lua: one wrk thread and one keep-alive connection
per volunteer, each with its own API key, so the client costs a fraction of a core (its CPU use is
printed). Afterwards the database is checked for every invariant (bench/invariants.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cf_bench \\
        python -m bench.volunteers --url http://127.0.0.1:8123 --project 1 -k 50 -d 20

Without ``--url`` it starts ``crowdfold serve`` itself on a free loopback port (``--workers``,
``--threads``) and reports the server's CPU too. Volunteers are registered users created for the run
(``--keys`` reuses existing keys instead, e.g. a veteran with a long history).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

LUA = Path(__file__).with_name("volunteer.lua")


@dataclass
class RunResult:
    k: int
    seconds: float
    cycles: int = 0
    cycles_per_s: float = 0.0
    requests_per_s: float = 0.0
    newtask_ms: dict = field(default_factory=dict)
    taskrun_ms: dict = field(default_factory=dict)
    empty_newtasks: int = 0
    refusals: dict = field(default_factory=dict)  # "status message" -> count
    errors: dict = field(default_factory=dict)
    client_cpu_cores: float = 0.0
    server_cpu_cores: float | None = None
    db_cpu_cores: float | None = None  # PostgreSQL's backends for this database
    machine_busy_cores: float = 0.0
    acked: dict = field(default_factory=dict, repr=False)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def percentiles(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {
        "n": len(ordered),
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": round(ordered[-1], 2),
    }


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle since boot (to show what else ran during a run)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_wrk(
    url: str,
    project_id: int,
    keys: list[str],
    seconds: float,
    *,
    mode: str = "cycle",
    server=None,
    connections: int | None = None,
) -> RunResult:
    """One wrk run; returns the figures and the acknowledged answers."""
    from bench.server import database_cpu_seconds

    k = len(keys)
    with tempfile.TemporaryDirectory(prefix="cf-wrk-") as tmp:
        keys_file, out_file = Path(tmp) / "keys", Path(tmp) / "out"
        keys_file.write_text("\n".join(keys) + "\n")
        env = {
            **os.environ,
            "CF_KEYS": str(keys_file),
            "CF_PROJECT": str(project_id),
            "CF_OUT": str(out_file),
            "CF_MODE": mode,
        }
        threads = 2 if mode == "ping" else min(k, connections or k)
        cmd = [
            shutil.which("wrk") or "wrk",
            f"-t{threads}",
            f"-c{connections or k}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            url,
        ]
        server_cpu0 = server.cpu_seconds() if server else None
        db_cpu0 = database_cpu_seconds()
        busy0, wall0 = machine_busy_seconds(), time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - wall0
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout, stderr = proc.stdout.read().decode(), proc.stderr.read().decode()
        if proc.returncode != 0 or not out_file.exists():
            raise RuntimeError(f"wrk failed ({proc.returncode}): {stderr or stdout}")
        result = parse_output(out_file.read_text(), k, seconds)
    result.client_cpu_cores = round((usage.ru_utime + usage.ru_stime) / wall, 2)
    result.machine_busy_cores = round((machine_busy_seconds() - busy0) / wall, 2)
    if server:
        result.server_cpu_cores = round((server.cpu_seconds() - server_cpu0) / wall, 2)
    db_cpu1 = database_cpu_seconds()
    if db_cpu0 is not None and db_cpu1 is not None:
        # Backends that connected during the run count from zero (their whole life is in it).
        spent = sum(after - db_cpu0.get(pid, 0.0) for pid, after in db_cpu1.items())
        result.db_cpu_cores = round(spent / wall, 2)
    return result


def parse_output(text: str, k: int, seconds: float) -> RunResult:
    nt, tr, acked, refusals = [], [], {}, {}
    counts = [0, 0, 0, 0]
    wrk_errors = {}
    duration = seconds
    for line in text.split("\n"):
        tag, _, rest = line.partition(" ")
        if tag == "nt":
            nt.extend(float(x) for x in rest.split())
        elif tag == "tr":
            tr.extend(float(x) for x in rest.split())
        elif tag == "counts":
            counts = [a + int(b) for a, b in zip(counts, rest.split(), strict=True)]
        elif tag == "refused":
            refusals[rest] = refusals.get(rest, 0) + 1
        elif tag == "acked":
            run_id, task_id = rest.split()
            acked[int(run_id)] = int(task_id)
        elif tag == "wrk":
            parts = [int(x) for x in rest.split()]
            duration = parts[0] / 1e6
            wrk_errors = dict(
                zip(("connect", "read", "write", "status", "timeout"), parts[2:], strict=True)
            )
    cycles = len(acked)
    errors = {
        "newtask_non_200": counts[1],
        "taskrun_5xx": counts[2],
        "taskrun_refused": counts[3],
        "socket_connect": wrk_errors.get("connect", 0),
        "socket_read": wrk_errors.get("read", 0),
        "socket_write": wrk_errors.get("write", 0),
        "socket_timeout": wrk_errors.get("timeout", 0),
    }
    return RunResult(
        k=k,
        seconds=round(duration, 2),
        cycles=cycles,
        cycles_per_s=round(cycles / duration, 1),
        requests_per_s=round((len(nt) + len(tr)) / duration, 1),
        newtask_ms=percentiles(nt),
        taskrun_ms=percentiles(tr),
        empty_newtasks=counts[0],
        refusals=refusals,
        errors=errors,
        acked=acked,
    )


def format_result(label: str, r: RunResult) -> str:
    nt, tr = r.newtask_ms, r.taskrun_ms
    server = f", server {r.server_cpu_cores} cores" if r.server_cpu_cores is not None else ""
    if r.db_cpu_cores is not None:
        server += f", PostgreSQL {r.db_cpu_cores} cores"
    lines = [
        f"{label}: {r.cycles_per_s} cycles/s ({r.cycles} answers in {r.seconds} s, K={r.k})",
        f"  newtask ms p50 {nt.get('p50')} p95 {nt.get('p95')} p99 {nt.get('p99')} max {nt.get('max')} (n={nt.get('n')})",
        f"  taskrun ms p50 {tr.get('p50')} p95 {tr.get('p95')} p99 {tr.get('p99')} max {tr.get('max')} (n={tr.get('n')})",
        f"  errors {r.error_count} {json.dumps({k: v for k, v in r.errors.items() if v})}; empty newtasks {r.empty_newtasks}"
        + (f"; refused: {json.dumps(r.refusals)}" if r.refusals else ""),
        f"  CPU: client (wrk) {r.client_cpu_cores} cores{server}, whole machine {r.machine_busy_cores} of {os.cpu_count()}",
    ]
    return "\n".join(lines)


def _ping(url: str, args, keys: list[str], server) -> int:
    if args.warmup:
        run_wrk(
            url,
            args.project,
            keys[:1],
            args.warmup,
            mode="ping",
            server=server,
            connections=args.volunteers,
        )
    result = run_wrk(
        url,
        args.project,
        keys[:1],
        args.duration,
        mode="ping",
        server=server,
        connections=args.volunteers,
    )
    result.k = args.volunteers  # connections (one API key is enough: /api/ needs none)
    lat = result.newtask_ms
    print(
        f"HTTP floor (GET /api/, {args.volunteers} connections): {result.requests_per_s} req/s, "
        f"ms p50 {lat.get('p50')} p99 {lat.get('p99')}; client {result.client_cpu_cores} cores"
    )
    if args.json:
        args.json.write_text(json.dumps({"result": asdict(result) | {"acked": 0}}))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server; omit to start `crowdfold serve` here")
    parser.add_argument("--project", type=int, required=True)
    parser.add_argument("-k", "--volunteers", type=int, default=50)
    parser.add_argument("-d", "--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=2, help="seconds of unmeasured load first")
    parser.add_argument(
        "--keys", type=Path, help="file of API keys to use instead of new volunteers"
    )
    parser.add_argument("--server-pid", type=int, help="with --url: measure this server's CPU too")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--ping",
        action="store_true",
        help="the HTTP floor instead: K connections GET /api/ (no database)",
    )
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL (the invariants are checked in the database)")

    from bench.dj import setup_django
    from bench.invariants import check, wait_until_quiet
    from bench.seed import create_volunteers
    from bench.server import RunningServer, Server, bench_env

    setup_django()
    if args.keys:
        keys = args.keys.read_text().split()
    else:
        keys = [v["api_key"] for v in create_volunteers(1 if args.ping else args.volunteers)]
    server = None
    if not args.url:
        data_dir = Path(tempfile.mkdtemp(prefix="cf-bench-"))
        server = Server(
            bench_env(os.environ["DATABASE_URL"], data_dir),
            workers=args.workers,
            threads=args.threads,
            log=data_dir / "server.log",
        ).start()
    url = args.url or server.url
    measured = server or (RunningServer(args.server_pid) if args.server_pid else None)
    try:
        if args.ping:
            return _ping(url, args, keys, measured)
        acked: dict[int, int] = {}
        if args.warmup:
            acked.update(run_wrk(url, args.project, keys, args.warmup, server=measured).acked)
            # Requests the server still has queued from the warm-up would race the same
            # volunteers' first requests of the measured run (and be refused as duplicates).
            wait_until_quiet(args.project)
        result = run_wrk(url, args.project, keys, args.duration, server=measured)
        acked.update(result.acked)
    finally:
        if server:
            server.stop()
    print(format_result("volunteer cycle", result))
    wait_until_quiet(args.project)
    report = check(args.project, acked)
    print(
        f"  invariants: {'OK' if not report['violations'] else 'VIOLATED'} {json.dumps(report['totals'])}"
    )
    for name, samples in report["violations"].items():
        print(f"    {name}: {samples}")
    if args.json:
        args.json.write_text(
            json.dumps({"result": asdict(result) | {"acked": len(acked)}, "invariants": report})
        )
    return 1 if report["violations"] or result.error_count else 0


if __name__ == "__main__":
    sys.exit(main())
