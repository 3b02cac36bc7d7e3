"""Fixtures for the account flows: a browser-like client, the outbox, settings as the env makes them."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

import crowdfold

SETTINGS_FILE = Path(crowdfold.__file__).parent / "settings.py"


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_mail(settings):
    # allauth counts failed sign-ins in the cache; each test starts with a clean slate.
    cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["tests.accounts.hashers.QuickArgon2PasswordHasher"]
    yield
    cache.clear()


@pytest.fixture
def web():
    return Client(REMOTE_ADDR="203.0.113.9")


def load_settings(**env: str):
    """Evaluate crowdfold/settings.py as a fresh module under extra environment variables."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        spec = importlib.util.spec_from_file_location("crowdfold_settings_probe", SETTINGS_FILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        os.environ.clear()
        os.environ.update(saved)


def last_link(path_fragment: str) -> str:
    """The last URL in the outbox containing ``path_fragment``, as a path."""
    for message in reversed(mail.outbox):
        for url in re.findall(r"https?://[^\s\"<>]+", message.body):
            if path_fragment in url:
                return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no mail with a link containing {path_fragment!r}")


def last_code() -> str:
    """The one-time sign-in code of the last mail."""
    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE)
    assert match, mail.outbox[-1].body
    return match.group(1)


def signup(
    web,
    name="carol",
    email="carol@example.net",
    password="very-long-pass-42",
    consent=True,
    **extra,
):
    data = {
        "username": name,
        "email": email,
        "password1": password,
        "password2": password,
        "fullname": "Carol Example",
        **extra,
    }
    if consent:
        data["consent"] = "on"
    return web.post("/account/register", data)
