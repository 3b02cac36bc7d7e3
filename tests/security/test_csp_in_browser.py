"""The Content-Security-Policy keeps the pages working: chromium visits the main pages (the site,
the volunteer's presenter page and its sandboxed frame, the owner's pages with the code editor,
Django admin, the Swagger UI at /api/docs) and reports no policy violation, in the page or its
frames, while each page shows what it should.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from crowdfold.demo.services import ensure_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WAIT = 15_000  # ms: the shared machine is slow; pages still must show up

# Every frame records the violations it sees; chromium also logs them on the console.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return ensure_demo()


@pytest.fixture
def watched(chromium, live_server):
    """``watched(user=None)``: a page (signed in as ``user``) whose violations are collected."""
    contexts = []

    def make(user=None):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.console_violations = []
        page.errors = []
        page.on(
            "console",
            lambda msg: (
                "Content Security Policy" in msg.text and page.console_violations.append(msg.text)
            ),
        )
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


def violations(page) -> list[str]:
    found = list(page.console_violations)
    for frame in page.frames:
        try:
            found += frame.evaluate("() => window.__cspViolations || []")
        except Exception as exc:  # noqa: BLE001 - a frame that navigated away meanwhile
            found.append(f"{frame.url}: could not read violations ({exc})")
    return found


def visit(page, url: str, shows) -> None:
    page.goto(url)
    expect(shows(page)).to_be_visible(timeout=WAIT)
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], url
    assert page.errors == [], url


def test_public_pages_and_the_presenter_run_under_the_policy(live_server, demo, watched):
    base = live_server.url
    page = watched()
    visit(page, f"{base}/", lambda p: p.locator("main"))
    visit(page, f"{base}/about", lambda p: p.locator("main"))
    visit(page, f"{base}/project/demo/", lambda p: p.get_by_role("link", name="Start contributing"))
    visit(page, f"{base}/account/signin", lambda p: p.locator("input[name=password]"))
    visit(page, f"{base}/leaderboard/", lambda p: p.locator("main"))
    # The tutorial, then the presenter: both in their sandboxed frames, under the frame's policy.
    visit(
        page,
        f"{base}/project/demo/tutorial",
        lambda p: p.frame_locator("#cf-presenter").get_by_text("How to play"),
    )
    page.locator("#cf-start").click()
    button = page.frame_locator("#cf-presenter").locator("button[value=Yes]")
    expect(button).to_be_visible(timeout=WAIT)
    button.click()
    expect(page.locator("#cf-progress-text")).to_have_text("1 of 50", timeout=WAIT)
    assert violations(page) == [] and page.errors == []


def test_swagger_ui_at_api_docs_runs_under_the_policy(live_server, db, watched):
    page = watched()
    visit(
        page,
        f"{live_server.url}/api/docs",
        lambda p: p.get_by_role("heading", name=re.compile("^Crowdfold API")),
    )
    # Expand an operation and call it from the page ("Try it out" → Execute).
    page.locator("#operations-site-crowdfold_api_special_globalstats").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200", timeout=WAIT)
    assert violations(page) == [] and page.errors == []


def test_owner_pages_and_django_admin_run_under_the_policy(live_server, demo, watched):
    base = live_server.url
    page = watched(demo.admin)
    visit(page, f"{base}/project/demo/settings", lambda p: p.locator("form").first)
    visit(page, f"{base}/project/demo/tasks/", lambda p: p.locator("main"))
    visit(page, f"{base}/project/demo/tasks/browse", lambda p: p.locator("table"))
    visit(
        page,
        f"{base}/project/demo/tasks/taskpresentereditor",
        lambda p: p.locator(".CodeMirror"),
    )
    visit(page, f"{base}/project/demo/stats", lambda p: p.locator("main"))
    visit(page, f"{base}/account/{demo.admin.username}/update", lambda p: p.locator("form").first)
    visit(page, f"{base}/admin/", lambda p: p.locator("#site-name"))
    visit(page, f"{base}/admin/projects/project/", lambda p: p.locator("#result_list"))
    visit(
        page,
        f"{base}/admin/projects/project/{demo.project.pk}/change/",
        lambda p: p.locator("#project_form"),
    )
