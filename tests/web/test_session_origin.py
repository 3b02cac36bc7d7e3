"""Session-authenticated answers must come from our own pages (the presenter bridge)."""

from __future__ import annotations

import json

import pytest

from crowdfold.tasks.models import TaskRun
from tests.conftest import make_tasks


@pytest.fixture
def held_task(browser_as, with_presenter, volunteer):
    (task,) = make_tasks(with_presenter, 1)
    client = browser_as(volunteer)
    assert client.get(f"/project/birds/task/{task.pk}").status_code == 200
    return client, task


def post_answer(client, task, **headers):
    body = json.dumps({"project_id": task.project_id, "task_id": task.pk, "info": "Yes"})
    return client.post("/api/taskrun", body, content_type="application/json", **headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame, if a browser ever attached the cookie
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
    ids=["other-site", "sandboxed-frame", "other-site-referer"],
)
def test_session_answer_from_another_origin_is_refused(held_task, headers):
    client, task = held_task
    res = post_answer(client, task, **headers)
    assert res.status_code == 403
    assert res.json()["exception_cls"] == "Forbidden"
    assert not TaskRun.objects.exists()


def test_session_answer_from_our_own_page_is_stored(held_task, volunteer):
    client, task = held_task
    res = post_answer(client, task, HTTP_ORIGIN="http://testserver")
    assert res.status_code == 200
    assert TaskRun.objects.get().user_id == volunteer.pk


def test_session_skip_from_another_origin_is_refused(held_task):
    client, task = held_task
    res = client.post(
        f"/api/project/{task.project_id}/skip",
        json.dumps({"task_id": task.pk}),
        content_type="application/json",
        HTTP_ORIGIN="https://evil.example",
    )
    assert res.status_code == 403


def test_api_key_answers_are_not_subject_to_the_origin_check(api, with_presenter, volunteer):
    (task,) = make_tasks(with_presenter, 1)
    client = api(volunteer)
    client.get(f"/api/project/{with_presenter.pk}/newtask")
    res = client.post(
        "/api/taskrun",
        {"project_id": with_presenter.pk, "task_id": task.pk, "info": "Yes"},
        HTTP_ORIGIN="https://elsewhere.example",
    )
    assert res.status_code == 200
