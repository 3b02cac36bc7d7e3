"""/api/task: anyone reads, project owners write, redundancy edits re-decide completion."""

from __future__ import annotations

import pytest

from crowdfold.tasks.models import Result, Task, TaskRun
from tests.api.conftest import assert_error
from tests.conftest import make_tasks


def answer(api, person, project, task, info="Yes"):
    client = api(person)
    got = client.get(f"/api/project/{project.pk}/newtask").json()
    assert got["id"] == task.pk
    res = client.post("/api/taskrun", {"project_id": project.pk, "task_id": task.pk, "info": info})
    assert res.status_code == 200, res.content
    return res.json()


def test_anyone_reads_a_task_with_its_links(api, project):
    (task,) = make_tasks(project, 1)
    row = api().get(f"/api/task/{task.pk}").json()
    assert row["info"] == {"n": 0} and row["project_id"] == project.pk and row["state"] == "ongoing"
    assert (
        row["link"]
        == f"<link rel='self' title='task' href='http://testserver/api/task/{task.pk}'/>"
    )
    assert row["links"] == [
        f"<link rel='parent' title='project' href='http://testserver/api/project/{project.pk}'/>"
    ]


@pytest.mark.parametrize("role", ["owner", "coowner", "admin"])
def test_managers_create_tasks_like_pbclient(clients, project, role):
    body = {
        "project_id": project.pk,
        "info": {"url": "a.jpg"},
        "calibration": 0,
        "priority_0": 0.5,
        "n_answers": 3,
        "quorum": 0,
    }
    res = clients[role].post("/api/task", body)
    assert res.status_code == 200, res.content
    row = res.json()
    assert row["n_answers"] == 3 and row["priority_0"] == 0.5 and "link" not in row
    assert Task.objects.get(pk=row["id"]).info == {"url": "a.jpg"}


def test_task_defaults_to_thirty_answers(clients, project):
    assert (
        clients["owner"]
        .post("/api/task", {"project_id": project.pk, "info": "plain string"})
        .json()["n_answers"]
        == 30
    )


@pytest.mark.parametrize(
    ("role", "status", "cls"), [("outsider", 403, "Forbidden"), ("anonymous", 401, "Unauthorized")]
)
def test_others_cannot_create_edit_or_delete_tasks(clients, project, role, status, cls):
    (task,) = make_tasks(project, 1)
    assert_error(
        clients[role].post("/api/task", {"project_id": project.pk, "info": {}}),
        status,
        cls,
        target="task",
    )
    assert_error(
        clients[role].put(f"/api/task/{task.pk}", {"n_answers": 1}), status, cls, target="task"
    )
    assert_error(clients[role].delete(f"/api/task/{task.pk}"), status, cls, target="task")
    assert Task.objects.filter(project=project).count() == 1


def test_task_for_missing_project_is_badrequest(clients, project):
    assert_error(
        clients["owner"].post("/api/task", {"project_id": 9999, "info": {}}),
        400,
        "BadRequest",
        target="task",
    )


def test_reserved_and_unknown_keys(clients, project):
    (task,) = make_tasks(project, 1)
    assert_error(
        clients["owner"].post("/api/task", {"project_id": project.pk, "state": "completed"}),
        400,
        "BadRequest",
        target="task",
    )
    assert_error(
        clients["owner"].put(f"/api/task/{task.pk}", {"state": "completed"}),
        400,
        "BadRequest",
        target="task",
    )
    assert_error(
        clients["owner"].put(f"/api/task/{task.pk}", {"colour": 1}), 415, "TypeError", target="task"
    )
    assert_error(
        clients["owner"].put(f"/api/task/{task.pk}", {"n_answers": "many"}),
        415,
        "DataError",
        target="task",
    )


def test_pbclient_update_task_round_trip_keeps_links_out(clients, project):
    (task,) = make_tasks(project, 1)
    row = clients["owner"].get(f"/api/task/{task.pk}").json()
    for key in ("id", "created", "state", "fav_user_ids"):
        row.pop(key)
    row["info"] = {"n": 99}
    res = clients["owner"].put(f"/api/task/{task.pk}", row)
    assert res.status_code == 200, res.content
    assert Task.objects.get(pk=task.pk).info == {"n": 99}


def test_a_task_cannot_move_to_another_project(clients, project, draft):
    (task,) = make_tasks(project, 1)
    assert_error(
        clients["owner"].put(f"/api/task/{task.pk}", {"project_id": draft.pk}),
        400,
        "BadRequest",
        target="task",
    )


def test_lowering_redundancy_completes_the_task_with_a_result(api, clients, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=3)
    answer(api, volunteer, project, task)
    res = clients["owner"].put(f"/api/task/{task.pk}", {"n_answers": 1})
    assert res.status_code == 200 and res.json()["state"] == "completed"
    result = Result.objects.get(task=task, last_version=True)
    assert result.task_run_ids == list(
        TaskRun.objects.filter(task=task).values_list("id", flat=True)
    )


def test_raising_redundancy_reopens_a_completed_task(api, clients, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    answer(api, volunteer, project, task)
    assert Task.objects.get(pk=task.pk).state == "completed"
    assert (
        clients["owner"].put(f"/api/task/{task.pk}", {"n_answers": 2}).json()["state"] == "ongoing"
    )


def test_unchanged_redundancy_keeps_a_completed_task_completed(api, clients, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    answer(api, volunteer, project, task)
    assert (
        clients["owner"].put(f"/api/task/{task.pk}", {"n_answers": 1}).json()["state"]
        == "completed"
    )


def test_owner_deletes_a_task_without_result_and_its_answers(api, clients, project, volunteer):
    task, other = make_tasks(project, 2, n_answers=2)
    answer(api, volunteer, project, task)
    res = clients["coowner"].delete(f"/api/task/{task.pk}")
    assert res.status_code == 204 and res.content == b""
    assert (
        not Task.objects.filter(pk=task.pk).exists()
        and not TaskRun.objects.filter(task_id=task.pk).exists()
    )


def test_only_admins_delete_tasks_with_results(api, clients, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    answer(api, volunteer, project, task)
    assert_error(clients["owner"].delete(f"/api/task/{task.pk}"), 403, "Forbidden", target="task")
    assert clients["admin"].delete(f"/api/task/{task.pk}").status_code == 204
    assert not Task.objects.filter(pk=task.pk).exists()


def test_related_attaches_runs_and_current_result(api, clients, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    run = answer(api, volunteer, project, task)
    row = api().get(f"/api/task/{task.pk}", {"related": 1}).json()
    assert [r["id"] for r in row["task_runs"]] == [run["id"]]
    assert row["result"]["task_run_ids"] == [run["id"]]
    rows = clients["owner"].get("/api/task", {"project_id": project.pk, "related": "True"}).json()
    assert rows[0]["result"]["task_id"] == task.pk
