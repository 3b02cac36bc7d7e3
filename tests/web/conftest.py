"""Fixtures of the volunteer-page tests: a browser-like client per persona, a presenter."""

from __future__ import annotations

import pytest
from django.test import Client

PRESENTER = '<div id="cf-test-presenter">Answer me</div><script>pybossa.run("birds")</script>'


@pytest.fixture
def with_presenter(project):
    project.info = {**project.info, "task_presenter": PRESENTER}
    project.save()
    return project


@pytest.fixture
def browser_as():
    """A test client signed in as ``user`` (anonymous when None), from a fixed address."""

    def make(user=None, remote_addr: str = "203.0.113.9", **kwargs) -> Client:
        client = Client(REMOTE_ADDR=remote_addr, **kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make
