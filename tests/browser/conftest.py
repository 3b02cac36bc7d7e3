"""Browser tests: Playwright driving Debian's chromium against pytest-django's ``live_server``.

Reuse these fixtures in any browser test::

    pytestmark = pytest.mark.browser

    def test_home_page_lists_projects(live_server, browser_page, screenshot):
        browser_page.goto(live_server.url + "/")
        screenshot(browser_page, "home")

``chromium`` (one browser per test module), ``browser_context`` (fresh cookies per test),
``browser_page`` (a page in it, uncaught page errors collected in ``page.errors``),
``signed_in_context(user)`` (a context whose cookies carry ``user``'s session) and ``screenshot``
(saves under ``var/screenshots/``). Without chromium the tests are skipped, except under
``CI=true`` where we try ``apt-get install -y chromium`` and fail if it is still missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}


def pytest_configure(config):
    """A live server answers the browser from several threads at once, which an in-memory SQLite
    test database shared between threads cannot bear ("database table is locked"). When browser
    tests are collected, the SQLite test database becomes a file (WAL, busy timeout) instead;
    ``CROWDFOLD_TEST_SQLITE`` still wins when set."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database.get("TEST", {}).get("NAME"):
        name = Path(tempfile.gettempdir()) / f"crowdfold-test-{os.getpid()}.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


def _install_chromium() -> None:
    if subprocess.run(["apt-get", "install", "-y", "chromium"], check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], check=False)
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=False)


def chromium_path() -> str:
    """Debian's chromium, or skip (locally) / fail (CI=true) with the reason."""
    path = shutil.which("chromium")
    if path is None and os.environ.get("CI", "").lower() == "true":
        _install_chromium()
        path = shutil.which("chromium")
        if path is None:
            pytest.fail("chromium is missing and `apt-get install -y chromium` did not install it")
    if path is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def chromium():
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop registered on this thread, which makes Django
    # refuse ORM calls from the test body; they are still synchronous, so allow them meanwhile.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(chromium):
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    yield context
    context.close()


def _watch(page):
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def browser_page(browser_context):
    return _watch(browser_context.new_page())


@pytest.fixture
def signed_in_context(chromium, live_server):
    """``signed_in_context(user)``: a fresh browser context signed in as ``user``."""
    contexts = []

    def make(user):
        client = Client()
        client.force_login(user)
        context = chromium.new_context(viewport=VIEWPORT)
        context.set_default_timeout(10_000)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page():
    """``new_page(context)``: a page whose uncaught errors are collected in ``page.errors``."""
    return lambda context: _watch(context.new_page())


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: the whole page. Chromium takes a full-page shot by resizing the
    view, after which a busy sandboxed frame can miss the next click for a moment; before
    clicking into a presenter, pass ``full_page=False`` (the viewport only)."""

    def take(page, name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
