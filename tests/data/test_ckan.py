"""Pushing a project's tasks, task runs and results to CKAN, against a local stand-in that speaks
CKAN's action API: from the CLI and as a background job from the owner's export page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from crowdfold.data.exports import ExportRequest, export_stream
from crowdfold.data.models import CkanPush
from crowdfold.tasks.answers import complete_task
from crowdfold.tasks.models import Task, TaskRun
from tests.data.ckan_stand_in import CkanStandIn

KEY = "owner-ckan-key"


@pytest.fixture
def ckan(settings):
    server = CkanStandIn(keys={KEY})
    settings.CKAN_URL = server.url
    settings.CKAN_NAME = "Open Data Portal"
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = True  # the stand-in listens on 127.0.0.1
    yield server
    server.close()


@pytest.fixture
def answered(project, volunteer):
    tasks = [
        Task.objects.create(project=project, n_answers=1, info={"img": f"{i}.jpg"})
        for i in range(3)
    ]
    TaskRun.objects.create(
        project=project,
        task=tasks[0],
        user=volunteer,
        contributor_key=f"u:{volunteer.pk}",
        info={"answer": "yes", "boxes": [1, 2]},
    )
    complete_task(tasks[0])
    return tasks


def csv_export(project, what: str) -> bytes:
    return b"".join(export_stream(project, ExportRequest(what=what, fmt="csv")))


def test_cli_push_creates_the_dataset_with_the_three_csv_exports(run, project, answered, ckan):
    result = run("ckan", "push", project.short_name, "--api-key", KEY)
    assert result.exit_code == 0, result.output
    assert f"Created dataset birds: {ckan.url}/dataset/birds" in result.output
    package = ckan.packages["birds"]
    assert package["title"] == "Bird Count"
    assert [r["name"] for r in package["resources"]] == ["task", "task_run", "result"]
    for what, name in (("tasks", "task"), ("taskruns", "task_run"), ("results", "result")):
        assert ckan.resource_data("birds", name) == csv_export(project, what)
    assert b"info_boxes_0" in ckan.resource_data("birds", "task_run")  # PYBOSSA's flattening
    assert {key for _, key in ckan.calls} == {KEY}  # the key travels in Authorization


def test_pushing_again_updates_the_resources_instead_of_adding_copies(run, project, answered, ckan):
    assert run("ckan", "push", project.short_name, "--api-key", KEY).exit_code == 0
    Task.objects.create(project=project, info={"img": "new.jpg"})
    ckan.calls.clear()
    result = run("ckan", "push", project.short_name, "--api-key", KEY)
    assert result.exit_code == 0, result.output
    assert "Updated dataset birds" in result.output and "task: 4 rows (updated)" in result.output
    assert [a for a, _ in ckan.calls] == ["package_show"] + ["resource_update"] * 3
    assert len(ckan.packages["birds"]["resources"]) == 3
    assert b"new.jpg" in ckan.resource_data("birds", "task")


def test_the_key_stored_on_the_owners_account_is_used(run, project, owner, answered, ckan):
    missing = run("ckan", "push", project.short_name)
    assert missing.exit_code == 1 and "no CKAN API key" in missing.output
    assert run("ckan", "push", "birds", "--api-key", KEY, "--save-key").exit_code == 0
    owner.refresh_from_db()
    assert owner.info["ckan_api"] == KEY
    assert run("ckan", "push", project.short_name).exit_code == 0


def test_a_refused_key_is_a_clear_error_and_creates_nothing(run, project, answered, ckan):
    result = run("ckan", "push", project.short_name, "--api-key", "wrong")
    assert result.exit_code == 1
    assert "CKAN refused package_show (Authorization Error): Access denied" in result.output
    assert ckan.packages == {}


def test_a_ckan_url_inside_the_network_is_refused_unless_allowed(
    run, project, answered, ckan, settings
):
    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = False
    result = run("ckan", "push", project.short_name, "--api-key", KEY)
    assert result.exit_code == 1 and "CKAN_URL is refused" in result.output
    assert ckan.calls == []


def test_without_ckan_url_the_push_is_refused_clearly(run, project, settings):
    settings.CKAN_URL = ""
    result = run("ckan", "push", project.short_name, "--api-key", KEY)
    assert result.exit_code == 1 and "CKAN is not configured" in result.output
    assert run("ckan", "push", "nope", "--api-key", KEY).exit_code == 1


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_owner_pushes_from_the_export_page_as_a_background_job(
    project, owner, answered, ckan, django_capture_on_commit_callbacks
):
    client = _signed_in(owner)
    page = client.get("/project/birds/tasks/export").content.decode()
    assert "Publish on Open Data Portal" in page and 'id="ckan-form"' in page
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post("/project/birds/tasks/export/ckan", {"api_key": KEY, "remember": "on"})
    assert res.status_code == 302
    push = CkanPush.objects.get(project=project)
    assert (push.state, push.rows, push.api_key) == ("done", 3 + 1 + 1, "")
    assert push.dataset_url == f"{ckan.url}/dataset/birds"
    assert ckan.resource_data("birds", "task") == csv_export(project, "tasks")
    owner.refresh_from_db()
    assert owner.info["ckan_api"] == KEY
    assert mail.outbox[-1].subject == "birds was pushed to Open Data Portal"
    page = client.get("/project/birds/tasks/export").content.decode()
    assert 'data-state="done"' in page and push.dataset_url in page
    assert "A key is stored on your account." in page


def test_a_failed_push_shows_ckans_reason_on_the_page(
    project, owner, answered, ckan, django_capture_on_commit_callbacks
):
    client = _signed_in(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/project/birds/tasks/export/ckan", {"api_key": "wrong"})
    push = CkanPush.objects.get(project=project)
    assert push.state == "failed" and "Authorization Error" in push.error
    page = client.get("/project/birds/tasks/export").content.decode()
    assert 'data-state="failed"' in page and "Access denied" in page
    assert "failed" in mail.outbox[-1].subject


def test_only_owners_push_and_a_missing_key_is_refused(project, owner, volunteer, ckan):
    assert (
        _signed_in(volunteer).post("/project/birds/tasks/export/ckan", {"api_key": KEY}).status_code
        == 403
    )
    assert (
        "ckan-form" not in _signed_in(volunteer).get("/project/birds/tasks/export").content.decode()
    )
    res = _signed_in(owner).post("/project/birds/tasks/export/ckan", {"api_key": ""}, follow=True)
    assert "a CKAN API key is needed" in res.content.decode()
    assert not CkanPush.objects.exists()


def test_the_key_may_come_from_the_environment(run, project, answered, ckan, monkeypatch):
    monkeypatch.setenv("CKAN_API_KEY", KEY)
    result = run("ckan", "push", project.short_name)
    assert result.exit_code == 0, result.output
    assert {key for _, key in ckan.calls} == {KEY}
