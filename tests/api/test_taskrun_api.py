"""/api/taskrun: answers are public; authors and admins may correct or delete them until a result
holds them; anonymous answers only admins."""

from __future__ import annotations

from crowdfold.tasks.models import Task, TaskRun
from tests.api.conftest import assert_error
from tests.api.test_task_api import answer
from tests.conftest import make_tasks


def test_anyone_lists_and_reads_answers_with_parent_links(api, project, volunteer):
    (task,) = make_tasks(project, 1)
    run = answer(api, volunteer, project, task)
    rows = api().get("/api/taskrun", {"project_id": project.pk}).json()
    assert [r["id"] for r in rows] == [run["id"]]
    assert rows[0]["user_id"] == volunteer.pk and rows[0]["info"] == "Yes"
    assert rows[0]["links"] == [
        f"<link rel='parent' title='project' href='http://testserver/api/project/{project.pk}'/>",
        f"<link rel='parent' title='task' href='http://testserver/api/task/{task.pk}'/>",
    ]
    row = api().get(f"/api/taskrun/{run['id']}", {"related": 1}).json()
    assert row["task"]["id"] == task.pk and row["result"] is None


def test_author_corrects_an_answer_not_yet_in_a_result(api, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=2)
    run = answer(api, volunteer, project, task)
    res = api(volunteer).put(f"/api/taskrun/{run['id']}", {"info": "No"})
    assert res.status_code == 200 and res.json()["info"] == "No"


def test_answer_identity_and_times_cannot_change(api, project, volunteer, outsider):
    (task,) = make_tasks(project, 1, n_answers=2)
    run = answer(api, volunteer, project, task)
    assert_error(
        api(volunteer).put(f"/api/taskrun/{run['id']}", {"finish_time": "2020-01-01T00:00:00"}),
        400,
        "BadRequest",
        target="taskrun",
    )
    assert_error(
        api(volunteer).put(f"/api/taskrun/{run['id']}", {"user_id": outsider.pk}),
        403,
        "Forbidden",
        target="taskrun",
    )


def test_others_cannot_touch_an_answer(api, clients, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=2)
    run = answer(api, volunteer, project, task)
    assert_error(
        clients["outsider"].put(f"/api/taskrun/{run['id']}", {"info": 1}),
        403,
        "Forbidden",
        target="taskrun",
    )
    assert_error(
        clients["owner"].delete(f"/api/taskrun/{run['id']}"), 403, "Forbidden", target="taskrun"
    )
    assert_error(
        clients["anonymous"].delete(f"/api/taskrun/{run['id']}"),
        401,
        "Unauthorized",
        target="taskrun",
    )
    assert TaskRun.objects.filter(pk=run["id"], info="Yes").exists()


def test_an_answer_in_a_result_is_frozen_for_its_author(api, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    run = answer(api, volunteer, project, task)
    assert_error(
        api(volunteer).delete(f"/api/taskrun/{run['id']}"), 403, "Forbidden", target="taskrun"
    )


def test_deleting_an_answer_gives_the_task_its_slot_back(api, admin, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    run = answer(api, volunteer, project, task)
    assert Task.objects.get(pk=task.pk).state == "completed"
    res = api(admin).delete(f"/api/taskrun/{run['id']}")
    assert res.status_code == 204 and res.content == b""
    task.refresh_from_db()
    assert task.n_task_runs == 0 and task.state == "ongoing"


def test_anonymous_answers_are_only_deleted_by_admins(api, clients, project):
    (task,) = make_tasks(project, 1, n_answers=2)
    anon = api()
    assert anon.get(f"/api/project/{project.pk}/newtask").json()["id"] == task.pk
    run = anon.post(
        "/api/taskrun", {"project_id": project.pk, "task_id": task.pk, "info": "A"}
    ).json()
    assert run["user_id"] is None and run["user_ip"]
    assert_error(anon.delete(f"/api/taskrun/{run['id']}"), 401, "Unauthorized", target="taskrun")
    assert_error(
        clients["owner"].delete(f"/api/taskrun/{run['id']}"), 403, "Forbidden", target="taskrun"
    )
    assert clients["admin"].delete(f"/api/taskrun/{run['id']}").status_code == 204


def test_volunteer_lists_own_answers_with_all(api, project, volunteer):
    (task,) = make_tasks(project, 1)
    answer(api, volunteer, project, task)
    # PYBOSSA's owner context: a signed-in volunteer sees only their own projects' rows without all=1.
    assert api(volunteer).get("/api/taskrun", {"user_id": volunteer.pk}).json() == []
    assert len(api(volunteer).get("/api/taskrun", {"user_id": volunteer.pk, "all": 1}).json()) == 1
