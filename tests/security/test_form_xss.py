"""Script typed into a form comes back inert when the form is shown again.

A form that fails validation re-renders with what was submitted, and a refused action often
redirects to a page whose message quotes it. Every form on every page of the URLconf, for the
owner, an admin and an anonymous visitor, is found in the page's HTML and sent with the payload of
test_stored_xss.py in each text field, textarea, number field and select (where it is an invalid
number or choice, so the form comes back with an error) and past any ``maxlength``; once per named
submit button, then again with the hidden fields (``next``…) poisoned too; redirects are followed.
Search forms (GET) are sent the same way. The page that answers must be inert, as
test_stored_xss.py defines it.

Each POST runs in a savepoint that is rolled back, so a form that does succeed changes nothing the
next one depends on. Frames that serve the owner's own code (the presenter preview) are excluded,
as in test_stored_xss.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from crowdfold.projects.services import set_project_password
from tests.security.test_stored_xss import FRAMES, MARK, PAYLOAD, problems_in
from tests.security.urlconf import routes, sample_values

TEXT_TYPES = {"", "text", "email", "url", "search", "tel", "password"}


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons
    hidden: list[str] = field(default_factory=list)  # hidden fields (kept, then also poisoned)
    texts: int = 0  # fields given the payload

    def add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def submissions(self) -> list[dict[str, list[str]]]:
        """The data sent by each named submit button (views often branch on which was pressed),
        then the same with the hidden fields poisoned too (``next`` and the like)."""
        sent = [{**self.fields, name: [value]} for name, value in self.buttons] or [self.fields]
        hidden = [name for name in self.hidden if name != "csrfmiddlewaretoken"]
        poisoned = [{**data, **{name: [PAYLOAD] for name in hidden}} for data in sent]
        return sent + (poisoned if hidden else [])


class PageForms(HTMLParser):
    """The forms of a page, each with the data a browser would send once the payload is typed into
    every text field and every other field is made invalid where it can be."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            method = "post" if values.get("method", "get").lower() == "post" else "get"
            action = urljoin(self.page_url, values.get("action") or self.page_url)
            self._form = Form(action, method)
            return
        form, name = self._form, values.get("name")
        if form is None or not name:
            return
        if tag == "input":
            self._input(form, name, values)
        elif tag == "textarea":
            self._poison(form, name, _too_long(values))
        elif tag == "select":
            self._select = (name, [])
        elif tag == "button" and values.get("type", "submit").lower() == "submit":
            form.buttons.append((name, values.get("value", "")))

    def _poison(self, form: Form, name: str, value: str) -> None:
        form.add(name, value)
        form.texts += 1

    def _input(self, form: Form, name: str, values: dict) -> None:
        kind = values.get("type", "").lower()
        if kind in TEXT_TYPES:
            self._poison(form, name, _too_long(values))
        elif kind in {"number", "range", "date", "datetime-local", "time"}:
            self._poison(form, name, PAYLOAD)  # not a number either
        elif kind == "hidden":
            form.add(name, values.get("value", ""))
            form.hidden.append(name)
        elif kind in {"checkbox", "radio"} and "checked" in values:
            form.add(name, values.get("value", "on"))
        elif kind == "submit":
            form.buttons.append((name, values.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            if self._form is not None and self._form.texts:
                self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            self._poison(self._form, self._select[0], PAYLOAD)  # no such choice either
            self._select = None


def _too_long(attrs: dict) -> str:
    """The payload, padded past the field's ``maxlength`` when it has one (an error to show)."""
    limit = attrs.get("maxlength", "")
    return PAYLOAD + "x" * int(limit) if limit.isdigit() else PAYLOAD


def page_forms(page_url: str, html: str) -> list[Form]:
    parser = PageForms(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms


def route_name(url: str) -> str | None:
    """The URL name a form posts to; None for another site."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.view_name


def walk_forms(world, browser_for, persona: str) -> tuple[list[str], set[str], int]:
    """Post every form found on every page as ``persona``: (problems, names of the routes whose
    answer showed the payload back, forms posted)."""
    values = sample_values(world)
    problems, reflected, posted, seen = [], set(), 0, set()
    for route in routes():
        if route.name in FRAMES:
            continue
        page_url = route.url(values)
        res = browser_for(persona).get(page_url)
        if res.streaming or not res.get("Content-Type", "").startswith("text/html"):
            continue
        for form in page_forms(page_url, res.content.decode()):
            target = route_name(form.action)
            signature = (form.method, form.action, tuple(sorted(form.fields)))
            if target is None or target in FRAMES or signature in seen:
                continue  # the language switcher of every page is posted once
            seen.add(signature)
            for data in form.submissions():
                answer = _submit_and_roll_back(browser_for(persona), form, data)
                posted += 1
                if answer.streaming or not answer.get("Content-Type", "").startswith("text/html"):
                    continue
                html = answer.content.decode()
                if hit := problems_in(html):
                    problems.append(f"{page_url} -> {form.action} [{answer.status_code}]: {hit}")
                if MARK in html:
                    reflected.add(target)
    return problems, reflected, posted


def _submit_and_roll_back(client: Client, form: Form, data: dict):
    send = client.post if form.method == "post" else client.get
    with transaction.atomic():
        answer = send(form.action, data, follow=True)
        transaction.set_rollback(True)
    return answer


# Forms that must come back with the payload shown (so the sweep is not vacuous for them).
REFLECTED = {
    "owner": {
        "workshop:new",
        "workshop:update",
        "workshop:new-post",
        "workshop:update-post",
        "workshop:materials",
        "workshop:presenter",
        "workshop:tutorial",
        "workshop:scheduler",
        "accounts:update",
        "account_email",
    },
    "admin": {"workshop:update", "admin:projects_category_add", "admin:projects_project_change"},
    "anonymous": {"account_signup", "account_login", "account_reset_password", "web:password"},
}


@pytest.mark.parametrize("persona", ["owner", "admin", "anonymous"])
def test_script_typed_into_a_form_is_inert_when_the_form_comes_back(
    world, browser_for, persona, settings
):
    settings.SSE = False
    settings.RATE_LIMIT_ENABLED = False
    settings.ACCOUNT_RATE_LIMITS = False
    world.project.info = {"task_presenter": "<p>presenter</p>", "tutorial": "<p>tutorial</p>"}
    world.project.save()  # so the editors show their forms rather than the template gallery
    if persona == "anonymous":  # and a visitor meets the project's password form
        set_project_password(world.project, "project-pass")
    problems, reflected, posted = walk_forms(world, browser_for, persona)
    assert problems == []
    assert REFLECTED[persona] <= reflected, sorted(reflected)
    assert posted > 5


def test_the_form_walker_poisons_every_kind_of_field():
    html = (
        '<form method="post" action="/x"><input type="hidden" name="csrfmiddlewaretoken" value="t">'
        '<input type="hidden" name="next" value="/home">'
        '<input name="title" maxlength="3"><textarea name="body"></textarea>'
        '<input type="number" name="n"><select name="c"><option value="a">A</option></select>'
        '<input type="checkbox" name="on" checked><button name="go" value="1">Go</button>'
        '<input type="submit" name="stop" value="Stop"></form>'
        '<form action="/search"><input name="q"><button>Search</button></form>'
        '<form method="post" action="/delete"><input type="hidden" name="id" value="1"></form>'
    )
    form, search = page_forms("/page", html)
    assert (form.action, form.method, form.texts) == ("/x", "post", 4)
    assert form.fields == {
        "csrfmiddlewaretoken": ["t"],
        "next": ["/home"],
        "title": [PAYLOAD + "xxx"],
        "body": [PAYLOAD],
        "n": [PAYLOAD],
        "c": [PAYLOAD],
        "on": ["on"],
    }
    sent = form.submissions()
    assert [(d.get("go", d.get("stop")), d["next"]) for d in sent] == [
        (["1"], ["/home"]),
        (["Stop"], ["/home"]),
        (["1"], [PAYLOAD]),
        (["Stop"], [PAYLOAD]),
    ]
    assert all(d["csrfmiddlewaretoken"] == ["t"] for d in sent)
    assert (search.action, search.method, search.submissions()) == (
        "/search",
        "get",
        [{"q": [PAYLOAD]}],
    )
