"""globalstats, the external-user token and JWT flow, HEAD, OpenAPI."""

from __future__ import annotations

import jwt

from crowdfold.tasks.models import TaskRun
from tests.api.conftest import assert_error
from tests.conftest import make_tasks


def test_globalstats_counts_in_pybossa_shape(api, project, draft, volunteer):
    from tests.api.test_task_api import answer

    (task, _other) = make_tasks(project, 2, n_answers=2)
    answer(api, volunteer, project, task)
    stats = api().get("/api/globalstats").json()
    assert stats["n_projects"] == 2
    assert stats["n_tasks"] == 4  # PYBOSSA's quirk: the sum of redundancies
    assert stats["n_task_runs"] == 1 and stats["n_pending_tasks"] == 3
    assert stats["n_results"] == 0
    assert {"draft": 1} in stats["categories"] and {project.category.short_name: 2} in stats[
        "categories"
    ]


def test_token_needs_the_raw_secret_key(api, project):
    client = api()
    path = f"/api/auth/project/{project.short_name}/token"
    assert_error(client.get(path), 403, "Forbidden", target="project")
    assert_error(client.get(path, HTTP_AUTHORIZATION="wrong"), 404, "NotFound", target="project")
    assert_error(
        client.get("/api/auth/project/nope/token", HTTP_AUTHORIZATION=project.secret_key),
        404,
        "NotFound",
        target="project",
    )
    res = client.get(path, HTTP_AUTHORIZATION=project.secret_key)
    assert res.status_code == 200 and res["Content-Type"].startswith("text/plain")
    claims = jwt.decode(res.content.decode(), project.secret_key, algorithms=["HS256"])
    assert claims == {"short_name": "birds", "project_id": project.pk}


def test_external_user_contributes_with_a_bearer_token(api, project):
    (task,) = make_tasks(project, 1, n_answers=2)
    token = (
        api()
        .get(f"/api/auth/project/{project.short_name}/token", HTTP_AUTHORIZATION=project.secret_key)
        .content.decode()
    )
    external = api()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    got = external.get(
        f"/api/project/{project.pk}/newtask", {"external_uid": "ext-42"}, **bearer
    ).json()
    assert got["id"] == task.pk
    res = external.client.post(
        "/api/taskrun?external_uid=ext-42",
        data=f'{{"project_id": {project.pk}, "task_id": {task.pk}, "info": "Yes", "external_uid": "ext-42"}}',
        content_type="application/json",
        **bearer,
    )
    assert res.status_code == 200, res.content
    run = TaskRun.objects.get(pk=res.json()["id"])
    assert (run.external_uid, run.user_id, run.user_ip) == ("ext-42", None, None)
    progress = external.get(
        f"/api/project/{project.short_name}/userprogress", {"external_uid": "ext-42"}
    ).json()
    assert progress == {"done": 1, "total": 1}


def test_external_user_without_a_valid_token_is_refused(api, project):
    make_tasks(project, 1)
    res = api().get(
        f"/api/project/{project.pk}/newtask",
        {"external_uid": "ext-1"},
        HTTP_AUTHORIZATION="Bearer forged",
    )
    assert res.status_code == 401


def test_head_answers_like_get_without_a_body(api, project):
    make_tasks(project, 2)
    for path in (
        "/api/task",
        "/api/project",
        f"/api/project/{project.pk}",
        "/api/globalstats",
        f"/api/project/{project.short_name}/userprogress",
    ):
        res = api().head(path)
        assert res.status_code == 200, path
        assert res.content == b""
        assert res["X-RateLimit-Limit"]
    assert api().head("/api/task/999").status_code == 404


def test_openapi_lists_every_route_with_parameters(api, db):
    doc = api().get("/api/openapi.json").json()
    paths = doc["paths"]
    for resource in ("project", "category", "task", "taskrun", "result", "user", "helpingmaterial"):
        assert {"get", "post"} <= paths[f"/api/{resource}"].keys()
        assert {"get", "put", "delete"} <= paths[f"/api/{resource}/{{oid}}"].keys()
    names = {p["name"] for p in paths["/api/task"]["get"]["parameters"]}
    assert {"limit", "offset", "last_id", "orderby", "desc", "all", "related"} <= names
    for path in (
        "/api/globalstats",
        "/api/auth/project/{short_name}/token",
        "/api/project/{project_id}/newtask",
    ):
        assert path in paths
    assert api().get("/api/docs").status_code == 200


def test_api_root_is_plain_text(api, db):
    res = api().get("/api/")
    assert res.status_code == 200 and res.content.decode().endswith(" API")
