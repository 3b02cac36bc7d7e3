"""The API authorization matrix: every operation of ``/api/openapi.json`` × {admin, owner, co-owner,
other user, anonymous}, saying exactly who may call it.

An allowed call answers 2xx. A refused one answers PYBOSSA's error JSON (401 for anonymous callers,
403 for signed-in ones, 405 where the resource offers no such method) and changes nothing in the
database. A new endpoint without an entry here fails ``test_every_api_operation_has_a_matrix_entry``.

Targets: the published project ``birds`` (owner + co-owner, downloads off) and its rows; the task
run belongs to ``other``; the user row is ``owner``'s. Reads of a draft project's rows are in
``DRAFT_READS`` below.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client

from crowdfold.api.api import api
from tests.security.conftest import (
    EVERYONE,
    MANAGERS,
    NOBODY,
    PERSONAS,
    SIGNED_IN,
    World,
    snapshot,
)

ALLOWED_STATUSES = {200, 202, 204}


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    ids: Callable[[World], dict] = lambda w: {}
    body: Callable[[World, str], object] | None = None  # JSON body, given the world and persona
    query: dict = field(default_factory=dict)
    refused_status: int | None = None  # one status for every refused persona (405)
    call: Callable | None = None  # a custom request: call(client, url, world, persona)


def project_id(w: World) -> dict:
    return {"project_id": w.project.pk}


def oid(attr: str) -> Callable[[World], dict]:
    return lambda w: {"oid": getattr(w, attr).pk}


def answer(client, url, world, persona):
    """POST /api/taskrun after asking for a task, as a volunteer would."""
    key = f"?api_key={client.api_key}" if client.api_key else ""
    offered = client.get(f"/api/project/{world.project.pk}/newtask{key}").json()
    body = {"project_id": world.project.pk, "task_id": offered["id"], "info": "Yes"}
    return client.post(url, json.dumps(body), content_type="application/json")


def upload_csv(client, url, world, persona):
    return client.post(url, {"file": _named(b"question\nWhich bird?\n", "tasks.csv")})


def mint_token(client, url, world, persona):
    """The token endpoint answers whoever holds the project's secret key, signed in or not."""
    return client.get(url, HTTP_AUTHORIZATION=world.project.secret_key)


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


PUBLIC_URL = {"type": "csv", "url": "https://93.184.216.34/more.csv"}

MATRIX: dict[tuple[str, str], Rule] = {
    # -- projects ---------------------------------------------------------------------------------
    ("GET", "/api/project"): Rule(EVERYONE),
    ("POST", "/api/project"): Rule(
        SIGNED_IN, body=lambda w, p: {"name": f"New {p}", "short_name": f"new_{p}"}
    ),
    ("GET", "/api/project/{oid}"): Rule(EVERYONE, oid("project")),
    ("PUT", "/api/project/{oid}"): Rule(MANAGERS, oid("project"), lambda w, p: {"name": "Moved"}),
    # A project with results cannot be deleted (by anyone): the draft has none.
    ("DELETE", "/api/project/{oid}"): Rule(MANAGERS, oid("draft")),
    # -- categories: admins only ----------------------------------------------------------------------
    ("GET", "/api/category"): Rule(EVERYONE),
    ("POST", "/api/category"): Rule(
        frozenset({"admin"}), body=lambda w, p: {"name": "Sky", "short_name": "sky"}
    ),
    ("GET", "/api/category/{oid}"): Rule(EVERYONE, oid("category")),
    ("PUT", "/api/category/{oid}"): Rule(
        frozenset({"admin"}), oid("category"), lambda w, p: {"description": "Trees"}
    ),
    ("DELETE", "/api/category/{oid}"): Rule(frozenset({"admin"}), oid("category")),
    # -- tasks ----------------------------------------------------------------------------------
    ("GET", "/api/task"): Rule(EVERYONE),
    ("POST", "/api/task"): Rule(
        MANAGERS, body=lambda w, p: {"project_id": w.project.pk, "info": {"q": p}}
    ),
    ("GET", "/api/task/{oid}"): Rule(EVERYONE, oid("task")),
    ("PUT", "/api/task/{oid}"): Rule(MANAGERS, oid("task"), lambda w, p: {"priority_0": 0.5}),
    ("DELETE", "/api/task/{oid}"): Rule(MANAGERS, oid("task")),
    # -- answers: anyone answers (anonymous too, where the project allows it); the author edits ----
    ("GET", "/api/taskrun"): Rule(EVERYONE),
    ("POST", "/api/taskrun"): Rule(EVERYONE, call=answer),
    ("GET", "/api/taskrun/{oid}"): Rule(EVERYONE, oid("run")),
    ("PUT", "/api/taskrun/{oid}"): Rule(
        frozenset({"admin", "other"}), oid("run"), lambda w, p: {"info": "Changed"}
    ),
    ("DELETE", "/api/taskrun/{oid}"): Rule(frozenset({"admin", "other"}), oid("run")),
    # -- results: made by completion; owners annotate --------------------------------------------
    ("GET", "/api/result"): Rule(EVERYONE),
    ("POST", "/api/result"): Rule(NOBODY, body=lambda w, p: {"info": {"made": "up"}}),
    ("GET", "/api/result/{oid}"): Rule(EVERYONE, oid("result")),
    ("PUT", "/api/result/{oid}"): Rule(MANAGERS, oid("result"), lambda w, p: {"info": {"n": 1}}),
    ("DELETE", "/api/result/{oid}"): Rule(NOBODY, oid("result")),
    # -- users: public profiles; each person (and admins) edits their own -------------------------
    ("GET", "/api/user"): Rule(EVERYONE),
    ("POST", "/api/user"): Rule(NOBODY, body=lambda w, p: {"name": "x"}, refused_status=405),
    ("GET", "/api/user/{oid}"): Rule(EVERYONE, lambda w: {"oid": w.user("owner").pk}),
    ("PUT", "/api/user/{oid}"): Rule(
        frozenset({"admin", "owner"}),
        lambda w: {"oid": w.user("owner").pk},
        lambda w, p: {"fullname": "Renamed"},
    ),
    ("DELETE", "/api/user/{oid}"): Rule(
        NOBODY, lambda w: {"oid": w.user("owner").pk}, refused_status=405
    ),
    # -- helping material ---------------------------------------------------------------------------
    ("GET", "/api/helpingmaterial"): Rule(EVERYONE),
    ("POST", "/api/helpingmaterial"): Rule(
        MANAGERS, body=lambda w, p: {"project_id": w.project.pk, "info": {"t": p}}
    ),
    ("GET", "/api/helpingmaterial/{oid}"): Rule(EVERYONE, oid("material")),
    ("PUT", "/api/helpingmaterial/{oid}"): Rule(
        MANAGERS, oid("material"), lambda w, p: {"priority": 2.0}
    ),
    ("DELETE", "/api/helpingmaterial/{oid}"): Rule(MANAGERS, oid("material")),
    # -- contributing -------------------------------------------------------------------------------
    ("GET", "/api/project/{project_id}/newtask"): Rule(EVERYONE, project_id),
    ("GET", "/api/project/{project_ref}/userprogress"): Rule(
        EVERYONE, lambda w: {"project_ref": w.project.short_name}
    ),
    ("POST", "/api/project/{project_id}/skip"): Rule(
        EVERYONE, project_id, lambda w, p: {"task_id": w.task.pk}
    ),
    ("GET", "/api/globalstats"): Rule(EVERYONE),
    ("GET", "/api/auth/project/{short_name}/token"): Rule(
        EVERYONE, lambda w: {"short_name": w.project.short_name}, call=mint_token
    ),
    # -- owners' tools: webhooks, import, export (downloads off), autoimporter ---------------------
    ("GET", "/api/project/{project_id}/webhooks"): Rule(MANAGERS, project_id),
    ("POST", "/api/project/{project_id}/webhooks"): Rule(
        MANAGERS, project_id, query={"failed": "1"}
    ),
    ("GET", "/api/project/{project_id}/webhooks/{delivery_id}"): Rule(
        MANAGERS, lambda w: {"project_id": w.project.pk, "delivery_id": w.delivery.pk}
    ),
    ("POST", "/api/project/{project_id}/webhooks/{delivery_id}"): Rule(
        MANAGERS, lambda w: {"project_id": w.project.pk, "delivery_id": w.delivery.pk}
    ),
    ("GET", "/api/project/{project_id}/export"): Rule(MANAGERS, project_id),
    ("POST", "/api/project/{project_id}/import"): Rule(MANAGERS, project_id, call=upload_csv),
    ("GET", "/api/project/{project_id}/import/{job_id}"): Rule(
        MANAGERS, lambda w: {"project_id": w.project.pk, "job_id": w.job.pk}
    ),
    ("GET", "/api/project/{project_id}/autoimporter"): Rule(MANAGERS, project_id),
    ("PUT", "/api/project/{project_id}/autoimporter"): Rule(
        MANAGERS, project_id, lambda w, p: PUBLIC_URL
    ),
    ("DELETE", "/api/project/{project_id}/autoimporter"): Rule(MANAGERS, project_id),
}


def api_operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def test_every_api_operation_has_a_matrix_entry():
    operations = api_operations()
    assert operations - MATRIX.keys() == set(), "add these operations to MATRIX"
    assert MATRIX.keys() - operations == set(), "these MATRIX entries name no operation"


def client_for(world: World, persona: str) -> Client:
    """An API client authenticated by the persona's key (``api_key`` parameter, so the
    ``Authorization`` header stays free for the token endpoint's secret)."""
    client = Client(REMOTE_ADDR="198.51.100.9")
    user = world.user(persona)
    client.api_key = user.api_key if user is not None else None
    return client


def send(world: World, persona: str, method: str, path: str, rule: Rule):
    client = client_for(world, persona)
    url = path.format(**rule.ids(world))
    query = dict(rule.query)
    if client.api_key:
        query["api_key"] = client.api_key
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    if rule.call is not None:
        return rule.call(client, url, world, persona)
    body = rule.body(world, persona) if rule.body else None
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, url, data, content_type="application/json")


def outcome(world: World, persona: str, method: str, path: str, rule: Rule) -> str | None:
    """What went wrong for one persona, or None. Runs inside a savepoint that is rolled back, so
    every persona meets the same world."""
    before = snapshot()
    res = send(world, persona, method, path, rule)
    if persona in rule.allowed:
        if res.status_code not in ALLOWED_STATUSES:
            return f"{persona}: allowed, but got {res.status_code} {res.content[:200]!r}"
        return None
    expected = rule.refused_status or (401 if persona == "anonymous" else 403)
    if res.status_code != expected:
        return f"{persona}: expected {expected}, got {res.status_code} {res.content[:200]!r}"
    body = res.json()
    if body.get("status") != "failed" or body.get("status_code") != expected:
        return f"{persona}: not PYBOSSA's error shape: {body}"
    if snapshot() != before:
        return f"{persona}: refused, yet the database changed"
    return None


@pytest.mark.parametrize("operation", sorted(MATRIX), ids=[f"{m} {p}" for m, p in sorted(MATRIX)])
def test_api_operation_answers_exactly_the_personas_allowed(world, operation):
    method, path = operation
    problems = []
    for persona in PERSONAS:
        savepoint = transaction.savepoint()
        try:
            problems.append(outcome(world, persona, method, path, MATRIX[operation]))
        finally:
            transaction.savepoint_rollback(savepoint)
    assert [p for p in problems if p] == []


# -- a draft project's rows: only the people who manage it see them --------------------------------
DRAFT_READS = [
    "/api/project/{project}",
    "/api/project?short_name=moths",
    "/api/task/{task}",
    "/api/task?project_id={project}",
    "/api/taskrun/{run}",
    "/api/taskrun?project_id={project}",
    "/api/result/{result}",
    "/api/result?project_id={project}",
    "/api/helpingmaterial/{material}",
    "/api/helpingmaterial?project_id={project}",
]


@pytest.fixture
def draft_rows(world) -> dict:
    """A draft with a task, an answer, a result and helping material."""
    from django.utils import timezone

    from crowdfold.projects.models import HelpingMaterial
    from crowdfold.tasks.models import Result
    from tests.conftest import make_tasks
    from tests.owner.factories import add_runs

    (task,) = make_tasks(world.draft, 1, n_answers=1)
    (run,) = add_runs(world.draft, [task], [world.user("other")], [timezone.now()])
    result = Result.objects.create(project=world.draft, task=task, task_run_ids=[run.pk])
    material = HelpingMaterial.objects.create(project=world.draft, info={"title": "Secret"})
    return {
        "project": world.draft.pk,
        "task": task.pk,
        "run": run.pk,
        "result": result.pk,
        "material": material.pk,
    }


@pytest.mark.parametrize("path", DRAFT_READS)
def test_a_draft_projects_rows_are_visible_only_to_those_who_manage_it(world, draft_rows, path):
    problems = []
    for persona in PERSONAS:
        client = client_for(world, persona)
        url = path.format(**draft_rows)
        if client.api_key:
            url += ("&" if "?" in url else "?") + f"api_key={client.api_key}&all=1"
        res = client.get(url)
        visible = persona in MANAGERS
        if "?" in path:  # a list: the draft's row is in it or not
            seen = res.status_code == 200 and bool(res.json())
            if seen is not visible:
                problems.append(f"{persona}: listed={seen}")
        else:
            expected = 200 if visible else 401 if persona == "anonymous" else 403
            if res.status_code != expected:
                problems.append(f"{persona}: {res.status_code} instead of {expected}")
    assert problems == []
