"""Personas and a small world for the security tests.

Five personas, as the authorization matrices name them: ``admin``, ``owner`` (created the project),
``coowner`` (added as a co-owner), ``other`` (signed in, nothing to do with the project) and
``anonymous``. The world holds one of every row an endpoint or page can target.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from crowdfold.accounts.models import User
from crowdfold.accounts.services import create_user
from crowdfold.data.models import AutoImporter, ImportJob
from crowdfold.ops.models import WebhookDelivery
from crowdfold.projects.models import Category, HelpingMaterial, Project
from crowdfold.projects.services import create_project
from crowdfold.tasks.models import Result, Task, TaskRun
from crowdfold.workshop.models import BlogPost
from tests.browser.conftest import chromium  # noqa: F401  (the browser fixture, reused)
from tests.browser.conftest import pytest_configure as _live_server_database
from tests.conftest import make_tasks
from tests.owner.factories import add_runs


def pytest_configure(config):
    # test_csp_in_browser.py runs a live server: same SQLite arrangement as tests/browser.
    _live_server_database(config)


PERSONAS = ("admin", "owner", "coowner", "other", "anonymous")
MANAGERS = frozenset({"admin", "owner", "coowner"})
SIGNED_IN = frozenset({"admin", "owner", "coowner", "other"})
EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()


@dataclass
class World:
    users: dict[str, User | None]
    project: Project  # published, owner + coowner, downloads off
    draft: Project  # unpublished, same owners
    category: Category
    task: Task  # no answers
    answered: Task  # n_answers=2, answered once by `other`: the run is not in a result yet
    run: TaskRun  # `other`'s answer
    result: Result
    material: HelpingMaterial
    post: BlogPost
    delivery: WebhookDelivery
    job: ImportJob

    def user(self, persona: str) -> User | None:
        return self.users[persona]


@pytest.fixture(autouse=True)
def no_pro_gates(settings):
    """Ownership rules only: PRO_FEATURES may additionally reserve some owner tools (autoimporter,
    audit log, webhooks…) for pro users; that is tested in tests/owner/test_pro_features.py."""
    settings.PRO_FEATURES = dict.fromkeys(settings.PRO_FEATURES, False)


@pytest.fixture
def coowner(db, admin):
    return create_user("coowner", "coowner@example.org", "coowner-pass-123")


@pytest.fixture
def world(db, admin, owner, coowner, outsider, volunteer) -> World:
    project = create_project(owner, name="Bird Count", short_name="birds", description="Birds")
    project.owners.add(coowner)
    project.published = True
    project.zip_download = False
    project.save()
    draft = create_project(owner, name="Draft Moths", short_name="moths", description="Draft")
    draft.owners.add(coowner)
    category = Category.objects.create(name="Nature", short_name="nature")
    task, answered, completed = make_tasks(project, 3, n_answers=2)
    Task.objects.filter(pk=completed.pk).update(n_answers=1)
    now = timezone.now()
    (run,) = add_runs(project, [answered], [outsider], [now])
    (done,) = add_runs(project, [Task.objects.get(pk=completed.pk)], [volunteer], [now])
    Result.objects.create(project=project, task_id=completed.pk, task_run_ids=[done.pk])
    material = HelpingMaterial.objects.create(project=project, info={"title": "Guide"})
    post = BlogPost.objects.create(project=project, user=owner, title="News", body="Hello")
    delivery = WebhookDelivery.objects.create(
        project=project, url="https://hooks.example.org/", payload={"event": "task_completed"}
    )
    job = ImportJob.objects.create(project=project, user=owner, source={"type": "csv"})
    AutoImporter.objects.create(
        project=project, source={"type": "csv", "url": "https://93.184.216.34/tasks.csv"}
    )
    return World(
        users={
            "admin": admin,
            "owner": owner,
            "coowner": coowner,
            "other": outsider,
            "anonymous": None,
        },
        project=project,
        draft=draft,
        category=category,
        task=task,
        answered=answered,
        run=run,
        result=Result.objects.get(task_id=completed.pk),
        material=material,
        post=post,
        delivery=delivery,
        job=job,
    )


@pytest.fixture
def browser_for(world):
    """``browser_for(persona)``: a test client signed in as that persona (anonymous: not signed in)."""

    def make(persona: str, **kwargs) -> Client:
        client = Client(**kwargs)
        user = world.user(persona)
        if user is not None:
            client.force_login(user)
        return client

    return make


def snapshot() -> dict:
    """Every row a request could change (sign-in times aside), to show a refused request changed
    nothing."""
    from crowdfold.tasks.models import TaskReservation, TaskSkip

    models = [
        Project,
        Project.owners.through,
        Category,
        Task,
        TaskRun,
        Result,
        TaskReservation,
        TaskSkip,
        HelpingMaterial,
        BlogPost,
        WebhookDelivery,
        ImportJob,
        AutoImporter,
    ]
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    rows["User"] = list(User.objects.order_by("pk").values(*_user_columns()))
    return rows


def _user_columns() -> list[str]:
    return [f.attname for f in User._meta.concrete_fields if f.name != "last_login"]
