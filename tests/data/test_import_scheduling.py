"""A bulk import (COPY straight into the task table when the project has no tasks, otherwise
into a staging table and one INSERT … SELECT) keeps the scheduler's bookkeeping right: the database
triggers that move a veteran's frontier fire for imported tasks."""

from __future__ import annotations

import pytest

from crowdfold.tasks import frontier
from crowdfold.tasks.models import Task
from tests.conftest import make_tasks
from tests.data.conftest import jsonl


@pytest.fixture(autouse=True)
def advance_on_every_request(monkeypatch):
    monkeypatch.setattr(frontier, "ADVANCE_EVERY", 1)


def next_id(client, project):
    return client.get(f"/api/project/{project.pk}/newtask").json().get("id")


def answer_all(client, project) -> None:
    while (task_id := next_id(client, project)) is not None:
        body = {"project_id": project.pk, "task_id": task_id, "info": "Yes"}
        assert client.post("/api/taskrun", body).status_code == 200


def test_imported_tasks_reach_a_veteran_who_had_done_everything(
    run, api, project, volunteer, tmp_path
):
    make_tasks(project, 3, n_answers=2)
    client = api(volunteer)
    answer_all(client, project)
    path = tmp_path / "more.jsonl"
    path.write_bytes(jsonl([{"late": i} for i in range(5)]))
    assert run("load", project.short_name, path).exit_code == 0
    first_new = Task.objects.filter(project=project, info__late=0).get().pk
    assert next_id(client, project) == first_new


def test_an_urgent_import_comes_before_a_veterans_frontier(run, api, project, volunteer, tmp_path):
    make_tasks(project, 6, n_answers=2)
    client = api(volunteer)
    for _ in range(4):
        task_id = next_id(client, project)
        body = {"project_id": project.pk, "task_id": task_id, "info": "Yes"}
        assert client.post("/api/taskrun", body).status_code == 200
    path = tmp_path / "urgent.jsonl"
    path.write_bytes(jsonl([{"urgent": i} for i in range(3)]))
    assert run("load", project.short_name, path, "--priority", "0.9").exit_code == 0
    urgent = Task.objects.filter(project=project, priority_0=0.9).order_by("id").first()
    assert next_id(client, project) == urgent.pk


@pytest.mark.parametrize("priority", ["0", "0.9"])
def test_an_import_into_an_emptied_project_reaches_a_veteran(
    run, api, project, volunteer, tmp_path, priority
):
    # The veteran's frontier outlives the tasks it pointed at; the new import goes straight in.
    make_tasks(project, 3, n_answers=1)
    client = api(volunteer)
    answer_all(client, project)
    Task.objects.filter(project=project).delete()
    path = tmp_path / "fresh.jsonl"
    path.write_bytes(jsonl([{"fresh": i} for i in range(4)] + [{"fresh": 0}]))
    result = run("load", project.short_name, path, "--priority", priority)
    assert "Loaded 4 tasks" in result.output
    first = Task.objects.filter(project=project, info__fresh=0).get().pk
    assert next_id(client, project) == first
