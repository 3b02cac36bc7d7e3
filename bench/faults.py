"""Faults under load: K volunteers keep answering while a web process is killed, PostgreSQL restarts
and Redis stops; afterwards nothing acknowledged is lost and every invariant holds.

Everything runs on loopback in a temporary folder, and is torn down at the end: a private
PostgreSQL cluster (``initdb``/``pg_ctl`` from /usr/lib/postgresql/*/bin, a free port; the shared
server on 5432 is never touched), a private ``redis-server`` (cache, rate limits, job queue), two
``crowdfold serve`` processes and a ``crowdfold worker``. K volunteer threads loop newtask →
taskrun, asking one web process and answering on the other, and record every answer acknowledged
with HTTP 200. The schedule (seconds from the start of the load):

* ``kill``: ``kill -9`` the first web process (its whole process group), restart it 3 s later;
* ``pg``: ``pg_ctl restart -m fast`` (every connection is dropped);
* ``redis``: stop Redis for ``--redis-down`` (20) seconds, then start it again on the same port.

Then it checks: zero acknowledged answers lost and every invariant (bench/invariants.py), each
fault's service answered again within ``--recovery`` (10) s of the fault ending, errors the clients
saw were retryable 503s with ``Retry-After`` (or a refused connection to the dead process, which a
load balancer would route around), no request hung (client timeouts are counted), and every
completed task's webhook event (the project posts to a loopback receiver) is recorded after the
lost-event reconciliation has run. Exit status 1 if any check fails. docs/operations.md has a run.

    python -m bench.faults                      # K = 100, about 3 minutes
    python -m bench.faults -k 50 --json var/bench/faults.json
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.server import crowdfold_command, free_port

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = (3, 10)  # client connect / read timeout, seconds: a read timeout counts as a hang


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Services ------------------------------------------------------------------------------------
def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the ``postgres`` account then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Postgres:
    """A private cluster in ``root/pg`` on a free loopback port."""

    def __init__(self, root: Path):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
        if not bins:
            raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin, self.root, self.port = Path(bins[-1]), root, free_port()
        self.data = root / "pg"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/crowdfold_faults"

    def _ctl(self, *args: str, timeout: float = 60) -> None:
        cmd = _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", *args])
        # No pipes: the server it starts would hold them open and never let this call return.
        subprocess.run(
            cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def start(self) -> None:
        cmd = [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
        subprocess.run(
            _as_postgres([*cmd, "-E", "UTF8", "--no-sync"]), check=True, capture_output=True
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c max_connections=200"
        )
        self._ctl("-l", str(self.root / "pg.log"), "-o", options, "start")

    def restart(self) -> None:
        # pg_ctl reuses the server options of the last start, but not its log file.
        self._ctl("-l", str(self.root / "pg.log"), "-m", "fast", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("-m", "immediate", "stop")


class Redis:
    def __init__(self, root: Path):
        self.port, self.root = free_port(), root
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            # Persisted like a production job queue (docs/deploy.md): queued jobs survive a stop.
            + ["--appendonly", "yes", "--dir", str(self.root)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: self.command("PING") == "PONG", 10, "redis-server did not start")

    def command(self, *args: str) -> str:
        cmd = ["redis-cli", "-p", str(self.port), *args]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=5)
        return done.stdout.strip()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class Crowdfold:
    """``crowdfold`` commands in their own process groups, with one environment."""

    def __init__(self, root: Path, env: dict):
        self.root, self.env = root, env
        self.procs: dict[str, subprocess.Popen] = {}

    def run(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [*crowdfold_command(), *args], env=self.env, cwd=self.root, capture_output=True,
            text=True, timeout=timeout,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"crowdfold {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return done.stdout

    def python(self, code: str) -> str:
        """Run ``code`` with Django set up on the site's settings; returns what it printed."""
        setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'crowdfold.settings'; "
        done = subprocess.run(
            [sys.executable, "-c", setup + "django.setup()\n" + code], env=self.env,
            cwd=self.root, capture_output=True, text=True, timeout=300, check=True,
        )  # fmt: skip
        return done.stdout

    def start(self, name: str, *args: str) -> None:
        out = (self.root / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [*crowdfold_command(), *args], env=self.env, cwd=self.root, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def serve(self, name: str, port: int) -> None:
        self.start(name, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                   "--threads", "8", "--no-worker")  # fmt: skip

    def kill9(self, name: str) -> None:
        os.killpg(self.procs[name].pid, signal.SIGKILL)
        self.procs[name].wait(10)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


class HookReceiver:
    """The project's webhook: a loopback HTTP server that answers 200 and counts the task ids."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        received = self.task_ids = Counter()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    received[json.loads(body)["task_id"]] += 1
                except (ValueError, KeyError):
                    pass
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def wait_until(check, timeout: float, message: str) -> float:
    """Poll ``check`` until true; returns the seconds it took (raises after ``timeout``)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if check():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.1)
    raise RuntimeError(message)


def answers(url: str) -> bool:
    return requests.get(f"{url}/healthz", timeout=2).status_code == 200


# --- Volunteers ----------------------------------------------------------------------------------
@dataclass
class Outcome:
    started: float  # seconds since the load began
    target: int  # index of the web process asked
    call: str  # newtask | taskrun
    kind: str  # ok | 503 | 5xx | 4xx | refused | broken | timeout
    status: int | None = None
    retry_after: str | None = None
    error: str = ""
    ended: float = 0.0


@dataclass
class Load:
    urls: list[str]
    project: int
    keys: list[str]
    outcomes: list[Outcome] = field(default_factory=list)
    acked: dict[int, int] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)
    t0: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def call(self, session, method: str, target: int, path: str, body=None):
        """One request; records its outcome. Returns (response or None, outcome)."""
        started = self.now()
        outcome = Outcome(started, target, "newtask" if method == "GET" else "taskrun", "ok")
        response = None
        try:
            response = session.request(method, self.urls[target] + path, json=body, timeout=TIMEOUT)
        except requests.exceptions.ConnectTimeout:
            outcome.kind = "timeout"
        except requests.exceptions.ConnectionError as exc:
            # Refused: nothing listens (the killed process); safe to send elsewhere. Anything
            # else (reset mid-answer) leaves the request's fate unknown.
            outcome.kind = "refused" if "refused" in str(exc).lower() else "broken"
            outcome.error = f"web{target + 1} {type(exc).__name__}: {str(exc)[-120:]}"
        except requests.exceptions.Timeout:
            outcome.kind = "timeout"
        if response is not None:
            outcome.status = response.status_code
            outcome.retry_after = response.headers.get("Retry-After")
            code = response.status_code
            outcome.kind = "ok" if code == 200 else "503" if code == 503 else f"{code // 100}xx"
        outcome.ended = self.now()
        with self.lock:
            self.outcomes.append(outcome)
        return response, outcome

    def volunteer(self, index: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = self.keys[index]
        turn = index
        while not self.stop.is_set():
            ask, answer = turn % 2, (turn + 1) % 2
            turn += 1
            got = self._retrying(session, "GET", ask, f"/api/project/{self.project}/newtask")
            if got is None or got.status_code != 200:
                continue
            task = got.json()
            if not task:
                time.sleep(0.5)
                continue
            body = {"project_id": self.project, "task_id": task["id"], "info": {"v": index}}
            res = self._retrying(session, "POST", answer, "/api/taskrun", body)
            if res is not None and res.status_code == 200:
                with self.lock:
                    self.acked[res.json()["id"]] = task["id"]

    def _retrying(self, session, method, target, path, body=None):
        """As a client behind a load balancer: a refused connection goes to the other process at
        once; a 503 waits its Retry-After (capped at 2 s) and tries again."""
        for _ in range(5):
            if self.stop.is_set():
                return None
            res, outcome = self.call(session, method, target, path, body)
            if outcome.kind == "refused":
                target = 1 - target
                continue
            if res is not None and res.status_code == 503:
                time.sleep(min(float(res.headers.get("Retry-After") or 1), 2.0))
                continue
            return res
        return None


# --- The run -------------------------------------------------------------------------------------
@dataclass
class Fault:
    name: str
    began: float
    ended: float = 0.0
    notes: dict = field(default_factory=dict)


def run_faults(load: Load, site: Crowdfold, pg: Postgres, redis: Redis, web_ports, opts) -> list:
    faults: list[Fault] = []
    log(f"load began at epoch {time.time() - load.now():.2f}")

    def at(second: float) -> None:
        while load.now() < second:
            time.sleep(0.05)

    at(opts.warmup)
    fault = Fault("kill -9 web process 1, restart after 3 s", load.now())
    site.kill9("web1")
    time.sleep(3)
    site.serve("web1", web_ports[0])
    fault.ended = load.now()
    fault.notes["startup_seconds"] = round(
        wait_until(lambda: answers(load.urls[0]), 60, "web1 did not come back"), 2
    )
    faults.append(fault)
    log(f"web1 back after {fault.notes['startup_seconds']} s of start-up")

    at(faults[-1].ended + opts.gap)
    fault = Fault("PostgreSQL restart (pg_ctl restart -m fast)", load.now())
    pg.restart()
    fault.ended = load.now()
    fault.notes["restart_seconds"] = round(fault.ended - fault.began, 2)
    faults.append(fault)
    log(f"PostgreSQL restarted in {fault.notes['restart_seconds']} s")

    at(faults[-1].ended + opts.gap)
    fault = Fault(f"Redis stopped for {opts.redis_down} s", load.now())
    redis.stop()
    time.sleep(opts.redis_down)
    redis.start()
    fault.ended = load.now()
    fault.notes["cache_writes_again_after_s"] = round(
        wait_until(lambda: int(redis.command("DBSIZE") or 0) > 0, 30, "Redis stays unused"), 2
    )
    faults.append(fault)
    log(f"Redis back; cache in use again after {fault.notes['cache_writes_again_after_s']} s")
    at(faults[-1].ended + opts.gap)
    return faults


def _first_success(outcomes: list[Outcome], since: float) -> dict[str, float | None]:
    """Seconds from ``since`` to the first request started after it that succeeded, per process."""
    first: dict[str, float | None] = {"web1": None, "web2": None}
    for o in outcomes:
        name = f"web{o.target + 1}"
        if o.started >= since and o.kind == "ok" and first[name] is None:
            first[name] = round(o.started - since, 2)
    return first


def _timeline(outcomes: list[Outcome], step: float = 5.0) -> list[str]:
    """One line per ``step`` seconds: how many requests began then, by outcome."""
    buckets: dict[int, Counter] = {}
    for o in outcomes:
        buckets.setdefault(int(o.started // step), Counter())[o.kind] += 1
    return [
        f"{int(b * step):4d}s " + " ".join(f"{k}={n}" for k, n in sorted(buckets[b].items()))
        for b in sorted(buckets)
    ]


def summarise(load: Load, faults: list[Fault], opts) -> dict:
    outcomes = sorted(load.outcomes, key=lambda o: o.started)
    per_fault = []
    for fault in faults:
        window = [o for o in outcomes if fault.began <= o.started < fault.ended + opts.recovery]
        first = _first_success(outcomes, fault.ended)
        per_fault.append(
            {
                "fault": fault.name,
                "began_s": round(fault.began, 1),
                "ended_s": round(fault.ended, 1),
                "outcomes_until_recovery_deadline": dict(Counter(o.kind for o in window)),
                "first_success_after_end_s": first,
                "service_answered_after_s": min(
                    (s for s in first.values() if s is not None), default=None
                ),
                **fault.notes,
            }
        )
    # Connection failures are expected only to the killed process: requests it was serving when
    # it died, and connections refused until it answers again.
    kill = faults[0] if faults else None
    down_until = kill.ended + kill.notes.get("startup_seconds", 0) + 1 if kill else 0
    unexpected = [
        o
        for o in outcomes
        if o.kind in ("refused", "broken")
        and not (kill and o.target == 0 and kill.began <= o.ended and o.started <= down_until)
    ]
    return {
        "k": opts.k,
        "seconds": round(load.now(), 1),
        "requests": len(outcomes),
        "outcomes": dict(Counter(o.kind for o in outcomes)),
        "answers_acknowledged": len(load.acked),
        "503_without_retry_after": sum(
            1 for o in outcomes if o.kind == "503" and not o.retry_after
        ),
        "statuses_not_200": dict(
            Counter(o.status for o in outcomes if o.status not in (None, 200))
        ),
        "connection_failures_outside_the_killed_process": len(unexpected),
        "unexpected_connection_failures": dict(Counter(o.error for o in unexpected).most_common(5)),
        "faults": per_fault,
        "timeline": _timeline(outcomes),
    }


def verdicts(summary: dict, invariants: dict, opts) -> dict[str, bool]:
    outcomes = summary["outcomes"]
    checks = {
        "no acknowledged answer lost": invariants["counts"].get("acknowledged_but_lost", 1) == 0,
        "every invariant holds": not invariants["violations"],
        "no request hung (client timeouts)": outcomes.get("timeout", 0) == 0,
        "server errors were all 503 with Retry-After": outcomes.get("5xx", 0) == 0
        and summary["503_without_retry_after"] == 0,
        "connections failed only to the killed process while it was down": summary[
            "connection_failures_outside_the_killed_process"
        ]
        == 0,
    }
    for fault in summary["faults"]:
        took = fault["service_answered_after_s"]
        checks[f"answered within {opts.recovery:g} s of: {fault['fault']}"] = (
            took is not None and took <= opts.recovery
        )
    return checks


def sql(pg: Postgres, query: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(pg.url.replace("postgres://", "postgresql://", 1)) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def check_webhooks(pg: Postgres, project: int, hooks: HookReceiver, wait: float = 90) -> dict:
    """Every completed task's webhook event is recorded as a delivery (the worker's, or kept by the
    web process while the queue was away), given ``wait`` seconds for the worker to catch up."""

    def missing() -> set:
        completed = sql(
            pg,
            "SELECT id FROM crowdfold_task WHERE project_id = %s AND state = 'completed'",
            (project,),
        )
        recorded = sql(
            pg,
            "SELECT (payload->>'task_id')::bigint FROM crowdfold_webhook_delivery WHERE project_id = %s",
            (project,),
        )
        return {t for (t,) in completed} - {t for (t,) in recorded}

    started = time.monotonic()
    while missing() and time.monotonic() - started < wait:
        time.sleep(2)
    statuses = dict(
        sql(
            pg,
            "SELECT status, count(*) FROM crowdfold_webhook_delivery WHERE project_id = %s GROUP BY status",
            (project,),
        )
    )
    ((kept,),) = sql(
        pg,
        "SELECT count(*) FROM crowdfold_webhook_delivery WHERE project_id = %s AND attempts = 0",
        (project,),
    )
    lost = sorted(missing())
    # When the lost events' tasks were completed (epoch seconds), to set against the faults.
    completed_at = sql(
        pg,
        "SELECT task_id, extract(epoch FROM max(finish_time)) FROM crowdfold_taskrun"
        " WHERE task_id = ANY(%s) GROUP BY task_id",
        (lost[:10],),
    )
    failed = sql(pg, "SELECT task_name, left(error, 300) FROM crowdfold_failed_job")
    return {
        "completed_tasks_without_a_delivery": len(lost),
        "lost_completed_at_epoch": {t: round(float(e), 2) for t, e in completed_at},
        "failed_jobs": [list(f) for f in failed[:5]],
        "deliveries_by_status": statuses,
        "kept_while_the_queue_was_away_not_yet_sent": kept,
        "tasks_the_receiver_heard_of": len(hooks.task_ids),
        "tasks_posted_more_than_once": sum(1 for n in hooks.task_ids.values() if n > 1),
        "waited_s": round(time.monotonic() - started, 1),
    }


def check_invariants(env: dict, project: int, acked: dict, root: Path) -> dict:
    acked_file = root / "acked.txt"
    acked_file.write_text("".join(f"{run} {task}\n" for run, task in acked.items()))
    done = subprocess.run(
        [sys.executable, "-m", "bench.invariants", "--project", str(project), "--acked", str(acked_file)],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, default=100, help="simulated volunteers")
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before faults")
    parser.add_argument("--gap", type=float, default=15, help="seconds between faults")
    parser.add_argument("--redis-down", type=float, default=20)
    parser.add_argument("--recovery", type=float, default=10, help="allowed seconds to recover")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    opts = parser.parse_args(argv)
    for tool in ("redis-server", "redis-cli"):
        if not shutil.which(tool):
            parser.error(f"{tool} is required")
    root = Path(tempfile.mkdtemp(prefix="cf-faults-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    pg, redis = Postgres(root), Redis(root)
    site = None
    try:
        result = _run(root, pg, redis, opts)
        site = result.pop("_site")
        result.pop("_hooks").close()
        return _report(result, opts)
    finally:
        for stop in (site.stop_all if site else None, redis.stop, pg.stop):
            if stop:
                try:
                    stop()
                except Exception as exc:  # noqa: BLE001 - tear everything down regardless
                    log(f"teardown: {exc}")
        if not opts.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            log(f"kept {root}")


def _run(root: Path, pg: Postgres, redis: Redis, opts) -> dict:
    log(f"private PostgreSQL on :{pg.port}, Redis on :{redis.port}, in {root}")
    pg.start()
    redis.start()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "CROWDFOLD_", "HUEY_"))
    }
    env.update(
        DATABASE_URL=pg.url, CROWDFOLD_DATA_DIR=str(root / "data"), CROWDFOLD_REDIS_URL=redis.url,
        CROWDFOLD_JOBS_REDIS_URL=redis.url, CROWDFOLD_JOBS_IN_SERVE="false", LIMIT="100000000",
        CROWDFOLD_LOG_LEVEL="WARNING", CROWDFOLD_DEBUG="false", PYTHONPATH=str(REPO),
        CROWDFOLD_ALLOW_PRIVATE_URLS="true", CROWDFOLD_WEBHOOK_BACKOFF="1",
        CROWDFOLD_WEBHOOK_RECONCILE_AFTER="10",
    )  # fmt: skip
    log("seeding")
    seed_out = root / "seed.json"
    subprocess.run(
        [sys.executable, "-m", "bench.seed", "--fresh", "--project", "faults", "--tasks",
         str(opts.tasks), "--volunteers", str(opts.k), "--out", str(seed_out)],
        env=env, cwd=REPO, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    seeded = json.loads(seed_out.read_text())
    hooks = HookReceiver()
    sql(
        pg,
        "UPDATE crowdfold_project SET webhook = %s WHERE id = %s",
        (hooks.url, seeded["project_id"]),
    )
    site = Crowdfold(root, env)
    result: dict = {"_site": site, "_hooks": hooks}
    ports = [free_port(), free_port()]
    site.run("migrate")  # once, so the two servers do not race to apply nothing
    for i, port in enumerate(ports, 1):
        site.serve(f"web{i}", port)
        wait_until(lambda port=port: answers(f"http://127.0.0.1:{port}"), 90, f"web{i} failed")
    site.start("worker", "worker", "--workers", "2")
    load = Load(
        [f"http://127.0.0.1:{p}" for p in ports],
        seeded["project_id"],
        [v["api_key"] for v in seeded["volunteers"]],
    )
    threads = [
        threading.Thread(target=load.volunteer, args=(i,), daemon=True) for i in range(opts.k)
    ]
    log(f"{opts.k} volunteers on {load.urls}")
    load.t0 = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        faults = run_faults(load, site, pg, redis, ports, opts)
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=TIMEOUT[0] + TIMEOUT[1] + 5)
    log("load stopped; checking the database")
    time.sleep(2)  # requests the servers had queued finish
    result["summary"] = summarise(load, faults, opts)
    result["invariants"] = check_invariants(env, seeded["project_id"], load.acked, root)
    time.sleep(10)  # CROWDFOLD_WEBHOOK_RECONCILE_AFTER: the last completions become eligible
    # What the every-ten-minutes job would do, done now rather than waited for.
    reconciled = site.python(
        "from crowdfold.ops.webhooks import record_missing_events; print(record_missing_events())"
    )
    result["webhooks"] = check_webhooks(pg, seeded["project_id"], hooks)
    result["webhooks"]["recorded_by_the_reconciliation"] = int(reconciled.strip().splitlines()[-1])
    result["worker_alive"] = site.procs["worker"].poll() is None
    return result


def _report(result: dict, opts) -> int:
    summary, invariants = result["summary"], result["invariants"]
    checks = verdicts(summary, invariants, opts)
    checks["the worker survived every fault"] = result["worker_alive"]
    hooks = result["webhooks"]
    checks["every completed task's webhook event is recorded (none lost)"] = (
        hooks["completed_tasks_without_a_delivery"] == 0
    )
    timeline = summary.pop("timeline")
    print(json.dumps({"summary": summary, "invariants": invariants["counts"]}, indent=1))
    print("\nRequests begun, per 5 s:\n  " + "\n  ".join(timeline))
    summary["timeline"] = timeline
    print(f"\nTotals: {json.dumps(invariants['totals'])}")
    print(f"Webhooks: {json.dumps(result['webhooks'])}")
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    if opts.json:
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        opts.json.write_text(
            json.dumps(
                {
                    "summary": summary,
                    "invariants": invariants,
                    "webhooks": result["webhooks"],
                    "checks": checks,
                },
                indent=1,
            )  # fmt: skip
        )
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
