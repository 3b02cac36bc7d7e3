"""PYBOSSA's full-text search on info keys: ?info=key::terms&fulltextsearch=1 (reference §2.4.2)."""

from __future__ import annotations

import pytest
from django.db import connection

from crowdfold.tasks.models import Task


@pytest.fixture
def described(project):
    texts = [
        "A heron stands in shallow water",
        "Two herons and a duck fly over the river",
        "An empty field at dawn",
    ]
    return Task.objects.bulk_create(
        [Task(project=project, info={"text": t, "n": i}) for i, t in enumerate(texts)]
    )


def search(client, terms, **extra):
    return client.get(
        "/api/task", {"info": f"text::{terms}", "fulltextsearch": 1, "all": 1, **extra}
    )


def test_matching_tasks_come_with_headline_and_rank(api, described):
    response = search(api(), "heron")
    assert response.status_code == 200
    rows = response.json()
    found = {row["id"] for row in rows}
    if connection.vendor == "postgresql":  # stemming: "herons" matches "heron"
        assert found == {described[0].pk, described[1].pk}
    else:
        assert described[0].pk in found and described[2].pk not in found
    for row in rows:
        assert "<b>" in row["headline"].lower() and "heron" in row["headline"].lower()
        assert isinstance(row["rank"], float)


def test_every_word_must_match(api, described):
    rows = search(api(), "heron & duck").json()
    assert [row["id"] for row in rows] == [described[1].pk]


def test_without_the_switch_info_key_value_is_an_exact_match(api, described):
    rows = api().get("/api/task", {"info": "text::heron", "all": 1}).json()
    assert rows == []


def test_nothing_found_is_an_empty_list(api, described):
    assert search(api(), "zebra").json() == []


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="to_tsquery syntax exists on PostgreSQL only"
)
def test_malformed_terms_are_a_400_not_a_500(api, described):
    response = search(api(), "heron duck")  # to_tsquery wants an operator between words
    assert response.status_code == 400
    assert response.json()["exception_cls"] == "BadRequest"
