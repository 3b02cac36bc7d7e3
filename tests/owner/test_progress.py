"""Live progress: JSON to poll, Server-Sent Events when SSE is on."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.test import Client

from crowdfold.tasks.models import Task
from tests.conftest import make_tasks


def test_progress_json_counts_completed_tasks(project):
    tasks = make_tasks(project, 4)
    Task.objects.filter(pk=tasks[0].pk).update(state="completed")
    cache.clear()
    data = Client().get("/project/birds/progress").json()
    assert data["n_tasks"] == 4
    assert data["n_completed_tasks"] == 1
    assert data["overall_progress"] == 25


def test_progress_stream_is_off_unless_sse_is_enabled(project, settings):
    settings.SSE = False
    assert Client().get("/project/birds/progress/stream").status_code == 404


def test_progress_stream_sends_progress_events(project, settings):
    settings.SSE = True
    make_tasks(project, 2)
    cache.clear()
    res = Client().get("/project/birds/progress/stream")
    assert res["Content-Type"] == "text/event-stream"
    chunks = iter(res.streaming_content)
    assert next(chunks).startswith(b"retry:")
    event = next(chunks).decode()
    assert event.startswith("event: progress\n")
    assert json.loads(event.split("data: ", 1)[1])["n_tasks"] == 2
    res.close()


def test_progress_of_a_password_protected_project_needs_the_password(project):
    from crowdfold.projects.services import set_project_password

    set_project_password(project, "secret")
    res = Client().get("/project/birds/progress")
    assert res.status_code == 302
    assert res["Location"].startswith("/project/birds/password?next=")
