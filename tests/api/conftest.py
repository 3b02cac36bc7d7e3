"""API test helpers: a co-owner persona, a draft project and PYBOSSA's error shape."""

from __future__ import annotations

import pytest

from crowdfold.accounts.services import create_user
from crowdfold.projects.services import create_project


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 costs ~1 s per persona on a busy machine; these tests are about the API, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def coowner(db, admin, project):
    user = create_user("coowner", "coowner@example.org", "coowner-pass-123")
    project.owners.add(user)
    return user


@pytest.fixture
def draft(owner):
    return create_project(
        owner, name="Draft Moths", short_name="moths", description="Not yet public"
    )


@pytest.fixture
def clients(api, admin, owner, coowner, outsider):
    """One API client per persona, keyed by role."""
    return {
        "admin": api(admin),
        "owner": api(owner),
        "coowner": api(coowner),
        "outsider": api(outsider),
        "anonymous": api(),
    }


def assert_error(
    response, status: int, exception_cls: str, *, target: str, action: str | None = None
):
    """PYBOSSA's error JSON, exactly its six keys."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {
        "status",
        "status_code",
        "action",
        "target",
        "exception_cls",
        "exception_msg",
    }
    assert body["status"] == "failed"
    assert body["status_code"] == status
    assert body["exception_cls"] == exception_cls
    assert body["target"] == target
    if action is not None:
        assert body["action"] == action
    return body
