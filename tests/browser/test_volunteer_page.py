"""A volunteer does the demo project in a real browser; the presenter stays in its sandbox."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from crowdfold.demo.services import ensure_demo
from crowdfold.projects.services import create_project
from crowdfold.tasks.models import Task, TaskRun, TaskSkip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK_URL = re.compile(r"/project/(demo|oldstyle)/task/(\d+)$")


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return ensure_demo()


# A presenter that tries to navigate the volunteer's page without a click.
SEND_VOLUNTEER_AWAY = """
if (location.pathname.endsWith('/presenter-frame')) {
  window.addEventListener('load', () => window.parent.postMessage(
    {cf: 'pybossa', op: 'open', args: {url: '/about'}}, new URL(location.href).origin));
}
"""


def task_id_in(url: str) -> int:
    return int(TASK_URL.search(url).group(2))


def start_from_project_page(page, base_url: str, screenshot=None):
    page.goto(f"{base_url}/project/demo/")
    if screenshot:
        screenshot(page, "01-project-page")
    page.get_by_role("link", name="Start contributing").click()
    expect(page).to_have_url(f"{base_url}/project/demo/tutorial")
    expect(page.frame_locator("#cf-presenter").get_by_text("How to play")).to_be_visible()
    if screenshot:
        screenshot(page, "02-tutorial")
    page.locator("#cf-start").click()
    expect(page.frame_locator("#cf-presenter").locator("button[value=Yes]")).to_be_visible()
    expect(page).to_have_url(TASK_URL)


def answer_and_wait(page, click, done: int):
    before = page.url
    click()
    expect(page.locator("#cf-progress-text")).to_have_text(f"{done} of 50")
    expect(page).not_to_have_url(before)
    expect(page.frame_locator("#cf-presenter").locator("#task-id")).to_have_text(
        f"#{task_id_in(page.url)}"
    )


def assert_frame_is_sandboxed(page, project_id: int, volunteer) -> None:
    """The presenter cannot read the site's cookies, storage or page, and its own requests to the
    site come from a null origin without cookies: a skip it sends is recorded for an anonymous
    visitor, not for the signed-in volunteer."""
    held = task_id_in(page.url)
    frame = page.frame(url=re.compile(r"/presenter-frame"))

    def attempt(script: str) -> str:
        return frame.evaluate(
            f"() => {{ try {{ return String({script}); }} catch (e) {{ return e.name; }} }}"
        )

    assert attempt("document.cookie") == "SecurityError"
    assert attempt("window.parent.document.title") == "SecurityError"
    assert attempt("window.localStorage") == "SecurityError"
    # Whether the frame may read the response depends on the API's CORS policy; what matters is
    # who the server thinks is asking, so the evidence is the skip it records.
    frame.evaluate(
        """([projectId, taskId]) => fetch('/api/project/' + projectId + '/skip', {
             method: 'POST', credentials: 'include', body: JSON.stringify({task_id: taskId})
           }).then(r => r.status, e => 'unreadable')""",
        [project_id, held],
    )
    skip = TaskSkip.objects.get(task_id=held)
    assert skip.contributor_key.startswith("ip:")
    assert not TaskRun.objects.filter(user=volunteer).exists()


def test_registered_volunteer_does_the_demo_end_to_end_with_the_presenter_sandboxed(
    live_server, demo, volunteer, signed_in_context, new_page, screenshot
):
    page = new_page(signed_in_context(volunteer))
    start_from_project_page(page, live_server.url, screenshot)
    frame = page.frame_locator("#cf-presenter")
    expect(frame.locator("#total")).to_have_text("50")
    screenshot(page, "03-presenter")
    first = task_id_in(page.url)
    assert_frame_is_sandboxed(page, demo.project.pk, volunteer)

    answer_and_wait(page, lambda: frame.locator("button[value=Yes]").click(), done=1)
    # A keyboard shortcut typed while the page, not the frame, has the focus.
    page.locator("#cf-progress-text").click()
    answer_and_wait(page, lambda: page.keyboard.press("n"), done=2)
    answer_and_wait(page, lambda: frame.get_by_role("button", name="I don't know").click(), done=3)
    expect(frame.locator("#progress-text")).to_have_text("3 of 50")
    screenshot(page, "04-after-three-answers")

    skipped = task_id_in(page.url)
    page.locator("#cf-skip").click()
    expect(page).to_have_url(re.compile(rf"/project/demo/task/(?!{skipped}$)\d+$"))
    expect(frame.locator("#task-id")).to_have_text(f"#{task_id_in(page.url)}")

    runs = list(TaskRun.objects.filter(user=volunteer).order_by("id"))
    assert [r.info for r in runs] == ["Yes", "No", "NotKnown"]
    assert runs[0].task_id == first
    assert TaskSkip.objects.filter(task_id=skipped, contributor_key=f"u:{volunteer.pk}").exists()
    progress = requests.get(
        f"{live_server.url}/api/project/demo/userprogress",
        headers={"Authorization": volunteer.api_key},
        timeout=10,
    ).json()
    assert progress == {"done": 3, "total": 50}
    assert page.errors == []


def test_anonymous_visitor_does_the_demo_and_answers_are_stored(
    live_server, demo, browser_page, screenshot
):
    page = browser_page
    start_from_project_page(page, live_server.url)
    expect(page.locator("#cf-anonymous-note")).to_be_visible()
    frame = page.frame_locator("#cf-presenter")
    answer_and_wait(page, lambda: frame.locator("button[value=No]").click(), done=1)
    answer_and_wait(page, lambda: frame.locator("button[value=Yes]").click(), done=2)
    screenshot(page, "05-anonymous-volunteer")

    runs = list(TaskRun.objects.order_by("id"))
    assert [r.info for r in runs] == ["No", "Yes"]
    assert all(r.user_id is None and r.user_ip for r in runs)
    progress = requests.get(f"{live_server.url}/api/project/demo/userprogress", timeout=10).json()
    assert progress == {"done": 2, "total": 50}
    assert page.errors == []


def test_old_style_stock_presenter_runs_unchanged_until_the_end_screen(
    live_server, demo, volunteer, signed_in_context, new_page, screenshot
):
    presenter = (Path(__file__).parent / "old_style_presenter.html").read_text(encoding="utf-8")
    project = create_project(
        demo.admin,
        name="Old style",
        short_name="oldstyle",
        info={"task_presenter": presenter},
        published=True,
    )
    tasks = [
        Task.objects.create(project=project, n_answers=1, info={"url_b": url, "link": url})
        for url in (
            "/static/crowdfold/demo/picture-02.svg",
            "/static/crowdfold/demo/picture-04.svg",
        )
    ]
    page = new_page(signed_in_context(volunteer))
    page.add_init_script(SEND_VOLUNTEER_AWAY)
    page.goto(f"{live_server.url}/project/oldstyle/newtask")
    frame = page.frame_locator("#cf-presenter")
    expect(frame.locator("#task-id")).to_have_text(str(tasks[0].pk))
    expect(frame.locator("#photo-link img")).to_be_visible()
    expect(frame.locator("#done")).to_have_text("0")
    screenshot(page, "06-old-style-presenter")

    # Links open through the page, and only when the volunteer clicks them: the request the
    # frame sent on load, before any click, was ignored.
    assert TASK_URL.search(page.url)
    page.frame(url=re.compile(r"/presenter-frame")).evaluate(
        "() => document.getElementById('photo-link').setAttribute('target', '_blank')"
    )
    with page.context.expect_page() as opened:
        frame.locator("#photo-link").click()
    assert opened.value.url.endswith("/static/crowdfold/demo/picture-02.svg")
    opened.value.close()
    frame.locator("button[value=Yes]").click()
    expect(frame.locator("#task-id")).to_have_text(str(tasks[1].pk))
    expect(page).to_have_url(f"{live_server.url}/project/oldstyle/task/{tasks[1].pk}")
    frame.locator("button[value=No]").click()

    expect(page.locator("#cf-done")).to_be_visible()
    expect(page.locator("#cf-presenter")).to_be_hidden()
    expect(page.locator("#cf-progress-text")).to_have_text("2 of 2")
    page.wait_for_timeout(500)  # let the progress bar finish its transition
    screenshot(page, "07-end-screen")
    assert [r.info for r in TaskRun.objects.order_by("id")] == ["Yes", "No"]
    assert {t.state for t in Task.objects.filter(project=project)} == {"completed"}
    assert page.errors == []
