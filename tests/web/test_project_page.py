"""The project's details page: description, progress and the way in."""

from __future__ import annotations

from crowdfold.tasks.models import Task
from tests.conftest import make_tasks


def test_published_project_page_shows_description_progress_and_start_button(
    browser_as, with_presenter
):
    tasks = make_tasks(with_presenter, 4)
    Task.objects.filter(pk=tasks[0].pk).update(state="completed")
    res = browser_as().get("/project/birds/")
    assert res.status_code == 200
    page = res.content.decode()
    assert "Bird Count" in page and "Count birds" in page
    assert (
        '<span id="live-completed">1</span> <small>of <span id="live-total">4</span></small>'
        in page
    )
    assert 'href="/project/birds/newtask">Start contributing</a>' in page


def test_project_without_presenter_is_not_ready(browser_as, project):
    page = browser_as().get("/project/birds/").content.decode()
    assert "Not ready yet" in page
    assert "/project/birds/newtask" not in page


def test_draft_project_is_hidden_from_outsiders_but_shown_to_its_owner(
    browser_as, project, owner, outsider
):
    project.published = False
    project.save()
    assert browser_as(outsider).get("/project/birds/").status_code == 404
    assert browser_as().get("/project/birds/newtask").status_code == 404
    res = browser_as(owner).get("/project/birds/")
    assert res.status_code == 200 and "Draft" in res.content.decode()


def test_unknown_project_is_a_friendly_404(browser_as, db):
    res = browser_as().get("/project/nope/")
    assert res.status_code == 404
    assert "There is nothing at this address" in res.content.decode()


def test_long_description_is_rendered_markdown_without_scripts(browser_as, project):
    project.long_description = "Some **bold** words.<script>alert(1)</script>"
    project.save()
    page = browser_as().get("/project/birds/").content.decode()
    assert "<strong>bold</strong>" in page
    assert "alert(1)" not in page
