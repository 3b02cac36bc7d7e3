"""Fifty volunteers at once against a real server (Granian, `crowdfold serve`) on the suite's database
engine: no task over-collects, nobody answers twice, no acknowledged answer is lost, every task ends
completed with one current result, and abandoned or skipped reservations come back.

The server runs in its own process on a database of its own (a file for SQLite, a fresh database for
PostgreSQL), seeded and checked with the benchmark tools in ``bench/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from bench.dj import database_config, drop_database
from bench.server import Server, bench_env

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]
VOLUNTEERS = 50
TASKS = 200
SMALL_TASKS = 40  # the abandon/skip scenario's project: a dozen volunteers, short TTL
ANONYMOUS_TASKS = 80  # the anonymous scenario proves identity handling; fewer tasks keep it short
N_ANSWERS = 3
RESERVATION_TTL = 3  # seconds: abandoned tasks must come back within the test
THREADS = 8  # request threads per server worker
DEADLINE = 150  # seconds per scenario: a hang guard, far above the few seconds a scenario takes


def _database_url(tmp_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        cfg = database_config(url)
        # One database per pytest-xdist worker: each worker sets this module's fixture up itself.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        return url.rsplit("/", 1)[0] + f"/{cfg['NAME']}_concurrency_{worker}"
    return f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"


def _run_tool(module: str, db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Projects of 200, 80 and 40 tasks (n_answers=3), 50 registered volunteers, a live server."""
    tmp = tmp_path_factory.mktemp("concurrency")
    db_url = _database_url(tmp)
    seeded = _run_tool(
        "bench.seed",
        db_url,
        "--fresh",
        "--project",
        "together",
        "--projects",
        "3",
        "--tasks",
        f"{TASKS},{ANONYMOUS_TASKS},{SMALL_TASKS}",
        "--n-answers",
        str(N_ANSWERS),
        "--volunteers",
        str(VOLUNTEERS),
        "--out",
        str(tmp / "seed.json"),
    )
    assert seeded.returncode == 0, seeded.stderr
    server = Server(bench_env(db_url, tmp), workers=2, threads=THREADS, log=tmp / "server.log")
    server.start()
    try:
        yield {
            "url": server.url,
            "db_url": db_url,
            "tmp": tmp,
            **json.loads((tmp / "seed.json").read_text()),
        }
    finally:
        server.stop()
        drop_database(db_url)


@pytest.fixture
def short_ttl_server(stack):
    """A second server on the same database whose reservations lapse after RESERVATION_TTL."""
    env = bench_env(
        stack["db_url"],
        stack["tmp"],
        CROWDFOLD_RESERVATION_TTL=str(RESERVATION_TTL),
        CROWDFOLD_RESERVATION_SWEEP_INTERVAL="1",
    )
    with Server(
        env, workers=2, threads=THREADS, log=stack["tmp"] / "server-short-ttl.log"
    ) as server:
        yield server


@dataclass
class Tally:
    """What the clients saw, shared by all volunteer threads (list.append is atomic)."""

    acked: list = field(default_factory=list)  # (run id, task id) of every 200 answer
    refused: list = field(default_factory=list)  # (status, exception_cls) of every other answer
    server_errors: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    abandoned: list = field(default_factory=list)


class Volunteer(threading.Thread):
    """newtask → taskrun until the project has nothing left for them.

    ``skip_every``: pass on every n-th task; ``abandon``: take that many tasks, never answer them,
    and wait for each reservation to lapse before asking again. ``patience``: how long to keep
    asking after being told nothing is left (abandoned tasks come back after the TTL)."""

    def __init__(
        self,
        base: str,
        project_id: int,
        tally: Tally,
        *,
        api_key=None,
        external=None,
        skip_every=0,
        abandon=0,
        patience=0.0,
    ):
        super().__init__(daemon=True)
        self.base, self.project_id, self.tally = base, project_id, tally
        self.session = requests.Session()
        self.params = {}
        if api_key:
            self.session.headers["Authorization"] = api_key
        if external:
            uid, token = external
            self.session.headers["Authorization"] = f"Bearer {token}"
            self.params = {"external_uid": uid}
        self.skip_every, self.abandon, self.patience = skip_every, abandon, patience
        self.served = 0

    def run(self) -> None:
        deadline = time.monotonic() + DEADLINE
        empty_since = None
        while time.monotonic() < deadline:
            task = self._newtask()
            if task is None:
                continue
            if not task:
                empty_since = empty_since or time.monotonic()
                if time.monotonic() - empty_since >= self.patience:
                    return
                time.sleep(0.2)
                continue
            empty_since = None
            self.served += 1
            if self.abandon:
                self.abandon -= 1
                self.tally.abandoned.append(task["id"])
                time.sleep(RESERVATION_TTL + 0.2)
            elif self.skip_every and self.served % self.skip_every == 0:
                self._skip(task["id"])
            else:
                self._answer(task["id"])

    def _newtask(self):
        res = self.session.get(
            f"{self.base}/api/project/{self.project_id}/newtask", params=self.params
        )
        if res.status_code >= 500:
            self.tally.server_errors.append(("newtask", res.status_code, res.text[:200]))
            return None
        assert res.status_code == 200, res.text
        return res.json()

    def _answer(self, task_id: int) -> None:
        body = {"project_id": self.project_id, "task_id": task_id, "info": {"answer": "yes"}}
        res = self.session.post(f"{self.base}/api/taskrun", params=self.params, json=body)
        if res.status_code == 200:
            self.tally.acked.append((res.json()["id"], task_id))
        elif res.status_code >= 500:
            self.tally.server_errors.append(("taskrun", res.status_code, res.text[:200]))
        else:
            self.tally.refused.append((res.status_code, res.json().get("exception_msg")))

    def _skip(self, task_id: int) -> None:
        res = self.session.post(
            f"{self.base}/api/project/{self.project_id}/skip",
            json={"task_id": task_id},
            params=self.params,
        )
        assert res.status_code == 200, res.text
        self.tally.skipped.append(task_id)


def _run_all(volunteers: list[Volunteer]) -> None:
    for v in volunteers:
        v.start()
    for v in volunteers:
        v.join(DEADLINE + 10)
    assert not any(v.is_alive() for v in volunteers), "a volunteer hung"


def _check(stack, project_id: int, tally: Tally) -> dict:
    acked_file = stack["tmp"] / f"acked-{project_id}.txt"
    acked_file.write_text("".join(f"{run} {task}\n" for run, task in tally.acked))
    checked = _run_tool(
        "bench.invariants",
        stack["db_url"],
        "--project",
        str(project_id),
        "--acked",
        str(acked_file),
    )
    assert checked.returncode in (0, 1), checked.stderr
    return json.loads(checked.stdout)


def _assert_all_done(report: dict, tally: Tally, tasks: int = TASKS) -> None:
    assert report["violations"] == {}
    assert tally.server_errors == []
    assert len({run for run, _ in tally.acked}) == len(tally.acked)
    assert report["totals"] == {
        "tasks": tasks,
        "completed_tasks": tasks,
        "answers_stored": tasks * N_ANSWERS,
        "answers_acknowledged": tasks * N_ANSWERS,
    }


def test_fifty_registered_volunteers_fill_every_task_exactly(stack):
    project = stack["projects"][0]["project_id"]
    tally = Tally()
    _run_all(
        [Volunteer(stack["url"], project, tally, api_key=v["api_key"]) for v in stack["volunteers"]]
    )
    _assert_all_done(_check(stack, project, tally), tally)
    assert tally.refused == []


def test_fifty_anonymous_external_volunteers_fill_every_task_exactly(stack):
    project = stack["projects"][1]
    tally = Tally()
    volunteers = [
        Volunteer(
            stack["url"],
            project["project_id"],
            tally,
            external=(f"ext-{i}", project["external_token"]),
        )
        for i in range(VOLUNTEERS)
    ]
    _run_all(volunteers)
    _assert_all_done(_check(stack, project["project_id"], tally), tally, tasks=ANONYMOUS_TASKS)
    assert tally.refused == []


def test_abandoned_and_skipped_reservations_come_back_to_others(stack, short_ttl_server):
    # Fewer volunteers here: each must answer well within the short TTL even on a busy machine.
    project = stack["projects"][2]["project_id"]
    base = short_ttl_server.url
    tally = Tally()
    keys = [v["api_key"] for v in stack["volunteers"][:12]]
    patience = RESERVATION_TTL + 2.5  # lapse + one sweep interval + slack
    abandoners = [Volunteer(base, project, tally, api_key=k, abandon=2) for k in keys[:2]]
    volunteers = [
        Volunteer(base, project, tally, api_key=k, skip_every=3, patience=patience)
        for k in keys[2:5]
    ]
    volunteers += [Volunteer(base, project, tally, api_key=k, patience=patience) for k in keys[5:]]
    # The abandoners take their first tasks before the others start: on a busy machine the others
    # could otherwise finish the project before an abandoner's first request is served.
    for v in abandoners:
        v.start()
    deadline = time.monotonic() + 30
    while len(tally.abandoned) < 2:
        assert time.monotonic() < deadline, "the abandoners were never served a task"
        time.sleep(0.05)
    _run_all(volunteers)
    for v in abandoners:
        v.join(DEADLINE + 10)
    assert not any(v.is_alive() for v in abandoners), "a volunteer hung"
    # Each abandoner walks away from its first task at least (a second one only if any is left).
    assert len(tally.abandoned) >= 2 and tally.skipped
    report = _check(stack, project, tally)
    # Every abandoned task ended with all its answers, so every lapsed reservation was given back.
    _assert_all_done(report, tally, tasks=SMALL_TASKS)
    # A volunteer slower than the TTL is told to ask again; nothing else is refused.
    assert {msg for _, msg in tally.refused} <= {"You must request a task first!"}
