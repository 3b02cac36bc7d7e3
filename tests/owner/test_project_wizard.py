"""Creating a project: the wizard, stock templates with their sample tasks, publishing rules."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from crowdfold.projects.models import Project
from crowdfold.tasks.models import Task
from crowdfold.workshop.presenters import PRESENTERS, sample_tasks


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("template", list(PRESENTERS))
def test_wizard_creates_a_draft_with_the_template_and_its_samples(template, owner):
    res = signed_in(owner).post(
        "/project/new",
        {
            "name": f"My {template} project",
            "short_name": f"my-{template}",
            "description": "Testing",
            "long_description": "# Hello",
            "template": template,
            "with_samples": "1",
        },
    )
    assert res.status_code == 302 and res["Location"] == f"/project/my-{template}/tasks/"
    project = Project.objects.get(short_name=f"my-{template}")
    assert not project.published and project.owner == owner
    presenter = project.info["task_presenter"]
    assert f"var shortName = {json.dumps(project.short_name)};" in presenter
    assert "pybossa.run(shortName)" in presenter
    infos = list(Task.objects.filter(project=project).values_list("info", flat=True))
    assert len(infos) == len(sample_tasks(template)) > 0
    for info in infos:
        for value in info.values():
            if isinstance(value, str) and "/static/" in value:
                assert value.startswith("http://testserver/static/workshop/samples/")


def test_sample_media_ship_in_the_package(db):
    client = Client()
    for template in PRESENTERS:
        for info in sample_tasks(template):
            for value in info.values():
                if isinstance(value, str) and value.startswith("/static/"):
                    res = client.get(value)
                    assert res.status_code == 200, value
                    b"".join(res.streaming_content)


@pytest.mark.parametrize(
    ("short_name", "problem"),
    [
        ("new", "reserved word"),
        ("bad name", "may not contain spaces"),
        ("birds", "already taken"),
    ],
)
def test_wizard_refuses_bad_or_taken_short_names(short_name, problem, project, owner):
    res = signed_in(owner).post(
        "/project/new", {"name": "Other", "short_name": short_name, "template": "basic"}
    )
    assert res.status_code == 200
    assert problem in res.content.decode()


def test_publishing_needs_a_presenter_and_a_task(project, owner, settings):
    settings.DISABLE_TASK_PRESENTER = False
    project.published = False
    project.save()
    client = signed_in(owner)
    client.post("/project/birds/publish")
    project.refresh_from_db()
    assert not project.published
    client.post("/project/birds/tasks/taskpresentereditor", {"editor": "<p>task</p>"})
    client.post("/project/birds/tasks/samples", {"template": "basic"})
    client.post("/project/birds/publish")
    project.refresh_from_db()
    assert project.published


def test_disable_task_presenter_lets_projects_publish_without_one(project, owner, settings):
    settings.DISABLE_TASK_PRESENTER = True
    project.published = False
    project.save()
    Task.objects.create(project=project, info={})
    signed_in(owner).post("/project/birds/publish")
    project.refresh_from_db()
    assert project.published


def test_presenter_editor_offers_templates_then_saves_the_code(project, owner):
    client = signed_in(owner)
    chooser = client.get("/project/birds/tasks/taskpresentereditor").content.decode()
    for presenter in PRESENTERS.values():
        assert f"?template={presenter.name}" in chooser
    editor = client.get("/project/birds/tasks/taskpresentereditor?template=image").content.decode()
    assert "codemirror.js" in editor and "url_b" in editor
    client.post("/project/birds/tasks/taskpresentereditor", {"editor": "<b>mine</b>"})
    project.refresh_from_db()
    assert project.info["task_presenter"] == "<b>mine</b>"


def test_long_description_markdown_is_rendered_safely_on_the_blog(project, owner):
    client = signed_in(owner)
    client.post(
        "/project/birds/new-blogpost",
        {
            "title": "Hello",
            "body": "**Thanks!** <script>alert(1)</script> [x](javascript:alert(1))",
        },
    )
    html = Client().get("/project/birds/blog").content.decode()
    assert "<strong>Thanks!</strong>" in html
    assert "<script>alert(1)" not in html and "javascript:alert" not in html
