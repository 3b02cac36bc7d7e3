"""Scheduling rules through the API: schedulers, skips, expiry, identities, passwords, redundancy."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from django.utils import timezone

from crowdfold.projects.services import publish_project, set_project_password
from crowdfold.tasks.answers import set_redundancy
from crowdfold.tasks.models import Result, Task, TaskReservation, TaskRun
from tests.conftest import make_tasks


def newtask(client, project, **params):
    return client.get(f"/api/project/{project.pk}/newtask", params)


def answer(client, task, info="Yes", **extra):
    body = {"project_id": task.project_id, "task_id": task.pk, "info": info}
    return client.post("/api/taskrun", body, **extra)


def use_scheduler(project, name):
    project.info = {**project.info, "sched": name}
    project.save()


def test_breadth_first_gives_every_task_a_first_answer_before_a_second(
    api, project, volunteer, outsider
):
    use_scheduler(project, "breadth_first")
    tasks = make_tasks(project, 2, n_answers=3)
    first = newtask(api(volunteer), project).json()
    assert answer(api(volunteer), Task.objects.get(pk=first["id"])).status_code == 200
    second = newtask(api(outsider), project).json()
    assert {first["id"], second["id"]} == {t.pk for t in tasks}


def test_depth_first_keeps_filling_the_first_task(api, project, volunteer, outsider):
    tasks = make_tasks(project, 2, n_answers=3)
    first = newtask(api(volunteer), project).json()
    answer(api(volunteer), Task.objects.get(pk=first["id"]))
    assert newtask(api(outsider), project).json()["id"] == tasks[0].pk


def test_locked_scheduler_follows_pybossa_offset_rules(api, project, volunteer):
    use_scheduler(project, "locked")
    make_tasks(project, 3)
    client = api(volunteer)
    assert isinstance(newtask(client, project, limit=5).json(), dict)
    assert newtask(client, project, offset=2).json() == {}
    bad = newtask(client, project, offset=3)
    assert bad.status_code == 400 and bad.json()["exception_cls"] == "BadRequest"


def test_random_scheduler_spreads_volunteers_and_holds_redundancy(api, project, admin):
    from crowdfold.accounts.services import create_user

    use_scheduler(project, "random")
    make_tasks(project, 40, n_answers=1)
    seen = set()
    for i in range(10):
        person = create_user(f"r{i}", f"r{i}@example.org", "pw-123456789")
        seen.add(newtask(api(person), project).json()["id"])
    assert len(seen) == 10  # n_answers=1: nobody shares a reserved task
    assert len(seen - {t.pk for t in Task.objects.order_by("id")[:10]}) > 0


def test_skipped_task_is_not_offered_again_and_frees_its_slot(api, project, volunteer, outsider):
    (task, other) = make_tasks(project, 2, n_answers=1)
    client = api(volunteer)
    assert newtask(client, project).json()["id"] == task.pk
    res = client.post(f"/api/project/{project.pk}/skip", {"task_id": task.pk})
    assert res.status_code == 200
    assert newtask(client, project).json()["id"] == other.pk
    assert newtask(api(outsider), project).json()["id"] == task.pk


def test_depth_first_all_offers_skipped_tasks_when_nothing_else_is_left(api, project, volunteer):
    use_scheduler(project, "depth_first_all")
    (task,) = make_tasks(project, 1, n_answers=2)
    client = api(volunteer)
    newtask(client, project)
    client.post(f"/api/project/{project.pk}/skip", {"task_id": task.pk})
    assert newtask(client, project).json()["id"] == task.pk


def test_expired_reservation_is_released_for_someone_else(api, project, volunteer, outsider):
    (task,) = make_tasks(project, 1, n_answers=1)
    assert newtask(api(volunteer), project).json()["id"] == task.pk
    assert newtask(api(outsider), project).json() == {}
    TaskReservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert newtask(api(outsider), project).json()["id"] == task.pk
    # The first volunteer's reservation is gone: their late answer is refused, nothing over-collects.
    late = answer(api(volunteer), task)
    assert late.status_code == 403
    assert answer(api(outsider), task).status_code == 200
    assert Task.objects.get(pk=task.pk).n_reserved == 0


def test_second_answer_by_same_person_is_refused(api, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=3)
    client = api(volunteer)
    newtask(client, project)
    assert answer(client, task).status_code == 200
    again = answer(client, task)
    assert again.status_code == 403
    assert again.json()["exception_msg"] == "You have already answered this task"
    assert TaskRun.objects.filter(task=task).count() == 1


def test_answer_beyond_lowered_redundancy_is_refused_with_409(api, project, volunteer, outsider):
    (task,) = make_tasks(project, 1, n_answers=2)
    newtask(api(volunteer), project)
    newtask(api(outsider), project)
    assert answer(api(volunteer), task).status_code == 200
    set_redundancy(Task.objects.filter(pk=task.pk), 1)
    assert Task.objects.get(pk=task.pk).state == "completed"
    late = answer(api(outsider), task)
    assert late.status_code == 409
    assert late.json()["exception_cls"] == "Conflict"
    task.refresh_from_db()
    assert (task.n_task_runs, task.n_reserved) == (1, 0)


def test_raising_redundancy_reopens_and_lowering_completes(api, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    newtask(api(volunteer), project)
    answer(api(volunteer), task)
    assert Task.objects.get(pk=task.pk).state == "completed"
    set_redundancy(Task.objects.filter(pk=task.pk), 2)
    assert Task.objects.get(pk=task.pk).state == "ongoing"
    set_redundancy(Task.objects.filter(pk=task.pk), 1)
    assert Task.objects.get(pk=task.pk).state == "completed"
    assert Result.objects.filter(task=task, last_version=True).count() == 1


def test_anonymous_volunteers_are_told_apart_by_anonymised_ip(api, project):
    (task,) = make_tasks(project, 1, n_answers=2)
    one, two = api(remote_addr="203.0.113.5"), api(remote_addr="203.0.113.6")
    for client in (one, two):
        assert newtask(client, project).json()["id"] == task.pk
        res = answer(client, task)
        assert res.status_code == 200
        assert res.json()["user_id"] is None
    ips = set(TaskRun.objects.values_list("user_ip", flat=True))
    assert len(ips) == 2 and not ips & {"203.0.113.5", "203.0.113.6"}


def test_forwarded_for_is_ignored_unless_peer_is_a_trusted_proxy(api, project, settings):
    (task,) = make_tasks(project, 1, n_answers=5)
    client = api(remote_addr="10.0.0.2")
    url = f"/api/project/{project.pk}/newtask"
    client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9")
    client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert TaskReservation.objects.count() == 1  # both count as the untrusted peer 10.0.0.2
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9")
    client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert TaskReservation.objects.count() == 3


def test_project_without_anonymous_contributors_refuses_them(api, project, volunteer):
    project.allow_anonymous_contributors = False
    project.save()
    (task,) = make_tasks(project, 1)
    got = newtask(api(), project).json()
    assert got["id"] is None and "anonymous" in got["info"]["error"]
    refused = answer(api(), task)
    assert refused.status_code in (401, 403)
    assert newtask(api(volunteer), project).json()["id"] == task.pk


def test_password_protected_project_refuses_api_contributions(api, project, volunteer, owner):
    (task,) = make_tasks(project, 1)
    set_project_password(project, "open sesame")
    res = newtask(api(volunteer), project)
    assert res.status_code == 403 and res.json()["target"] == "project"
    assert newtask(api(owner), project).json()["id"] == task.pk


def test_external_users_contribute_with_the_projects_jwt(api, project):
    (task,) = make_tasks(project, 1, n_answers=2)
    token = jwt.encode(
        {"project_id": project.pk, "short_name": project.short_name},
        project.secret_key,
        algorithm="HS256",
    )
    client = api()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    got = client.get(f"/api/project/{project.pk}/newtask", {"external_uid": "ext-1"}, **bearer)
    assert got.json()["id"] == task.pk
    body = {"project_id": project.pk, "task_id": task.pk, "info": "A", "external_uid": "ext-1"}
    res = client.client.post(
        "/api/taskrun?external_uid=ext-1", body, content_type="application/json", **bearer
    )
    assert res.status_code == 200 and res.json()["external_uid"] == "ext-1"
    forged = client.get(
        f"/api/project/{project.pk}/newtask",
        {"external_uid": "ext-2"},
        HTTP_AUTHORIZATION="Bearer nope",
    )
    assert forged.status_code == 401


def test_publishing_forgets_test_answers_and_reopens_tasks(api, project, owner):
    (task,) = make_tasks(project, 1, n_answers=1)
    newtask(api(owner), project)
    answer(api(owner), task)
    assert Task.objects.get(pk=task.pk).state == "completed"
    publish_project(project)
    task.refresh_from_db()
    assert (task.state, task.n_task_runs, task.n_reserved) == ("ongoing", 0, 0)
    assert (
        not TaskRun.objects.filter(task=task).exists()
        and not Result.objects.filter(task=task).exists()
    )


def test_userprogress_counts_the_callers_answers(api, project, volunteer):
    tasks = make_tasks(project, 3)
    client = api(volunteer)
    newtask(client, project)
    answer(client, tasks[0])
    for ref in (project.pk, project.short_name):
        assert client.get(f"/api/project/{ref}/userprogress").json() == {"done": 1, "total": 3}


@pytest.mark.parametrize("path", ["/api/project/999999/newtask", "/api/project/nope/userprogress"])
def test_unknown_project_is_a_404_in_pybossa_shape(api, path, db):
    res = api().get(path)
    assert res.status_code == 404
    assert res.json()["exception_cls"] == "NotFound"
