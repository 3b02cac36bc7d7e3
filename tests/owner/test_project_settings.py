"""What the settings pages do (permissions are in test_owner_permissions.py)."""

from __future__ import annotations

from django.test import Client

from crowdfold.tasks.models import Task
from tests.conftest import make_tasks
from tests.owner.factories import add_runs


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_redundancy_applies_to_every_task_and_recompletes(project, owner, volunteer):
    tasks = make_tasks(project, 3, n_answers=3)
    from django.utils import timezone

    add_runs(project, tasks[:1], [volunteer], [timezone.now()])
    signed_in(owner).post("/project/birds/tasks/redundancy", {"n_answers": "1"})
    states = dict(Task.objects.filter(project=project).values_list("pk", "state"))
    assert states == {tasks[0].pk: "completed", tasks[1].pk: "ongoing", tasks[2].pk: "ongoing"}
    assert set(Task.objects.filter(project=project).values_list("n_answers", flat=True)) == {1}


def test_out_of_range_redundancy_is_refused_with_a_message(project, owner):
    make_tasks(project, 1, n_answers=3)
    res = signed_in(owner).post(
        "/project/birds/tasks/redundancy", {"n_answers": "5000"}, follow=True
    )
    assert "less than or equal to 1000" in res.content.decode()
    assert Task.objects.get(project=project).n_answers == 3


def test_priority_sets_listed_tasks_and_refuses_foreign_ids(project, owner):
    tasks = make_tasks(project, 3)
    client = signed_in(owner)
    client.post(
        "/project/birds/tasks/priority",
        {"task_ids": f"{tasks[0].pk},{tasks[2].pk}", "priority_0": "0.8"},
    )
    assert list(Task.objects.order_by("id").values_list("priority_0", flat=True)) == [0.8, 0, 0.8]
    res = client.post(
        "/project/birds/tasks/priority", {"task_ids": "999999", "priority_0": "1"}, follow=True
    )
    assert "No such task in this project: 999999" in res.content.decode()


def test_anonymous_contributors_and_webhook_are_saved(project, owner):
    owner.pro = True  # webhooks are a pro feature (PRO_FEATURES)
    owner.save(update_fields=["pro"])
    signed_in(owner).post(
        "/project/birds/settings", {"webhook": "https://example.org/hook", "zip_download": "on"}
    )
    project.refresh_from_db()
    assert project.allow_anonymous_contributors is False
    assert project.webhook == "https://example.org/hook"


def test_creator_cannot_be_removed_but_coowners_can(project, owner, volunteer):
    client = signed_in(owner)
    client.post("/project/birds/coowners", {"name": "volunteer"})
    assert project.owner_ids() == [owner.pk, volunteer.pk]
    res = client.post("/project/birds/del_coowner/owner", follow=True)
    assert "creator cannot be removed" in res.content.decode()
    client.post("/project/birds/del_coowner/volunteer")
    assert project.owner_ids() == [owner.pk]


def test_transfer_makes_the_new_owner_sole_owner(project, owner, volunteer):
    res = signed_in(owner).post(
        "/project/birds/transferownership", {"email_or_name": "volunteer@example.org"}
    )
    assert res.status_code == 302 and res["Location"] == "/"
    project.refresh_from_db()
    assert project.owner == volunteer and project.owner_ids() == [volunteer.pk]
    assert signed_in(owner).get("/project/birds/settings").status_code == 403


def test_secret_key_is_shown_only_to_owners_and_reset_changes_it(project, owner):
    client = signed_in(owner)
    old = project.secret_key
    assert old in client.get("/project/birds/settings").content.decode()
    client.post("/project/birds/resetsecretkey")
    project.refresh_from_db()
    assert project.secret_key != old


def test_task_browser_filters_by_state_and_searches_task_data(project, owner, volunteer):
    tasks = make_tasks(project, 3)
    Task.objects.filter(pk=tasks[1].pk).update(state="completed")
    Task.objects.filter(pk=tasks[2].pk).update(info={"city": "Lisbon"})
    client = signed_in(owner)
    done = client.get("/project/birds/tasks/browse?state=completed").content.decode()
    assert f"#{tasks[1].pk}<" in done and f"#{tasks[0].pk}<" not in done
    found = client.get("/project/birds/tasks/browse?q=lisbon").content.decode()
    assert f"#{tasks[2].pk}<" in found and f"#{tasks[1].pk}<" not in found


def test_task_page_shows_answers_and_result(api, project, owner, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    client = api(volunteer)
    client.get(f"/api/project/{project.pk}/newtask")
    client.post("/api/taskrun", {"project_id": project.pk, "task_id": task.pk, "info": "Yes!"})
    html = signed_in(owner).get(f"/project/birds/tasks/{task.pk}/").content.decode()
    assert 'id="task-state">completed<' in html
    assert "<td>volunteer</td>" in html and "Yes!" in html
    assert 'id="result">Result #' in html
