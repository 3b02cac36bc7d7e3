"""A small world to render every kind of page in: a published project with a presenter, tasks,
answers, a result, a blog post, a helping material and statistics; its owner and a volunteer."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from crowdfold.projects.models import HelpingMaterial
from crowdfold.stats.refresh import refresh_all
from crowdfold.workshop.models import BlogPost
from crowdfold.workshop.presenters import render_presenter
from tests.conftest import make_tasks
from tests.owner.factories import add_runs

LANGUAGES = ["es", "uk"]


@pytest.fixture
def world(project, owner, volunteer):
    project.info = {
        "task_presenter": render_presenter("basic", project.short_name),
        "tutorial": "<p>Count every bird.</p>",
    }
    project.long_description = "Birds, counted."
    project.save()
    tasks = make_tasks(project, 3, n_answers=1)
    add_runs(project, tasks[:1], [volunteer], [timezone.now()])
    BlogPost.objects.create(project=project, user=owner, title="First flight", body="Hello.")
    HelpingMaterial.objects.create(project=project, info={"title": "Bird guide", "text": "Look."})
    refresh_all(now=timezone.now() + timedelta(hours=1))
    return {"project": project, "task": tasks[0], "post": BlogPost.objects.get()}


def client_in(code: str, user=None) -> Client:
    """A browser that asked for ``code`` with the language switcher (the cookie wins over the
    profile's locale and the browser's preference)."""
    client = Client(REMOTE_ADDR="203.0.113.77")
    if user is not None:
        client.force_login(user)
    client.cookies["language"] = code
    return client


class VisibleText(HTMLParser):
    """What a reader sees: text nodes and the attributes read aloud or shown on hover, outside
    scripts, code and the language names of the language switcher."""

    HIDDEN = {"script", "style", "code", "pre", "kbd", "textarea"}
    READ = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.segments: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN or (tag == "option" and "lang" in attrs):
            self.hidden += 1
        self.segments += [attrs[name] for name in self.READ if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.segments.append(attrs["value"])

    def handle_endtag(self, tag):
        if (tag in self.HIDDEN or tag == "option") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.segments.append(data)


def visible_segments(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for segment in parser.segments:
        text = " ".join(segment.split())
        if re.search(r"[^\W\d_]{2,}", text):
            found.add(text)
    return found
