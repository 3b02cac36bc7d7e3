"""Shared fixtures: personas (admin, owner, volunteer, outsider), a project with tasks, an API client.

Tests run on whatever DATABASE_URL names (SQLite by default); `make test` runs the suite on SQLite
and again on PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from huey.contrib.djhuey import HUEY

from crowdfold.accounts.services import create_user
from crowdfold.projects.services import create_project
from crowdfold.tasks.models import Task

# Background jobs run synchronously, in memory, inside the test (tests/ops also run a real worker).
HUEY.immediate = True


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is deliberately slow; tests create many users and never attack their hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The file cache of cached pages: one folder per test run, so runs never share pages.
    content = settings.CACHES["content"]
    if content["BACKEND"].endswith("FileBasedCache"):
        import tempfile

        content["LOCATION"] = tempfile.mkdtemp(prefix="cf-test-cache-")


class ApiClient:
    """A thin wrapper over Django's test client that speaks JSON and an API key."""

    def __init__(self, api_key: str | None = None, remote_addr: str = "198.51.100.7"):
        self.client = Client(REMOTE_ADDR=remote_addr)
        self.api_key = api_key

    def _headers(self, headers):
        merged = dict(headers or {})
        if self.api_key and "HTTP_AUTHORIZATION" not in merged:
            merged["HTTP_AUTHORIZATION"] = self.api_key
        return merged

    def get(self, path, params=None, **headers):
        return self.client.get(path, params or {}, **self._headers(headers))

    def head(self, path, params=None, **headers):
        return self.client.head(path, params or {}, **self._headers(headers))

    def post(self, path, data=None, **headers):
        return self.client.post(
            path, json.dumps(data), content_type="application/json", **self._headers(headers)
        )

    def put(self, path, data=None, **headers):
        return self.client.put(
            path, json.dumps(data), content_type="application/json", **self._headers(headers)
        )

    def delete(self, path, **headers):
        return self.client.delete(path, **self._headers(headers))


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters and cached values live in the caches; with the default in-process
    and file caches, start every test with none so tests neither spend each other's budget nor see stale
    values."""
    from django.core.cache import caches
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache

    for alias in caches:
        if isinstance(caches[alias], LocMemCache | FileBasedCache):
            caches[alias].clear()
    yield


@pytest.fixture
def admin(db):
    return create_user("admin", "admin@example.org", "admin-pass-123", admin=True)


@pytest.fixture
def owner(db, admin):
    return create_user("owner", "owner@example.org", "owner-pass-123")


@pytest.fixture
def volunteer(db, admin):
    return create_user("volunteer", "volunteer@example.org", "volunteer-pass-123")


@pytest.fixture
def outsider(db, admin):
    return create_user("outsider", "outsider@example.org", "outsider-pass-123")


@pytest.fixture
def project(owner):
    project = create_project(
        owner, name="Bird Count", short_name="birds", description="Count birds"
    )
    project.published = True
    project.save()
    return project


def make_tasks(project, count: int, n_answers: int = 3, **fields) -> list[Task]:
    return Task.objects.bulk_create(
        [Task(project=project, info={"n": i}, n_answers=n_answers, **fields) for i in range(count)]
    )


@pytest.fixture
def api():
    def make(user=None, **kwargs) -> ApiClient:
        return ApiClient(user.api_key if user is not None else None, **kwargs)

    return make
