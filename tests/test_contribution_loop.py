"""The volunteer loop through the API: newtask reserves, taskrun consumes, results fold."""

from __future__ import annotations

from crowdfold.tasks.models import Result, Task, TaskRun
from tests.conftest import make_tasks


def test_newtask_hands_out_and_taskrun_completes_task(api, project, volunteer, outsider, owner):
    (task,) = make_tasks(project, 1, n_answers=2)
    for person in (volunteer, outsider):
        client = api(person)
        got = client.get(f"/api/project/{project.pk}/newtask").json()
        assert got["id"] == task.pk
        res = client.post(
            "/api/taskrun", {"project_id": project.pk, "task_id": task.pk, "info": "Yes"}
        )
        assert res.status_code == 200, res.content
        assert res.json()["user_id"] == person.pk
    task.refresh_from_db()
    assert task.state == "completed"
    result = Result.objects.get(task=task, last_version=True)
    assert result.task_run_ids == list(
        TaskRun.objects.filter(task=task).values_list("id", flat=True)
    )
    assert api(owner).get(f"/api/project/{project.pk}/newtask").json() == {}


def test_answer_without_request_is_refused_in_pybossa_shape(api, project, volunteer):
    (task,) = make_tasks(project, 1)
    res = api(volunteer).post(
        "/api/taskrun", {"project_id": project.pk, "task_id": task.pk, "info": 1}
    )
    assert res.status_code == 403
    assert res.json() == {
        "status": "failed",
        "status_code": 403,
        "action": "POST",
        "target": "taskrun",
        "exception_cls": "Forbidden",
        "exception_msg": "You must request a task first!",
    }


def test_concurrent_reservations_never_exceed_redundancy(api, project, volunteer, outsider, owner):
    (task,) = make_tasks(project, 1, n_answers=2)
    assert api(volunteer).get(f"/api/project/{project.pk}/newtask").json()["id"] == task.pk
    assert api(outsider).get(f"/api/project/{project.pk}/newtask").json()["id"] == task.pk
    # Two people hold the task's two slots: a third gets nothing until one answers or skips.
    assert api(owner).get(f"/api/project/{project.pk}/newtask").json() == {}
    task.refresh_from_db()
    assert task.n_reserved == 2


def test_offset_one_preloads_a_different_task(api, project, volunteer):
    tasks = make_tasks(project, 3)
    client = api(volunteer)
    first = client.get(f"/api/project/{project.pk}/newtask").json()
    second = client.get(f"/api/project/{project.pk}/newtask", {"offset": 1}).json()
    assert first["id"] == tasks[0].pk and second["id"] == tasks[1].pk
    again = client.get(f"/api/project/{project.pk}/newtask", {"offset": 1}).json()
    assert again["id"] == tasks[1].pk
    assert Task.objects.get(pk=tasks[2].pk).n_reserved == 0


def test_priority_is_honoured_by_default(api, project, volunteer):
    low, high = make_tasks(project, 2)
    Task.objects.filter(pk=high.pk).update(priority_0=0.9)
    assert api(volunteer).get(f"/api/project/{project.pk}/newtask").json()["id"] == high.pk
