"""Fixtures for the operations tests: local stand-ins for the services Crowdfold talks to."""

from __future__ import annotations

import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def require_service(name: str, problem: str | None) -> None:
    """Skip locally, fail under CI=true, when a service the test needs is missing."""
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{name} is required under CI: {problem}")
    pytest.skip(f"{name} is not available: {problem}")


class Receiver:
    """An HTTP server on a loopback port that records what it is sent and answers as told.

    ``responses`` is a list of (status, body) consumed one per request; when empty it answers 200.
    ``redirect_to`` turns every answer into a 302 to that URL.
    """

    def __init__(self, host: str = "127.0.0.1"):
        self.requests: list[dict] = []
        self.responses: list[tuple[int, str]] = []
        self.redirect_to: str | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                receiver.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                    }
                )
                if receiver.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", receiver.redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, text = receiver.responses.pop(0) if receiver.responses else (200, "OK")
                payload = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.host = host
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/hook"

    def json_bodies(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests if r["body"]]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    rec = Receiver()
    yield rec
    rec.close()


@pytest.fixture
def allow_private_urls(settings):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = True
    return settings


@pytest.fixture
def jobs(db):
    """The in-memory job queue of immediate mode, emptied before and after the test. ``run_due()``
    runs the jobs scheduled for later (retries, backoff) as if their time had come."""
    import datetime

    from huey.contrib.djhuey import HUEY

    HUEY.flush()

    class Jobs:
        huey = HUEY

        def run_due(self) -> int:
            far = datetime.datetime(2999, 1, 1)
            due = HUEY.read_schedule(far)
            for task in due:
                HUEY.execute(task, far)
            return len(due)

    yield Jobs()
    HUEY.flush()


@pytest.fixture
def answer_all(api, django_capture_on_commit_callbacks):
    """``answer_all(project, people)``: each person asks for tasks and answers them until the
    project has nothing left for them. On-commit hooks (webhooks) run as each answer commits."""

    def run(project, people, info="yes") -> int:
        return _answer_all(api, django_capture_on_commit_callbacks, project, people, info)

    return run


def _answer_all(api, on_commit, project, people, info) -> int:
    answered = 0
    for person in people:
        client = api(person)
        while True:
            task = client.get(f"/api/project/{project.pk}/newtask").json()
            if not task:
                break
            with on_commit(execute=True):
                res = client.post(
                    "/api/taskrun", {"project_id": project.pk, "task_id": task["id"], "info": info}
                )
            assert res.status_code == 200, res.content
            answered += 1
    return answered
