"""The per-person frontier (crowdfold/tasks/frontier.md): a veteran's next task starts where their
history ends, and every change that puts an open task before that point moves it back."""

from __future__ import annotations

import pytest
from django.db import connection

from crowdfold.tasks import frontier
from crowdfold.tasks.models import Task, TaskFrontier, TaskRun
from tests.conftest import make_tasks


@pytest.fixture(autouse=True)
def advance_on_every_request(monkeypatch):
    monkeypatch.setattr(frontier, "ADVANCE_EVERY", 1)


def next_id(client, project):
    body = client.get(f"/api/project/{project.pk}/newtask").json()
    return body.get("id")


def answer_next(client, project) -> int:
    task_id = next_id(client, project)
    body = {"project_id": project.pk, "task_id": task_id, "info": "Yes"}
    assert client.post("/api/taskrun", body).status_code == 200
    return task_id


def position(project, user):
    row = TaskFrontier.objects.get(project=project, contributor_key=f"u:{user.pk}")
    return (row.priority_0, row.task_id)


def test_frontier_follows_the_volunteers_answers(api, project, volunteer):
    tasks = make_tasks(project, 12, n_answers=2)  # answered tasks stay open for a second person
    client = api(volunteer)
    answered = [answer_next(client, project) for _ in range(10)]
    assert answered == [t.pk for t in tasks[:10]]
    assert next_id(client, project) == tasks[10].pk
    assert position(project, volunteer) == (0.0, tasks[10].pk)


def test_skipped_tasks_are_passed_and_depth_first_all_offers_them_at_the_end(
    api, project, volunteer
):
    project.info = {**project.info, "sched": "depth_first_all"}
    project.save()
    tasks = make_tasks(project, 3, n_answers=2)
    client = api(volunteer)
    first = next_id(client, project)
    skipped = client.post(f"/api/project/{project.pk}/skip", {"task_id": first})
    assert skipped.status_code == 200, skipped.content
    answer_next(client, project)
    answer_next(client, project)
    assert next_id(client, project) == first  # depth_first_all: the skipped one, last
    assert position(project, volunteer)[1] == tasks[-1].pk + 1  # past the end


def test_a_new_task_with_higher_priority_comes_first_for_a_veteran(api, project, owner, volunteer):
    make_tasks(project, 6, n_answers=2)
    client = api(volunteer)
    for _ in range(4):
        answer_next(client, project)
    created = api(owner).post(
        "/api/task", {"project_id": project.pk, "info": {"n": "urgent"}, "priority_0": 0.9}
    )
    assert created.status_code == 200, created.content
    assert next_id(client, project) == created.json()["id"]


def test_a_task_added_after_everything_was_done_is_offered(api, project, owner, volunteer):
    make_tasks(project, 3, n_answers=2)
    client = api(volunteer)
    for _ in range(3):
        answer_next(client, project)
    assert next_id(client, project) is None
    created = api(owner).post("/api/task", {"project_id": project.pk, "info": {"n": "late"}})
    assert next_id(client, project) == created.json()["id"]


def test_raising_a_priority_moves_the_task_before_the_frontier(api, project, owner, volunteer):
    tasks = make_tasks(project, 8, n_answers=2)
    client = api(volunteer)
    for _ in range(4):
        answer_next(client, project)
    late = tasks[-1]
    assert api(owner).put(f"/api/task/{late.pk}", {"priority_0": 0.5}).status_code == 200
    assert next_id(client, project) == late.pk


def test_a_reopened_task_before_the_frontier_is_offered(api, project, owner, volunteer, outsider):
    tasks = make_tasks(project, 5, n_answers=1)
    other = api(outsider)
    assert answer_next(other, project) == tasks[0].pk  # completes task 0 for good
    client = api(volunteer)
    for _ in range(3):
        answer_next(client, project)
    # Two answers wanted now: task 0 reopens, before the volunteer's frontier.
    assert api(owner).put(f"/api/task/{tasks[0].pk}", {"n_answers": 2}).status_code == 200
    assert Task.objects.get(pk=tasks[0].pk).state == "ongoing"
    assert next_id(client, project) == tasks[0].pk


def test_a_deleted_answer_gives_the_task_back_to_its_author(api, project, volunteer):
    tasks = make_tasks(project, 6, n_answers=2)
    client = api(volunteer)
    for _ in range(4):
        answer_next(client, project)
    run = TaskRun.objects.get(task=tasks[1], user=volunteer)
    assert client.delete(f"/api/taskrun/{run.pk}").status_code == 204  # its author may
    assert next_id(client, project) == tasks[1].pk


def test_the_frontier_triggers_exist_after_migrations(db):
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'crowdfold_%%frontier%%'")
        else:
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cur.fetchall()}
    expected = {
        "crowdfold_task_frontier_insert",
        "crowdfold_task_frontier_update",
        "crowdfold_taskrun_frontier",
        "crowdfold_taskskip_frontier",
    }
    if connection.vendor == "postgresql":
        expected.add("crowdfold_task_frontier_guard")
    # A later migration that rebuilds one of these tables on SQLite drops its triggers: this
    # test is what notices.
    assert expected <= names
