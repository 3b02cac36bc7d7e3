"""/api/result: public; only the analysis (``info``) is writable, by the project's owners."""

from __future__ import annotations

import pytest

from crowdfold.tasks.models import Result
from tests.api.conftest import assert_error
from tests.api.test_task_api import answer
from tests.conftest import make_tasks


@pytest.fixture
def result(api, project, volunteer):
    (task,) = make_tasks(project, 1, n_answers=1)
    answer(api, volunteer, project, task)
    return Result.objects.get(task=task, last_version=True)


def test_results_list_only_current_versions_by_default(api, project, result):
    old = Result.objects.create(
        project=project, task=result.task, task_run_ids=[], last_version=False
    )
    assert [r["id"] for r in api().get("/api/result").json()] == [result.pk]
    assert [r["id"] for r in api().get("/api/result", {"last_version": "false"}).json()] == [old.pk]


@pytest.mark.parametrize("role", ["owner", "coowner", "admin"])
def test_managers_write_the_analysis_like_update_result(clients, result, role):
    row = clients[role].get(f"/api/result/{result.pk}").json()
    for key in ("id", "created", "project_id", "task_id", "task_run_ids", "last_version"):
        row.pop(key)
    row["info"] = {"answer": "Yes", "by": role}
    res = clients[role].put(f"/api/result/{result.pk}", row)
    assert res.status_code == 200, res.content
    assert Result.objects.get(pk=result.pk).info == {"answer": "Yes", "by": role}


@pytest.mark.parametrize(
    ("role", "status", "cls"), [("outsider", 403, "Forbidden"), ("anonymous", 401, "Unauthorized")]
)
def test_others_cannot_write_results(clients, result, role, status, cls):
    assert_error(
        clients[role].put(f"/api/result/{result.pk}", {"info": 1}), status, cls, target="result"
    )


def test_results_are_never_created_or_deleted_through_the_api(clients, project, result):
    assert_error(
        clients["admin"].post("/api/result", {"info": 1}), 403, "Forbidden", target="result"
    )
    assert_error(
        clients["anonymous"].post("/api/result", {"info": 1}), 401, "Unauthorized", target="result"
    )
    assert_error(
        clients["admin"].delete(f"/api/result/{result.pk}"), 403, "Forbidden", target="result"
    )


def test_only_info_is_writable(clients, result):
    assert_error(
        clients["owner"].put(f"/api/result/{result.pk}", {"task_run_ids": [999]}),
        400,
        "BadRequest",
        target="result",
    )
    assert_error(
        clients["owner"].put(f"/api/result/{result.pk}", {"last_version": False}),
        400,
        "BadRequest",
        target="result",
    )


def test_related_result_carries_task_and_runs(api, result):
    row = api().get(f"/api/result/{result.pk}", {"related": 1}).json()
    assert row["task"]["id"] == result.task_id
    assert [r["id"] for r in row["task_runs"]] == result.task_run_ids
