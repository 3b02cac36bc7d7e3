"""Mails speak the reader's language too: allauth's (address confirmation, the sign-in code of
ENABLE_TWO_FACTOR_AUTH) in the language of the page that sent them, ours in the recipient's."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from crowdfold.ops.mail import render_mail
from tests.i18n.conftest import LANGUAGES, client_in

DATA = {"mara", "mara@example.net", "Crowdfold", "Bird Count", "birds", "UTC", "Boom", "testserver"}


def words_left(line: str) -> bool:
    line = re.sub(r"\S*[/@]\S*", " ", line)  # addresses and links
    for data in DATA:
        line = line.replace(data, " ")
    return bool(re.search(r"[^\W\d_]{2,}", line))


def shared_lines(english: str, translated: str) -> set[str]:
    """Lines with words that read the same in both versions: text nobody translated."""
    lines = {" ".join(line.split()) for line in english.splitlines()}
    return {
        line for line in (" ".join(x.split()) for x in translated.splitlines())
        if line in lines and words_left(line)
    }  # fmt: skip


def sign_up_and_sign_in(code: str, settings) -> list:
    """Sign up (confirmation mail), confirm, sign out, sign in (code mail): the two mails."""
    settings.ENABLE_TWO_FACTOR_AUTH = True
    mail.outbox.clear()
    browser = client_in(code)
    data = {"username": "mara", "email": "mara@example.net", "fullname": "Mara"}
    password = {"password1": "a-long-secret-77", "password2": "a-long-secret-77"}
    browser.post("/account/register", {**data, **password, "consent": "on"})
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    browser.post(re.sub(r"^https?://[^/]+", "", link))
    browser.post("/account/signout")
    browser.post("/account/signin", {"login": "mara", "password": "a-long-secret-77"})
    return list(mail.outbox)


@pytest.mark.parametrize("code", LANGUAGES)
def test_account_mails_speak_the_language_of_the_page(db, settings, code):
    english = sign_up_and_sign_in("en", settings)
    from crowdfold.accounts.models import User

    User.objects.filter(username="mara").delete()
    cache.clear()  # allauth sends one confirmation per address every few minutes
    translated = sign_up_and_sign_in(code, settings)
    assert len(english) == len(translated) == 2  # confirmation, then the sign-in code
    for en, xx in zip(english, translated, strict=True):
        assert xx.subject != en.subject
        assert shared_lines(en.body, xx.body) == set(), xx.body


@pytest.mark.parametrize("code", LANGUAGES)
def test_our_mails_speak_the_recipients_language(db, code):
    job = SimpleNamespace(
        task_name="export", task_id="42", timed_out=True, failed_at=timezone.now(),
        arguments="[]", error="Boom",
    )  # fmt: skip
    user = SimpleNamespace(username="mara")
    contexts = {
        "failed_job": {"job": job, "reminder": True},
        "blog_post": {"user": user, "project_name": "Bird Count", "title": "Bird Count", "url": "/x",
                      "excerpt": "", "unsubscribe_url": "/u"},
        "account_inactive": {"user": user, "delete_after_days": 30},
    }  # fmt: skip
    for name, context in contexts.items():
        en, xx = render_mail(name, context, "en"), render_mail(name, context, code)
        assert xx.subject != en.subject, name
        assert shared_lines(en.text, xx.text) == set(), (name, xx.text)
