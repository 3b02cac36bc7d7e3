"""``crowdfold demo``: an admin and a published demo project, created once, explained every time."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from django.test import Client

from crowdfold.accounts.models import User
from crowdfold.cli import cli
from crowdfold.demo.pictures import PICTURE_COUNT, draw
from crowdfold.demo.services import DEMO_PROJECT, ensure_demo
from crowdfold.projects.models import Project
from crowdfold.tasks.models import Task


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def run_demo() -> dict:
    result = CliRunner().invoke(cli, ["demo", "--url", "http://127.0.0.1:8123"])
    assert result.exit_code == 0, result.output
    return dict(re.findall(r"^\s+([A-Za-z -]+):\s+(\S+)$", result.output, re.MULTILINE))


def test_demo_command_creates_once_and_prints_the_same_credentials_every_time(data_dir, db):
    first = run_demo()
    second = run_demo()
    assert first == second
    assert first["URL"] == "http://127.0.0.1:8123/"
    assert first["Demo project"] == "http://127.0.0.1:8123/project/demo/"
    admin = User.objects.get(username=first["Admin login"])
    assert admin.is_superuser and admin.check_password(first["Admin password"])
    assert admin.api_key == first["Admin API key"]
    assert Project.objects.filter(short_name=DEMO_PROJECT).count() == 1
    assert Task.objects.filter(project__short_name=DEMO_PROJECT).count() == PICTURE_COUNT


def test_demo_project_is_published_with_a_presenter_tutorial_and_fifty_picture_tasks(data_dir, db):
    demo = ensure_demo()
    project = demo.project
    assert project.published and project.allow_anonymous_contributors
    assert 'pybossa.run("demo")' in project.info["task_presenter"]
    assert project.info["tutorial"]
    tasks = list(Task.objects.filter(project=project))
    assert len(tasks) == 50
    assert {t.n_answers for t in tasks} == {3}
    assert all(t.info["url_b"].startswith("/static/crowdfold/demo/picture-") for t in tasks)


def test_demo_pictures_are_served_locally_and_match_their_drawings(data_dir, db):
    demo = ensure_demo()
    client = Client()
    for number, task in enumerate(Task.objects.filter(project=demo.project), start=1):
        res = client.get(task.info["url_b"])
        assert res.status_code == 200
        assert res["Content-Type"] == "image/svg+xml"
        assert b"".join(res.streaming_content).decode() == draw(number).svg


def test_demo_admin_password_is_renewed_when_its_file_is_lost(data_dir, db):
    first = ensure_demo()
    (data_dir / "demo-admin.json").unlink()
    second = ensure_demo()
    assert second.password != first.password
    assert User.objects.get(pk=first.admin.pk).check_password(second.password)
    assert not second.created


def test_demo_never_takes_over_an_account_it_did_not_create(data_dir, db):
    from crowdfold.accounts.services import create_user

    create_user("demo-admin", "someone@example.org", "their-own-password")
    with pytest.raises(ValueError, match="did not create"):
        ensure_demo()
    assert not Project.objects.filter(short_name=DEMO_PROJECT).exists()
