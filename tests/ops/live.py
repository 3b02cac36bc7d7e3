"""A Crowdfold installation in its own processes: its own data dir and database, commands run the
way an operator runs them (``crowdfold migrate|serve|worker``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
CLI = "from crowdfold.cli import main; main()"
# Variables of the developer's shell that would leak another configuration into the site.
_PREFIXES = ("REDIS_", "CROWDFOLD_", "HUEY_", "MAIL_", "DATABASE_", "UPLOAD_", "ADMINS")


class LiveSite:
    def __init__(self, root: Path, database_url: str | None = None, **env: str):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        base = {k: v for k, v in os.environ.items() if not k.startswith(_PREFIXES)}
        self.env = {
            **base,
            "PYTHONPATH": f"{REPO}{os.pathsep}{base.get('PYTHONPATH', '')}",
            "CROWDFOLD_DATA_DIR": str(root / "data"),
            "DATABASE_URL": database_url or f"sqlite:///{root / 'site.sqlite3'}",
            "CROWDFOLD_ALLOW_PRIVATE_URLS": "true",
            "CROWDFOLD_LOG_LEVEL": "WARNING",
            **env,
        }
        self.procs: list[subprocess.Popen] = []

    def cli(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-c", CLI, *args],
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    def python(self, code: str, timeout: float = 120):
        """Run ``code`` inside the site (Django set up); it assigns ``out``, which is returned."""
        script = (
            "import json, os, django\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'crowdfold.settings')\n"
            "django.setup()\n"
            "out = None\n"
            f"{code}\n"
            "print('@@' + json.dumps(out))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        line = [ln for ln in result.stdout.splitlines() if ln.startswith("@@")][-1]
        return json.loads(line[2:])

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Read the site's database directly (cheap enough to poll, unlike a Django process)."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite:///"):
            import sqlite3

            with sqlite3.connect(url[len("sqlite:///") :], timeout=30) as conn:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute(sql, params).fetchall()

    def start(self, *args: str, name: str) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [sys.executable, "-c", CLI, *args],
            env=self.env,
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.log_path = self.root / f"{name}.log"
        self.procs.append(proc)
        return proc

    def serve(self, port: int, *extra: str, name: str = "web") -> str:
        proc = self.start(
            "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", *extra, name=name
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"serve exited: {proc.log_path.read_text()[-3000:]}")
            try:
                requests.get(f"{url}/api/", timeout=1)
                return url
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError(f"serve did not answer: {proc.log_path.read_text()[-3000:]}")

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text()

    def stop(self) -> None:
        import signal

        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()


def wait_for(check, timeout: float = 30, interval: float = 0.3):
    """Poll ``check()`` until it returns something truthy; return it (or fail after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, f"gave up waiting after {timeout}s"
            return value
        time.sleep(interval)
