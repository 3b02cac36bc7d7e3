"""pbs, PYBOSSA's command-line client, drives a project's life cycle against a live server."""

from __future__ import annotations

import json
import subprocess

import pytest

from crowdfold.projects.models import Project
from crowdfold.tasks.models import Task

pytestmark = pytest.mark.live


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "project.json").write_text(
        json.dumps(
            {"name": "Flickr Birds", "short_name": "flickrbirds", "description": "Spot the birds"}
        )
    )
    (tmp_path / "home").mkdir()
    return tmp_path


@pytest.fixture
def pbs(pbs_command, live_server, owner, workdir):
    """Run one pbs command as the owner; returns the completed process."""

    def run(*args, expect_ok: bool = True, stdin: str | None = None):
        command = [*pbs_command, "--server", live_server.url, "--api-key", owner.api_key, *args]
        env = {"HOME": str(workdir / "home"), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
        done = subprocess.run(
            command, cwd=workdir, env=env, capture_output=True, text=True, input=stdin, timeout=120
        )
        if expect_ok:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    return run


def test_create_project_then_again_reports_it_exists(pbs, owner):
    assert "created" in pbs("create-project").stdout
    project = Project.objects.get(short_name="flickrbirds")
    assert project.owner_id == owner.pk and not project.published
    again = pbs("create-project", expect_ok=False)
    assert "already exists" in again.stdout + again.stderr


def test_update_project_uploads_presenter_tutorial_results_and_long_description(pbs, workdir):
    pbs("create-project")
    (workdir / "template.html").write_text("<div id='presenter'>Is there a bird?</div>")
    (workdir / "tutorial.html").write_text("<p>How to spot birds</p>")
    (workdir / "results.html").write_text("<p>Results</p>")
    (workdir / "long_description.md").write_text("# Birds\nA long story.")
    pbs("update-project")
    project = Project.objects.get(short_name="flickrbirds")
    assert project.info["task_presenter"] == "<div id='presenter'>Is there a bird?</div>"
    assert project.info["tutorial"] == "<p>How to spot birds</p>"
    assert project.info["results"] == "<p>Results</p>"
    assert project.long_description == "# Birds\nA long story."
    # A second run round-trips the complete info (results is private, yet must survive).
    (workdir / "template.html").write_text("<div>v2</div>")
    pbs("update-project")
    project.refresh_from_db()
    assert (
        project.info["task_presenter"] == "<div>v2</div>"
        and project.info["results"] == "<p>Results</p>"
    )


def test_add_tasks_from_csv_and_json_then_change_redundancy_and_delete(pbs, workdir):
    # One project through the whole task life cycle: each pbs start costs seconds, so one test.
    pbs("create-project")
    (workdir / "tasks.csv").write_text(
        "url,question\nhttps://example.org/1.jpg,Bird?\nhttps://example.org/2.jpg,Bird?\n"
    )
    pbs(
        "add-tasks",
        "--tasks-file",
        "tasks.csv",
        "--tasks-type",
        "csv",
        "--redundancy",
        "3",
        "--priority",
        "1",
    )
    (workdir / "tasks.json").write_text(
        json.dumps(
            [{"url": "https://example.org/3.jpg"}, {"info": {"url": "https://example.org/4.jpg"}}]
        )
    )
    pbs("add-tasks", "--tasks-file", "tasks.json", "--tasks-type", "json")
    tasks = list(Task.objects.filter(project__short_name="flickrbirds").order_by("id"))
    assert [t.info["url"] for t in tasks] == [f"https://example.org/{i}.jpg" for i in range(1, 5)]
    assert tasks[0].info == {"url": "https://example.org/1.jpg", "question": "Bird?"}
    assert [t.n_answers for t in tasks] == [3, 3, 30, 30]
    assert [t.priority_0 for t in tasks] == [1.0, 1.0, 0.0, 0.0]

    pbs("update-task-redundancy", "--task-id", str(tasks[0].pk), "--redundancy", "5")
    assert Task.objects.get(pk=tasks[0].pk).n_answers == 5
    pbs("update-task-redundancy", "--redundancy", "4", stdin="y\n")
    assert set(
        Task.objects.filter(project__short_name="flickrbirds").values_list("n_answers", flat=True)
    ) == {4}

    pbs("delete-tasks", "--task-id", str(tasks[0].pk))
    assert Task.objects.filter(project__short_name="flickrbirds").count() == 3
    pbs("delete-tasks", stdin="y\n")
    assert Task.objects.filter(project__short_name="flickrbirds").count() == 0


def test_add_helping_materials_with_and_without_files(pbs, workdir, settings):
    from PIL import Image

    from crowdfold.projects.models import HelpingMaterial

    settings.MEDIA_ROOT = workdir / "media"
    pbs("create-project")
    Image.new("RGB", (4, 4), "blue").save(workdir / "beak.png", "PNG")
    rows = [{"file_path": "beak.png", "hint": "Look at the beak"}, {"text": "Birds have feathers"}]
    (workdir / "helping.json").write_text(json.dumps(rows))
    pbs(
        "add-helpingmaterials", "--helping-materials-file", "helping.json", "--helping-type", "json"
    )
    with_file, plain = HelpingMaterial.objects.filter(project__short_name="flickrbirds").order_by(
        "id"
    )
    assert with_file.info["hint"] == "Look at the beak" and with_file.info["file_name"].endswith(
        ".png"
    )
    assert (workdir / "media" / with_file.info["container"] / with_file.info["file_name"]).exists()
    assert plain.info == {"text": "Birds have feathers"} and plain.media_url is None
