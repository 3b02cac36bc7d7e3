"""``POST /api/taskrun``: every refusal says why, loses nothing and leaks no slot; the answer that
completes a task writes its one current result and announces it. On PostgreSQL the answer is
stored by one database function (tasks/pg_functions.py), on SQLite by the Python form: these run
on both."""

from __future__ import annotations

from crowdfold.projects.services import create_project
from crowdfold.tasks.answers import task_completed
from crowdfold.tasks.models import Result, Task, TaskReservation, TaskRun
from tests.api.conftest import assert_error
from tests.conftest import make_tasks


def post_answer(client, project_id, task_id, info="Yes"):
    return client.post("/api/taskrun", {"project_id": project_id, "task_id": task_id, "info": info})


def test_an_answer_nobody_asked_for_is_refused(api, project, volunteer):
    (task,) = make_tasks(project, 1)
    res = post_answer(api(volunteer), project.pk, task.pk)
    assert_error(res, 403, "Forbidden", target="taskrun")
    assert res.json()["exception_msg"] == "You must request a task first!"
    assert not TaskRun.objects.exists()


def test_a_second_answer_is_refused_and_the_first_kept(api, project, volunteer):
    (task,) = make_tasks(project, 1)
    client = api(volunteer)
    assert client.get(f"/api/project/{project.pk}/newtask").json()["id"] == task.pk
    assert post_answer(client, project.pk, task.pk, "first").status_code == 200
    res = post_answer(client, project.pk, task.pk, "second")
    assert_error(res, 403, "Forbidden", target="taskrun")
    assert res.json()["exception_msg"] == "You have already answered this task"
    assert list(TaskRun.objects.values_list("info", flat=True)) == ["first"]
    task.refresh_from_db()
    assert (task.n_task_runs, task.n_reserved) == (1, 0)


def test_unknown_task_and_wrong_project_are_named(api, owner, project, volunteer):
    (task,) = make_tasks(project, 1)
    other = create_project(owner, name="Other", short_name="other")
    other.published = True
    other.save()
    client = api(volunteer)
    assert client.get(f"/api/project/{project.pk}/newtask").json()["id"] == task.pk

    unknown = post_answer(client, project.pk, task.pk + 1000)
    assert_error(unknown, 403, "Forbidden", target="taskrun")
    assert unknown.json()["exception_msg"] == "Invalid task_id"

    wrong = post_answer(client, other.pk, task.pk)
    assert_error(wrong, 403, "Forbidden", target="taskrun")
    assert wrong.json()["exception_msg"] == "Invalid project_id"

    # Neither refusal consumed the reservation: the real answer still goes in.
    assert post_answer(client, project.pk, task.pk).status_code == 200


def test_redundancy_lowered_under_a_holder_is_a_conflict_that_gives_the_slot_back(
    api, project, volunteer, outsider
):
    (task,) = make_tasks(project, 1, n_answers=2)
    first, second = api(volunteer), api(outsider)
    for client in (first, second):
        assert client.get(f"/api/project/{project.pk}/newtask").json()["id"] == task.pk
    assert post_answer(first, project.pk, task.pk).status_code == 200
    Task.objects.filter(pk=task.pk).update(n_answers=1)  # the owner lowers it meanwhile

    res = post_answer(second, project.pk, task.pk)
    assert_error(res, 409, "Conflict", target="taskrun")
    assert res.json()["exception_msg"] == "This task already has all the answers it needs"
    task.refresh_from_db()
    assert (task.n_task_runs, task.n_reserved) == (1, 0)
    assert not TaskReservation.objects.exists()


def test_the_completing_answer_writes_one_current_result_and_announces_it(
    api, project, volunteer, outsider, django_capture_on_commit_callbacks
):
    (task,) = make_tasks(project, 1, n_answers=2)
    announced = []

    def listener(sender, task, result, project_id, **kwargs):
        announced.append((task.pk, result.pk, list(result.task_run_ids), project_id))

    task_completed.connect(listener)
    try:
        run_ids = []
        with django_capture_on_commit_callbacks(execute=True):
            for person in (volunteer, outsider):
                client = api(person)
                assert client.get(f"/api/project/{project.pk}/newtask").json()["id"] == task.pk
                run_ids.append(post_answer(client, project.pk, task.pk).json()["id"])
    finally:
        task_completed.disconnect(listener)

    task.refresh_from_db()
    assert task.state == "completed" and (task.n_task_runs, task.n_reserved) == (2, 0)
    result = Result.objects.get(task=task, last_version=True)
    assert result.task_run_ids == sorted(run_ids)
    assert announced == [(task.pk, result.pk, sorted(run_ids), project.pk)]
