"""A person in Debian's chromium: sign up, confirm by mail, sign in with the mailed code, change
language. Screenshots of each step go to var/screenshots/ (not committed) for a human look."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core import mail

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
