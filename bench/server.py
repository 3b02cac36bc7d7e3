"""Start a real ``crowdfold serve`` (Granian) on a free loopback port, and measure its CPU."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def crowdfold_command() -> list[str]:
    beside = Path(sys.executable).parent / "crowdfold"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("crowdfold")
    if found:
        return [found]
    return [sys.executable, "-c", "from crowdfold.cli import main; main()"]


def bench_env(database_url: str, data_dir: Path, **extra: str) -> dict:
    """The server's environment: no rate limit (one client plays every volunteer), quiet logs."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        CROWDFOLD_DATA_DIR=str(data_dir),
        LIMIT="1000000000",
        CROWDFOLD_RATE_LIMIT="false",
        CROWDFOLD_LOG_LEVEL="ERROR",
        CROWDFOLD_DEBUG="false",
    )
    env.update(extra)
    return env


class Server:
    """``crowdfold serve`` in its own process group, so stopping it stops its workers too."""

    def __init__(self, env: dict, *, workers: int = 2, threads: int | None = None, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env, self.workers, self.threads, self.log_path = env, workers, threads, log
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Server:
        args = [
            *crowdfold_command(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        if self.threads:
            args += ["--threads", str(self.threads)]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            args, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/", timeout=2) as res:
                    if res.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout} s; see {self.log_path}")

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self._log.close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of one live process (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def process_tree(root: int) -> list[int]:
    """A process and all its descendants."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        tree.append(pid)
        frontier.extend(child for child, parent in parents.items() if parent == pid)
    return tree


def tree_cpu_seconds(root: int) -> float:
    return sum(process_cpu_seconds(pid) for pid in process_tree(root))


def database_cpu_seconds() -> dict[int, float] | None:
    """CPU seconds so far of each PostgreSQL backend connected to this benchmark's database (a
    server on this machine: read from /proc), by process id; None on SQLite. Needs Django set up."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cur.fetchall()]
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile, or another machine's server
        seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime
    return seconds


class RunningServer:
    """A server someone else started, known by its process id (for CPU accounting only)."""

    def __init__(self, pid: int):
        self.pid = pid

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.pid)
