"""Listing costs a fixed number of queries whatever the page size (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crowdfold.projects.services import create_project
from tests.api.test_task_api import answer
from tests.conftest import make_tasks


@pytest.fixture(autouse=True)
def no_reused_rows(settings):
    settings.HOT_ROW_SECONDS = 0  # the first request would otherwise pay the API key lookup alone


def queries_for(client, path, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params).status_code == 200
    return len(ctx.captured_queries)


def test_task_list_with_related_rows_has_no_query_per_row(api, owner, project, volunteer):
    tasks = make_tasks(project, 40, n_answers=1)
    for _ in range(3):
        answer(api, volunteer, project, tasks[_])
    client = api(owner)
    few = queries_for(client, "/api/task", {"limit": 2, "related": 1})
    many = queries_for(client, "/api/task", {"limit": 40, "related": 1})
    assert few == many


def test_project_list_has_no_query_per_row(api, owner, outsider):
    for i in range(12):
        create_project(owner, name=f"P{i}", short_name=f"p{i}", published=True)
    client = api(outsider)
    assert queries_for(client, "/api/project", {"limit": 2, "all": 1}) == queries_for(
        client, "/api/project", {"limit": 12, "all": 1}
    )
