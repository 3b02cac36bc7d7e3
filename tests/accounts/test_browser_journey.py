"""A person in Debian's chromium: sign up, confirm by mail, sign in with the mailed code, change
language. Screenshots of each step go to var/screenshots/ (not committed) for a human look."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core import mail

from crowdfold.accounts.services import create_user
from tests.accounts.conftest import last_code, last_link

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(tmp_path, monkeypatch):
    executable = shutil.which("chromium")
    if executable is None:
        message = "Debian's chromium is not installed"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls below are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=executable,
            args=CHROMIUM_ARGS,
            headless=True,
            locale="en-US",
            viewport={"width": 1100, "height": 800},
        )
        page = browser.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"accounts-{name}.png"), full_page=True)


def test_sign_up_confirm_sign_in_with_code_and_change_language(browser_page, live_server, settings):
    page, base = browser_page, live_server.url
    settings.ENABLE_TWO_FACTOR_AUTH = True

    page.goto(f"{base}/account/register")
    page.get_by_label("Username:").fill("dana")
    page.get_by_label("Full name:").fill("Dana Field")
    page.get_by_label("Email:").fill("dana@example.net")
    page.get_by_label("Password:", exact=True).fill("a-long-secret-77")
    page.get_by_label("Password (again):").fill("a-long-secret-77")
    page.get_by_label("I agree to the terms of use").check()
    shot(page, "1-signup")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/account/confirm-email/")
    assert "Verify Your Email Address" in page.content()
    shot(page, "2-verification-sent")

    page.goto(base + last_link("/account/confirm-email/"))
    shot(page, "3-confirm")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/")

    mails_before = len(mail.outbox)
    page.goto(f"{base}/account/signin")
    page.get_by_label("Login:").fill("dana")
    page.get_by_label("Password:").fill("a-long-secret-77")
    shot(page, "4-signin")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/account/login/code/confirm/")
    assert len(mail.outbox) == mails_before + 1
    shot(page, "5-code")
    page.get_by_label("Code:").fill(last_code())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_role("link", name="dana").is_visible()
    shot(page, "6-signed-in")

    page.get_by_label("Language", exact=True).select_option("uk")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Вийти").is_visible()
    assert page.locator("html").get_attribute("lang") == "uk"
    page.goto(f"{base}/account/dana/update")
    assert "Ваш обліковий запис" in page.content()
    shot(page, "7-ukrainian-account")

    # The choice sticks across the site (cookie and profile), owner pages and statistics included.
    page.goto(f"{base}/project/new")
    assert page.get_by_role("heading", name="Створити проєкт").is_visible()
    shot(page, "8-ukrainian-new-project")
    page.get_by_label("Мова", exact=True).select_option("es")
    page.get_by_role("button", name="Змінити мову").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Crear un proyecto").is_visible()
    page.goto(f"{base}/stats/")
    assert page.get_by_role("heading", name="Estadísticas").is_visible()
    shot(page, "9-spanish-statistics")


def tab_to(page, test: str, limit: int = 40) -> None:
    """Press Tab until ``test`` (a JS expression on ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {test}")


def test_keyboard_alone_reaches_the_content_and_signs_in(browser_page, live_server):
    """The default theme by keyboard: the first Tab lands on "Skip to content", a focus outline
    shows where we are, Enter follows a link, and the sign-in form is filled and sent by keys;
    then on a phone-sized screen."""
    page, base = browser_page, live_server.url
    create_user("kim", "kim@example.net", "kim-long-pass-42")
    page.goto(f"{base}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
    tab_to(page, "el.textContent.trim() === 'Sign in'")
    shot(page, "0-keyboard-focus")
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/login/")
    tab_to(page, "el.id === 'id_login'")
    page.keyboard.type("kim")
    tab_to(page, "el.id === 'id_password'")
    page.keyboard.type("kim-long-pass-42")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    assert page.get_by_role("link", name="kim").is_visible()

    # Responsive: on a phone-sized screen nothing is wider than the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/account/kim/update", "/help/"):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    shot(page, "0-phone-help")
