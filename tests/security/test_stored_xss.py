"""Stored XSS: script written into project names, descriptions, Markdown long descriptions, blog
posts, task info, helping material, category and person names renders inert on every page of the
URLconf that shows it (the site, the owner's pages, the volunteer's pages, Django admin), for the
owner, an admin and an anonymous visitor.

Inert means: the HTML parsed as a browser would has no element, attribute or URL that the payload
made executable (no ``<script>`` with the payload, no ``on…=`` handler, no ``javascript:`` link,
no ``<iframe>``/``<svg>``/``<object>`` from it). Escaped text is fine; so is JSON in a
``<script type="application/json">`` block, which json_script escapes.

The task presenter and tutorial frames are excluded by design: they serve the owner's own HTML and
JavaScript unescaped, in a sandbox (``sandbox allow-scripts`` without same-origin), so it cannot
read the volunteer's session: tests/browser/test_volunteer_page.py checks that in chromium.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from crowdfold.accounts.models import User
from crowdfold.projects.models import Category, HelpingMaterial, Project
from crowdfold.tasks.models import Task
from crowdfold.workshop.models import BlogPost
from tests.security.urlconf import routes, sample_values

MARK = "xss1337"
PAYLOAD = (
    f"<script>alert('{MARK}')</script>"
    f"<img src=x onerror=\"alert('{MARK}')\">"
    f"\"'><svg onload=alert('{MARK}')>"
    f"<iframe src=\"javascript:alert('{MARK}')\"></iframe>"
)
MARKDOWN = (
    f"# Title\n\n{PAYLOAD}\n\n[click me](javascript:alert('{MARK}'))\n\n"
    f"![pic](javascript:alert('{MARK}'))\n\n<a href=\"javascript:alert('{MARK}')\">raw</a>\n"
)
FRAMES = {"web:presenter_frame", "web:tutorial_frame", "workshop:presenter-preview"}
DANGEROUS_TAGS = {"script", "iframe", "svg", "object", "embed", "frame", "base", "form"}


class Inertness(HTMLParser):
    """Collects what a browser would run or load because of the payload."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script_type: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        loads = ("src", "href", "data", "srcdoc", "action", "xlink:href")
        if tag in DANGEROUS_TAGS and any(MARK in (values.get(name) or "") for name in loads):
            self.problems.append(f"<{tag}> from the payload")
        if tag in {"svg", "iframe", "object", "embed"} and not values:
            self.problems.append(f"bare <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARK in value:
                self.problems.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction", "data"} and (
                value.strip().lower().startswith(("javascript:", "data:text/html"))
            ):
                self.problems.append(f"<{tag} {name}={value[:40]}>")
        if tag == "script":
            self._script_type = values.get("type") or "text/javascript"

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None

    def handle_data(self, data):
        if self._script_type and "json" not in self._script_type and MARK in data:
            self.problems.append("payload inside an executable <script>")


def problems_in(html: str) -> list[str]:
    parser = Inertness()
    parser.feed(html)
    parser.close()
    return parser.problems


@pytest.fixture
def poisoned(world, admin, owner):
    """Every field an owner (or a volunteer, for their name) controls, set to the payload."""
    Project.objects.filter(pk=world.project.pk).update(
        name=f"Birds {PAYLOAD}"[:255],
        description=PAYLOAD[:255],
        long_description=MARKDOWN,
        info={"task_presenter": "<p>presenter</p>", "tutorial": "<p>tutorial</p>", "x": PAYLOAD},
    )
    Category.objects.filter(pk=world.project.category_id).update(
        name=f"Cat {PAYLOAD}"[:255], description=PAYLOAD
    )
    Task.objects.filter(project=world.project).update(info={"question": PAYLOAD, "url": PAYLOAD})
    BlogPost.objects.filter(pk=world.post.pk).update(title=PAYLOAD[:255], body=MARKDOWN)
    HelpingMaterial.objects.filter(pk=world.material.pk).update(
        info={"title": PAYLOAD, "text": MARKDOWN}, media_url=f"javascript:alert('{MARK}')"
    )
    User.objects.filter(pk=owner.pk).update(fullname=PAYLOAD[:255], privacy_mode=False)
    return world


def test_the_payload_reaches_the_pages_escaped(poisoned, browser_for):
    """Guard against a vacuous pass: the pages do show the poisoned fields, as text."""
    page = browser_for("anonymous").get("/project/birds/").content.decode()
    assert "&lt;script&gt;alert(" in page and problems_in(page) == []
    assert problems_in(f"<p>{PAYLOAD}</p>") != []  # and the parser does see a live payload


@pytest.mark.parametrize("persona", ["owner", "admin", "anonymous"])
def test_stored_script_is_inert_on_every_page(poisoned, browser_for, persona, settings):
    settings.SSE = False
    client = browser_for(persona)
    values = sample_values(poisoned)
    found, pages = [], 0
    for route in routes():
        if route.name in FRAMES:
            continue
        res = client.get(route.url(values))
        if not res.get("Content-Type", "").startswith("text/html") or res.streaming:
            continue
        pages += 1
        if hit := problems_in(res.content.decode()):
            found.append(f"{route.url(values)}: {hit}")
    assert found == []
    assert pages > 50


@pytest.mark.parametrize(
    "path",
    [
        "/admin/projects/project/",
        "/admin/projects/project/{project}/change/",
        "/admin/projects/category/",
        "/admin/accounts/user/",
    ],
)
def test_stored_script_is_inert_in_django_admin(poisoned, browser_for, path):
    ids = {"project": poisoned.project.pk}
    res = browser_for("admin").get(path.format(**ids))
    assert res.status_code == 200
    assert problems_in(res.content.decode()) == []


def test_the_api_refuses_script_urls_for_helping_material(world, api, owner):
    client = api(owner)
    url = f"/api/helpingmaterial/{world.material.pk}"
    res = client.put(url, {"media_url": "javascript:alert(1)"})
    assert res.status_code == 415 and res.json()["exception_cls"] == "DataError"
    assert client.put(url, {"media_url": "https://cdn.example.org/guide.png"}).status_code == 200
    assert client.put(url, {"media_url": "/uploads/files/guide.png"}).status_code == 200
