"""An owner builds a project from each stock template in the browser; two volunteers and an
anonymous visitor complete it; the owner downloads the results (issue 5, point 6)."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from crowdfold.accounts.services import create_user
from crowdfold.projects.models import Project
from crowdfold.stats.refresh import refresh_all
from crowdfold.tasks.models import Result, Task, TaskRun
from crowdfold.workshop.presenters import PRESENTERS, sample_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REDUNDANCY = 3
SAMPLES_USED = 2  # the journey is the same with two sample tasks as with six, and half as long


def answer(frame, template: str) -> None:
    """Give one answer the way a volunteer would with this template."""
    if template == "basic":
        frame.locator("#text-answer").fill("A banana")
        frame.locator("#submit").click()
    elif template in ("image", "sound", "video"):
        frame.locator("#answer button[value=Yes]").click()
    elif template == "map":
        frame.locator("#map").click(position={"x": 120, "y": 60})
        frame.locator("#submit").click()
    else:
        frame.locator("#transcription").fill("Ship's log")
        frame.locator("#submit").click()


def check_media(page, frame, template: str) -> None:
    """The template shows its media for real: PDF pages drawn by PDF.js, a Leaflet map with the
    packaged country outlines."""
    if template == "pdf":
        expect(frame.locator("#pdf-pages")).to_have_text("1")
        drawn = page.frame(url=re.compile(r"/presenter-(frame|preview)")).evaluate(
            """() => { const c = document.getElementById('pdf-canvas');
                 const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                 let dark = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] < 128) dark++; }
                 return [c.width, dark]; }"""
        )
        assert drawn[0] > 200 and drawn[1] > 100, drawn  # a page with text on it
    elif template == "map":
        expect(frame.locator(".leaflet-overlay-pane path").first).to_be_attached()
        assert frame.locator(".leaflet-overlay-pane path").count() > 100  # the countries


def patient(page):
    """This journey makes many round trips; on a busy shared machine give each more time."""
    page.set_default_timeout(30_000)
    page.set_default_navigation_timeout(30_000)
    return page


def contribute_until_done(page, base: str, short_name: str, template: str, shots, who: str):
    patient(page)
    page.goto(f"{base}/project/{short_name}/newtask")
    frame = page.frame_locator("#cf-presenter")
    task_id = frame.locator("#task-id")
    end_screen = page.locator("#cf-done")  # the page's "nothing left" screen
    answered = 0
    while True:
        deadline = time.monotonic() + 30
        while not end_screen.is_visible() and not task_id.inner_text().strip("#").isdigit():
            assert time.monotonic() < deadline, "no task appeared"
            page.wait_for_timeout(50)
        if end_screen.is_visible():
            break
        current = task_id.inner_text()
        # "You have completed N tasks of M" inside the frame, for the anonymous visitor too.
        expect(frame.locator("#done")).to_have_text(str(answered), timeout=30_000)
        if answered == 0:
            check_media(page, frame, template)
            shots(page, f"owner-{template}-30-presenter-{who}", full_page=False)
        answer(frame, template)
        answered += 1
        deadline = time.monotonic() + 30
        while not end_screen.is_visible() and task_id.inner_text() == current:
            assert time.monotonic() < deadline, f"answer to task {current} was not taken"
            page.wait_for_timeout(50)
    shots(page, f"owner-{template}-40-finished-{who}")
    return answered


@pytest.mark.parametrize("template", list(PRESENTERS))
def test_project_from_template_is_built_completed_and_downloaded(
    template,
    live_server,
    signed_in_context,
    browser_context,
    new_page,
    screenshot,
    settings,
    tmp_path,
):
    settings.STATS_SETTLE_SECONDS = 0
    # TEMPLATE_TASKS points a template at another sample file (here: the first few samples).
    samples = tmp_path / f"{template}.json"
    samples.write_text(json.dumps(sample_tasks(template)[:SAMPLES_USED]))
    settings.TEMPLATE_TASKS = {template: str(samples)}
    owner = create_user("owner", "owner@example.org", "owner-pass-123")
    volunteers = [
        create_user(f"vol{i}", f"vol{i}@example.org", "volunteer-pass-123") for i in (1, 2)
    ]
    base = live_server.url
    short_name = f"{template}-project"
    page = patient(new_page(signed_in_context(owner)))

    page.goto(f"{base}/project/new")
    page.fill("#id_name", f"A {template} project")
    page.fill("#id_short_name", short_name)
    page.fill("#id_description", f"Trying the {template} template")
    page.fill("#id_long_description", "We need **your** help.")
    page.check(f"input[name=template][value={template}]")
    screenshot(page, f"owner-{template}-00-wizard")
    page.get_by_role("button", name="Create project").click()
    expect(page).to_have_url(f"{base}/project/{short_name}/tasks/")
    n_tasks = len(sample_tasks(template))
    expect(page.locator("#n-tasks")).to_have_text(str(n_tasks))
    screenshot(page, f"owner-{template}-10-tasks")

    page.goto(f"{base}/project/{short_name}/tasks/taskpresentereditor")
    expect(page.locator(".CodeMirror")).to_be_visible()
    # The live preview runs the editor's code on a real task; its answer is not stored.
    preview = page.frame_locator("#cf-presenter")
    expect(preview.locator("#task-id")).to_have_text(re.compile(r"^\d+$"))
    check_media(page, preview, template)
    answer(preview, template)
    expect(page.locator("#cf-preview-log li")).to_have_count(1)
    expect(page.locator("#cf-preview-log li")).to_contain_text("(not stored)")
    screenshot(page, f"owner-{template}-15-editor")
    assert not TaskRun.objects.filter(project__short_name=short_name).exists()

    page.goto(f"{base}/project/{short_name}/tasks/settings")
    page.fill("#id_n_answers", str(REDUNDANCY))
    page.locator("#redundancy-form button").click()
    expect(page.get_by_role("status")).to_contain_text("Redundancy saved")

    page.goto(f"{base}/project/{short_name}/publish")
    screenshot(page, f"owner-{template}-20-publish")
    page.get_by_role("button", name="Publish now").click()
    expect(page).to_have_url(f"{base}/project/{short_name}/")
    assert Project.objects.get(short_name=short_name).published

    people = [signed_in_context(v) for v in volunteers] + [browser_context]
    for who, context in zip(("vol1", "vol2", "anonymous"), people, strict=True):
        volunteer_page = new_page(context)
        done = contribute_until_done(volunteer_page, base, short_name, template, screenshot, who)
        assert done == n_tasks, (who, done)
        assert volunteer_page.errors == []

    project = Project.objects.get(short_name=short_name)
    assert Task.objects.filter(project=project, state="completed").count() == n_tasks
    assert TaskRun.objects.filter(project=project, user__isnull=True).count() == n_tasks
    assert Result.objects.filter(project=project, last_version=True).count() == n_tasks

    page.goto(f"{base}/project/{short_name}/tasks/export")
    with page.expect_download() as download:
        page.locator("#export-result-json").click()
    results = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert len(results) == n_tasks
    assert all(len(r["task_run_ids"]) == REDUNDANCY for r in results)

    refresh_all()
    page.goto(f"{base}/project/{short_name}/stats")
    expect(page.locator("#stat-progress")).to_have_text("100%")
    expect(page.locator("#stat-volunteers")).to_have_text("3")
    screenshot(page, f"owner-{template}-50-stats")
    assert page.errors == []
