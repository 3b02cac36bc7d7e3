"""Themes: a folder with info.json, static/ and templates/ switches look and structure."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

import crowdfold
from tests.accounts.conftest import load_settings


@pytest.fixture
def night_theme(tmp_path):
    theme = tmp_path / "night"
    (theme / "templates" / "help").mkdir(parents=True)
    (theme / "static" / "theme").mkdir(parents=True)
    (theme / "info.json").write_text(
        json.dumps({"name": "Night", "author": "Ops", "license": "MIT"})
    )
    (theme / "templates" / "help" / "index.html").write_text(
        '{% extends "web/base.html" %}{% block content %}<h1>Night help desk</h1>{% endblock %}'
    )
    (theme / "static" / "theme" / "theme.css").write_text("body { background: #000; }")
    (theme / "templates" / "custom").mkdir()
    (theme / "templates" / "custom" / "front_page_text.html").write_text(
        "<p>Welcome, night owls</p>"
    )
    (theme / "templates" / "custom" / "_footer.html").write_text("<p>Run by the Night Lab</p>")
    probe = load_settings(THEME=str(theme))
    with override_settings(
        TEMPLATES=probe.TEMPLATES,
        STATICFILES_DIRS=probe.STATICFILES_DIRS,
        THEME_INFO=probe.THEME_INFO,
    ):
        finders.get_finder.cache_clear()
        yield theme
    finders.get_finder.cache_clear()


def test_default_theme_declares_name_author_and_license():
    info = load_settings().THEME_INFO
    assert {"name", "author", "license"} <= set(info)


def test_a_theme_overrides_templates(db, night_theme):
    assert "Night help desk" in Client().get("/help/").content.decode()


def test_a_theme_sets_the_front_page_text_and_footer(db, night_theme):
    page = Client().get("/").content.decode()
    assert "Welcome, night owls" in page and "Run by the Night Lab" in page


def test_a_theme_overrides_static_files(db, night_theme):
    assert finders.find("theme/theme.css").startswith(str(night_theme))


def test_without_the_theme_the_default_help_page_shows(db):
    assert "Night help desk" not in Client().get("/help/").content.decode()


def test_default_theme_pages_work_without_javascript_and_label_their_fields(db):
    page = Client().get("/account/register").content.decode()
    assert "<script" not in page
    for field_id in ("id_username", "id_email", "id_password1", "id_fullname", "id_consent"):
        assert f'for="{field_id}"' in page
    assert 'class="skip-link" href="#content"' in page


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_default_theme_colours_meet_wcag_aa_contrast():
    """Text, links, muted text, errors and button labels against what they sit on: 4.5:1 or more."""
    css = (Path(crowdfold.__file__).parent / "themes/default/static/theme/theme.css").read_text()
    colours = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = {
        "text": (colours["fg"], colours["bg"]),
        "muted text": (colours["muted"], colours["bg"]),
        "links": (colours["accent"], colours["bg"]),
        "errors": (colours["danger"], colours["bg"]),
        "button labels": ("#ffffff", colours["accent"]),
        "danger button labels": ("#ffffff", colours["danger"]),
        "cards": (colours["fg"], "#ffffff"),
    }
    weak = {
        name: round(contrast(*pair), 2) for name, pair in pairs.items() if contrast(*pair) < 4.5
    }
    assert weak == {}
