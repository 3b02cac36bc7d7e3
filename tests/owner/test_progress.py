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


def test_project_page_polls_when_sse_is_off(project, settings):
    settings.SSE = False
    make_tasks(project, 2)
    html = Client().get("/project/birds/").content.decode()
    assert 'data-poll-url="/project/birds/progress"' in html
    assert 'data-stream-url=""' in html
    assert '<span id="live-completed">0</span>' in html
    assert '<span id="live-total">2</span>' in html
    assert "crowdfold/live-progress" in html


def test_project_page_follows_the_stream_when_sse_is_on(project, settings):
    settings.SSE = True
    html = Client().get("/project/birds/").content.decode()
    assert 'data-stream-url="/project/birds/progress/stream"' in html


def test_polled_progress_follows_answers_given_through_the_api(project, volunteer, api):
    """The figures the page polls move when a task is completed by a real answer."""
    make_tasks(project, 2, n_answers=1)
    client = api(volunteer)
    task = client.get(f"/api/project/{project.pk}/newtask").json()
    res = client.post("/api/taskrun", {"project_id": project.pk, "task_id": task["id"], "info": 1})
    assert res.status_code == 200, res.content
    cache.clear()  # the figures are cached for a few seconds
    data = Client().get("/project/birds/progress").json()
    assert (data["n_completed_tasks"], data["n_tasks"], data["overall_progress"]) == (1, 2, 50)
