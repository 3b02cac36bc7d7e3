"""Bodies no client should send (found by tests/api/test_openapi_fuzz.py and its kin) get a 4xx in
PYBOSSA's error shape, never a 500."""

from __future__ import annotations

from tests.api.conftest import assert_error
from tests.conftest import make_tasks

DEEP = "[" * 5000 + "]" * 5000


def test_json_nested_thousands_deep_is_a_415_not_a_500(api, project, owner):
    res = api(owner).client.post(
        "/api/task", DEEP, content_type="application/json", HTTP_AUTHORIZATION=owner.api_key
    )
    assert_error(res, 415, "ValueError", target="task")


def test_answer_nested_deeper_than_the_limit_is_refused(api, project, volunteer):
    (task,) = make_tasks(project, 1)
    client = api(volunteer)
    client.get(f"/api/project/{project.pk}/newtask")
    info = {"a": None}
    for _ in range(80):
        info = {"a": info}
    res = client.post("/api/taskrun", {"project_id": project.pk, "task_id": task.pk, "info": info})
    assert res.status_code == 415, res.content
    assert not task.task_runs.exists()


def test_info_filter_nested_thousands_deep_is_not_a_500(api, project):
    res = api().get("/api/task", {"info": DEEP})
    assert res.status_code < 500


def test_multipart_without_a_boundary_is_a_400(api, project, owner):
    res = api(owner).client.post(
        "/api/helpingmaterial",
        b'{"project_id": 1}',
        content_type="multipart/form-data",
        HTTP_AUTHORIZATION=owner.api_key,
    )
    assert_error(res, 400, "BadRequest", target="helpingmaterial")


def test_import_upload_without_a_boundary_is_a_400(api, project, owner):
    res = api(owner).client.post(
        f"/api/project/{project.pk}/import",
        b"a,b\n1,2\n",
        content_type="multipart/form-data",
        HTTP_AUTHORIZATION=owner.api_key,
    )
    assert_error(res, 400, "BadRequest", target="project")


def test_a_body_over_the_upload_limit_is_a_400_not_a_500(api, project, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"project_id": project.pk, "info": {"blob": "x" * 2000}}
    res = api(owner).post("/api/task", body)
    assert_error(res, 400, "BadRequest", target="task")
