"""The project page follows the project's progress without a reload: by Server-Sent Events when
SSE is on, by polling otherwise (issue 5, point 4)."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from crowdfold.workshop import progress
from tests.conftest import make_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quick_progress(monkeypatch):
    """Seconds become tenths so the test sees an update quickly."""
    monkeypatch.setattr(progress, "CACHE_SECONDS", 0)
    monkeypatch.setattr(progress, "POLL_SECONDS", 0.2)
    monkeypatch.setattr(progress, "STREAM_INTERVAL", 0.2)
    monkeypatch.setattr(progress, "STREAM_LIFETIME", 4)


def answer_one_task(base: str, project, volunteer) -> None:
    headers = {"Authorization": volunteer.api_key}
    task = requests.get(f"{base}/api/project/{project.pk}/newtask", headers=headers, timeout=10)
    res = requests.post(
        f"{base}/api/taskrun",
        json={"project_id": project.pk, "task_id": task.json()["id"], "info": "seen"},
        headers=headers,
        timeout=10,
    )
    assert res.status_code == 200, res.text


@pytest.mark.parametrize("sse", [True, False], ids=["sse", "polling"])
def test_project_page_progress_updates_without_reload(
    sse, settings, quick_progress, live_server, project, volunteer, browser_page, screenshot
):
    settings.SSE = sse
    make_tasks(project, 4, n_answers=1)
    page = browser_page
    page.goto(f"{live_server.url}/project/birds/")
    box = page.locator("#live-progress")
    expect(box).to_have_attribute("data-mode", "sse" if sse else "poll")
    expect(page.locator("#live-completed")).to_have_text("0")
    answer_one_task(live_server.url, project, volunteer)
    answer_one_task(live_server.url, project, volunteer)
    expect(page.locator("#live-completed")).to_have_text("2")
    expect(page.locator("#live-total")).to_have_text("4")
    expect(page.locator("#live-meter")).to_have_attribute("style", "width: 50%;")
    screenshot(page, f"live-progress-{'sse' if sse else 'polling'}")
    assert page.errors == []
    # Leave, so the server's stream notices (at its next heartbeat) while the test still runs.
    page.goto("about:blank")
    page.wait_for_timeout(500)
