"""Languages: browser preference, profile locale, the `language` cookie, and each catalogue."""

from __future__ import annotations

import pytest
from django.test import Client

from crowdfold.accounts.models import User
from tests.accounts.conftest import load_settings
from tests.accounts.test_profile import client_for

# One interface string per language, as each catalogue renders it on the sign-in page.
SIGN_IN = {"en": "Sign in", "es": "Iniciar sesión", "uk": "Увійти"}


@pytest.mark.parametrize("code", ["en", "es", "uk"])
def test_each_language_renders_its_own_strings(db, code):
    page = Client(HTTP_ACCEPT_LANGUAGE=code).get("/account/signin").content.decode()
    assert f'<html lang="{code}">' in page
    assert SIGN_IN[code] in page
    for other, text in SIGN_IN.items():
        if other != code:
            assert text not in page


def test_anonymous_visitor_gets_their_browsers_language(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5").get("/account/signin")
    assert response["Content-Language"] == "uk"


def test_unsupported_browser_language_falls_back_to_the_default(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="ja").get("/account/signin")
    assert response["Content-Language"] == "en"


def test_registered_person_gets_their_profile_locale(volunteer):
    User.objects.filter(pk=volunteer.pk).update(locale="es")
    client = client_for(volunteer, "volunteer-pass-123")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "uk"
    assert client.get("/account/volunteer/")["Content-Language"] == "es"


def test_language_cookie_overrides_browser_and_profile(volunteer):
    User.objects.filter(pk=volunteer.pk).update(locale="es")
    client = client_for(volunteer, "volunteer-pass-123")
    client.cookies["language"] = "uk"
    assert client.get("/account/volunteer/")["Content-Language"] == "uk"


def test_switching_language_sets_the_cookie_and_the_profile(volunteer):
    client = client_for(volunteer, "volunteer-pass-123")
    response = client.post("/account/language", {"language": "uk", "next": "/account/volunteer/"})
    assert response.status_code == 302 and response.url == "/account/volunteer/"
    assert response.cookies["language"].value == "uk"
    volunteer.refresh_from_db()
    assert volunteer.locale == "uk"


def test_anonymous_switch_sets_only_the_cookie(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/account/language", {"language": "es", "next": "/"})
    assert client.get("/account/signin")["Content-Language"] == "es"


def test_unknown_language_is_a_clear_400(db):
    assert Client().post("/account/language", {"language": "xx"}).status_code == 400


def test_switch_refuses_to_redirect_off_site(db):
    response = Client().post(
        "/account/language", {"language": "es", "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_locales_and_default_locale_come_from_the_environment():
    probe = load_settings(LOCALES="en,uk", DEFAULT_LOCALE="uk")
    assert probe.LANGUAGES == [("en", "English"), ("uk", "Українська")]
    assert probe.LANGUAGE_CODE == "uk"


@pytest.mark.parametrize(
    ("code", "text"), [("es", "tareas completadas"), ("uk", "завдань виконано")]
)
def test_volunteer_project_page_speaks_the_visitors_language(project, code, text):
    page = Client(HTTP_ACCEPT_LANGUAGE=code).get(f"/project/{project.short_name}/").content.decode()
    assert text in page
    assert "tasks completed" not in page
