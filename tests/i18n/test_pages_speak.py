"""Each language renders its own strings on every kind of page, in every app.

For each page we render the English version and the translated one and compare what a reader sees:
any piece of text that is the same in both is either data (names we created) or a string nobody
translated. That catches unmarked strings in our templates, forms and messages, entries missing from
our catalogues, and third-party pages (allauth) that lack a translation.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.i18n.conftest import LANGUAGES, client_in, visible_segments

# Data the world contains, shown as is in every language, and words that are the same in them.
DATA = {
    "Bird Count",
    "Count birds",
    "Birds, counted.",
    "birds",
    "owner",
    "volunteer",
    "admin",
    "First flight",
    "Hello.",
    "Bird guide",
    "Look.",
    "Thinking",
    "Volunteer thinking projects",
    "Crowdfold",
    "API",
    "JSON",
    "CSV",
    "HTML",
    "PYBOSSA",
    "Markdown",
    "English",
    "Español",
    "Українська",  # each language's name, in that language
}
SAME_IN = {
    "es": {"Blog", "blog", "Tutorial", "tutorial", "Webhook", "Cookies", "incremental", "No"},
    "uk": set(),
}

P = "/project/birds"
PAGES = {
    "site": (
        None,
        [
            "/",
            "/search?q=birds",
            "/about",
            "/help/",
            "/help/terms-of-use",
            "/help/privacy",
            "/help/cookies-policy",
            "/results",
            "/project/category/featured/",
            "/project/category/thinking/",
            "/no-such-page/",
        ],
    ),
    "accounts": (
        None,
        [
            "/account/signin",
            "/account/register",
            "/account/forgot-password",
            "/account/",
            "/account/volunteer/",
            "/account/password/reset/key/1-set-password/",
        ],
    ),
    "accounts (signed in)": (
        "volunteer",
        [
            "/account/volunteer/update",
            "/account/volunteer/delete",
            "/account/email/",
            "/account/password/change/",
            "/account/signout",
            "/account/owner/update",
        ],
    ),
    "web": (
        "volunteer",
        [f"{P}/", f"{P}/tutorial", f"{P}/newtask", f"{P}/task/999999"],
    ),
    "workshop": (
        "owner",
        [
            "/project/new",
            f"{P}/update",
            f"{P}/settings",
            f"{P}/tasks/",
            f"{P}/tasks/settings",
            f"{P}/tasks/browse",
            f"{P}/tasks/{{task}}/",
            f"{P}/tasks/taskpresentereditor",
            f"{P}/tasks/taskpresentereditor?template=image",
            f"{P}/tasks/tutorial",
            f"{P}/tasks/helpingmaterials",
            f"{P}/thumbnail",
            f"{P}/blog",
            f"{P}/blog/{{post}}",
            f"{P}/new-blogpost",
            f"{P}/auditlog",
            f"{P}/publish",
            f"{P}/delete",
            f"{P}/tasks/delete",
        ],
    ),
    "stats": ("volunteer", [f"{P}/stats", "/stats/", "/leaderboard/"]),
    "data": ("owner", [f"{P}/tasks/import", f"{P}/tasks/export"]),
}


def interface_text(segment: str, code: str) -> bool:
    """Whether a segment has words left once the data in it is taken out."""
    for data in sorted(DATA | SAME_IN[code], key=len, reverse=True):
        segment = segment.replace(data, " ")
    return bool(re.search(r"[^\W\d_]{2,}", segment))


def leaked(english: str, translated: str, code: str) -> set[str]:
    same = visible_segments(english) & visible_segments(translated)
    return {s for s in same if interface_text(s, code)}


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("app", list(PAGES))
def test_pages_of_each_app_speak_the_chosen_language(world, request, app, code):
    who, paths = PAGES[app]
    user = request.getfixturevalue(who) if who else None
    english, translated = client_in("en", user), client_in(code, user)
    problems = {}
    for template in paths:
        path = template.format(task=world["task"].pk, post=world["post"].pk)
        en, xx = english.get(path), translated.get(path)
        assert en.status_code == xx.status_code, path
        assert xx.status_code in (200, 403, 404, 409), (path, xx.status_code)
        html = xx.content.decode()
        assert f'<html lang="{code}">' in html, path
        left = leaked(en.content.decode(), html, code)
        if left:
            problems[path] = sorted(left)
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


@pytest.mark.parametrize("code", LANGUAGES)
def test_privacy_refusals_speak_the_chosen_language(world, settings, code):
    settings.ENFORCE_PRIVACY = True
    for path in ("/stats/", "/leaderboard/", "/account/", "/account/volunteer/"):
        en, xx = client_in("en").get(path), client_in(code).get(path)
        assert xx.status_code == 403, path
        assert leaked(en.content.decode(), xx.content.decode(), code) == set(), path


@pytest.mark.parametrize("code", LANGUAGES)
def test_javascript_catalogue_holds_the_scripts_strings(db, code):
    response = client_in("en").get(f"/jsi18n/{code}.js")
    assert response.status_code == 200
    body = response.content.decode()
    for msgid in ("%(done)s of %(total)s", "This task could not be skipped."):
        assert f'"{msgid}": "' in body  # the catalogue maps it to a translation


def test_javascript_catalogue_of_an_unknown_language_is_not_found(db):
    assert client_in("en").get("/jsi18n/xx.js").status_code == 404


def test_settings_offer_every_shipped_language():
    assert [code for code, _name in settings.LANGUAGES] == ["en", *LANGUAGES]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("es", "bad.csv:3: esta fila tiene 3 campos, pero la cabecera nombra 2"),
        ("uk", "bad.csv:3: у цьому рядку полів: 3, а в заголовку названо: 2"),
    ],
)
def test_import_errors_speak_the_chosen_language_and_keep_file_and_line(
    world, owner, code, expected
):
    upload = SimpleUploadedFile("bad.csv", b"city,country\nLima,Peru\nKyiv,Ukraine,extra\n")
    page = client_in(code, owner).post(f"{P}/tasks/import", {"file": upload}, follow=True)
    assert expected in page.content.decode()


@pytest.mark.parametrize(
    ("code", "title"), [("es", "Algo ha fallado"), ("uk", "Щось пішло не так")]
)
def test_server_error_page_speaks_the_chosen_language(rf, code, title):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override(code):
        page = server_error(rf.get("/")).content.decode()
    assert f'<html lang="{code}">' in page and title in page
