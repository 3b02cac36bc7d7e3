"""The owner pages' authorization matrix: every route of the workshop's URLconf
(``crowdfold.workshop.urls``) × {admin, owner, co-owner, other user, anonymous}, for reading (GET)
and writing (POST).

Managing a project (settings, tasks, presenter, blog posts, audit log…) is for its creator, its
co-owners and admins: another signed-in person gets 403 and an anonymous visitor is sent to sign
in, and their POST changes nothing. The blog, the export page and the progress feed are public for
a published project (drafts: managers only, 404 for everyone else). A new workshop route without an
entry here fails ``test_every_workshop_route_has_a_matrix_entry``.

(Formerly tests/owner/test_owner_permissions.py.)
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from crowdfold.workshop import urls as workshop_urls
from crowdfold.workshop.models import AuditEntry
from tests.security.conftest import MANAGERS, PERSONAS, SIGNED_IN, World, snapshot

MANAGE, PUBLIC, POST_ONLY, BACK = "manage", "public", "post-only", "back"


@dataclass(frozen=True)
class Page:
    path: str  # under /project/birds/ unless it starts with "/"
    get: str  # MANAGE: managers only; PUBLIC: everyone (published project); POST_ONLY: 405;
    # BACK: managers are sent back to the page holding the form
    post: Callable[[World], dict] | None = None  # a valid form; None: the page writes nothing
    changes: bool = True  # a permitted POST changes the database


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("thumb.png", buffer.getvalue(), content_type="image/png")


PAGES: dict[str, Page] = {
    "new": Page("/project/new", MANAGE, lambda w: {"name": "Fresh", "short_name": "fresh",
                                                    "template": "basic"}),
    "update": Page("update", MANAGE, lambda w: {"name": "Bird Count 2", "short_name": "birds"}),
    "settings": Page("settings", MANAGE, lambda w: {"allow_anonymous_contributors": "",
                                                    "webhook": ""}),
    "set-password": Page("password/set", POST_ONLY, lambda w: {"password": "pw"}),
    "reset-secret-key": Page("resetsecretkey", POST_ONLY, lambda w: {}),
    "add-coowner": Page("coowners", POST_ONLY, lambda w: {"name": "volunteer"}),
    "del-coowner": Page("del_coowner/coowner", POST_ONLY, lambda w: {}),
    "transfer": Page("transferownership", POST_ONLY, lambda w: {"email_or_name": "volunteer"}),
    # Already published: the POST is a no-op with a message.
    "publish": Page("publish", MANAGE, lambda w: {}, changes=False),
    "unpublish": Page("unpublish", POST_ONLY, lambda w: {}),
    "delete": Page("delete", MANAGE, lambda w: {"confirm": "birds"}),
    "thumbnail": Page("thumbnail", MANAGE, lambda w: {"thumbnail": png()}),
    "tasks": Page("tasks/", MANAGE),
    "samples": Page("tasks/samples", POST_ONLY, lambda w: {"template": "image"}),
    "import": Page("tasks/import", MANAGE, lambda w: {
        "file": SimpleUploadedFile("t.csv", b"q\nwhich?\n", content_type="text/csv")}),
    "export": Page("tasks/export", PUBLIC),
    # Without CKAN configured the push is refused with a message: nothing to change.
    "ckan_push": Page("tasks/export/ckan", BACK, lambda w: {"api_key": "k"}, changes=False),
    "task-settings": Page("tasks/settings", MANAGE),
    "scheduler": Page("tasks/scheduler", POST_ONLY, lambda w: {"sched": "breadth_first"}),
    "redundancy": Page("tasks/redundancy", POST_ONLY, lambda w: {"n_answers": "2"}),
    "priority": Page("tasks/priority", POST_ONLY, lambda w: {"task_ids": str(w.task.pk),
                                                             "priority_0": "0.5"}),
    "delete-tasks": Page("tasks/delete", MANAGE, lambda w: {}),
    "browse": Page("tasks/browse", MANAGE),
    "task-detail": Page("tasks/{task}/", MANAGE),
    "presenter": Page("tasks/taskpresentereditor", MANAGE, lambda w: {"editor": "<p>hi</p>"}),
    # Renders the posted code in the sandboxed frame; stores nothing.
    "presenter-preview": Page("tasks/presenter-preview", POST_ONLY,
                              lambda w: {"editor": "<p>x</p>"}, changes=False),
    "tutorial": Page("tasks/tutorial", MANAGE, lambda w: {"tutorial": "<p>learn</p>"}),
    "materials": Page("tasks/helpingmaterials", MANAGE, lambda w: {"title": "Guide",
                                                                   "text": "Look closely"}),
    "delete-material": Page("tasks/helpingmaterials/{material}/delete", POST_ONLY, lambda w: {}),
    "blog": Page("blog", PUBLIC),
    "blog-post": Page("blog/{post}", PUBLIC),
    "new-post": Page("new-blogpost", MANAGE, lambda w: {"title": "News", "body": "Hello"}),
    "update-post": Page("blog/{post}/update", MANAGE, lambda w: {"title": "Old news",
                                                                "body": "Hi"}),
    "delete-post": Page("blog/{post}/delete", POST_ONLY, lambda w: {}),
    "auditlog": Page("auditlog", MANAGE),
    "progress": Page("progress", PUBLIC),
    "stream": Page("progress/stream", PUBLIC),
}  # fmt: skip


def test_every_workshop_route_has_a_matrix_entry():
    names = {pattern.name for pattern in workshop_urls.urlpatterns}
    assert names - PAGES.keys() == set(), "add these workshop routes to PAGES"
    assert PAGES.keys() - names == set(), "these PAGES name no workshop route"


def url(page: Page, world: World, project=None) -> str:
    if page.path.startswith("/"):
        return page.path
    ids = {"task": world.task.pk, "material": world.material.pk, "post": world.post.pk}
    short_name = (project or world.project).short_name
    return f"/project/{short_name}/" + page.path.format(**ids)


def may_write(name: str, persona: str) -> bool:
    # Anyone signed in may create a project of their own.
    return persona in (SIGNED_IN if name == "new" else MANAGERS)


def check_get(name: str, page: Page, world: World, client, persona: str) -> str | None:
    res = client.get(url(page, world))
    if page.get == POST_ONLY:
        return None if res.status_code == 405 else f"GET: expected 405, got {res.status_code}"
    if page.get == BACK and may_write(name, persona):
        ok = res.status_code == 302 and not res["Location"].startswith("/account/signin")
        return None if ok else f"GET: expected to be sent back, got {res.status_code}"
    if page.get == PUBLIC or may_write(name, persona):
        return None if res.status_code == 200 else f"GET: expected 200, got {res.status_code}"
    return refused(res, persona, "GET")


def refused(res, persona: str, method: str) -> str | None:
    if persona == "anonymous":
        if res.status_code == 302 and res["Location"].startswith("/account/signin?next="):
            return None
        return f"{method}: expected a redirect to sign in, got {res.status_code}"
    return None if res.status_code == 403 else f"{method}: expected 403, got {res.status_code}"


def check_post(name: str, page: Page, world: World, client, persona: str) -> str | None:
    before = snapshot()
    audit = AuditEntry.objects.count()
    res = client.post(url(page, world), page.post(world))
    if may_write(name, persona):
        if res.status_code not in (200, 302) or res.get("Location", "").startswith(
            "/account/signin"
        ):
            return f"POST: allowed, but got {res.status_code}"
        changed = snapshot() != before or AuditEntry.objects.count() != audit
        if page.changes and not changed:
            return "POST: allowed, but nothing changed"
        return None
    problem = refused(res, persona, "POST")
    if problem is None and (snapshot() != before or AuditEntry.objects.count() != audit):
        problem = "POST: refused, yet the database changed"
    return problem


@pytest.mark.parametrize("name", sorted(PAGES))
def test_workshop_route_lets_exactly_the_right_people_read_and_write(
    name, world, browser_for, settings
):
    settings.SSE = True  # the stream is served (and not read: it would run for a minute)
    page = PAGES[name]
    problems = []
    for persona in PERSONAS:
        savepoint = transaction.savepoint()
        try:
            client = browser_for(persona)
            problems.append((persona, check_get(name, page, world, client, persona)))
            if page.post is not None:
                problems.append((persona, check_post(name, page, world, client, persona)))
        finally:
            transaction.savepoint_rollback(savepoint)
    assert [f"{persona}: {problem}" for persona, problem in problems if problem] == []


@pytest.mark.parametrize("name", sorted(n for n, p in PAGES.items() if p.get == PUBLIC))
def test_public_workshop_pages_of_a_draft_are_for_its_managers_only(
    name, world, browser_for, settings
):
    settings.SSE = True
    page = PAGES[name]
    if "{post}" in page.path:
        world.post.project = world.draft
        world.post.save()
    for persona in PERSONAS:
        res = browser_for(persona).get(url(page, world, world.draft))
        expected = 200 if persona in MANAGERS else 404
        assert res.status_code == expected, (persona, res.status_code)


def test_forms_carry_a_csrf_token(world, browser_for):
    page = browser_for("owner").get("/project/birds/settings").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
