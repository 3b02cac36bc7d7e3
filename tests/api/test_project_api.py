"""/api/project: listing, reading, creating, editing and deleting projects with PYBOSSA's rules."""

from __future__ import annotations

import pytest

from crowdfold.projects.models import Project
from crowdfold.tasks.models import Result
from tests.api.conftest import assert_error
from tests.conftest import make_tasks

SECRET_FIELDS = {
    "secret_key",
    "webhook",
    "published",
    "allow_anonymous_contributors",
    "zip_download",
    "contacted",
}


def test_anonymous_sees_published_projects_in_public_projection(api, project, draft):
    project.info = {
        "task_presenter": "<p>hi</p>",
        "sched": "default",
        "results": "private",
        "passwd": "x",
    }
    project.save()
    rows = api().get("/api/project").json()
    assert [r["short_name"] for r in rows] == ["birds"]
    row = rows[0]
    assert not SECRET_FIELDS & row.keys()
    assert row["info"] == {"task_presenter": "<p>hi</p>", "sched": "default"}
    assert row["owners_ids"] == [project.owner_id]
    assert (
        row["link"]
        == f"<link rel='self' title='project' href='http://testserver/api/project/{project.pk}'/>"
    )
    assert row["links"] == [
        f"<link rel='category' title='category' href='http://testserver/api/category/{project.category_id}'/>"
    ]


def test_extra_public_info_keys_come_from_settings(api, project, settings):
    settings.PROJECT_INFO_PUBLIC_FIELDS = ["lang"]
    project.info = {"lang": "en", "hidden": 1}
    project.save()
    assert api().get(f"/api/project/{project.pk}").json()["info"] == {"lang": "en"}


def test_owner_gets_every_column_and_complete_info(api, owner, project):
    project.info = {"task_presenter": "x", "results": "r", "autoimporter": {"type": "csv"}}
    project.save()
    row = api(owner).get(f"/api/project/{project.pk}").json()
    assert row["secret_key"] == project.secret_key
    assert row["info"] == project.info
    assert SECRET_FIELDS <= row.keys()


@pytest.mark.parametrize("role", ["admin", "coowner"])
def test_admin_and_coowner_see_the_secret_key(clients, project, role):
    assert (
        clients[role].get(f"/api/project/{project.pk}").json()["secret_key"] == project.secret_key
    )


def test_outsider_never_sees_the_secret_key(clients, project):
    row = clients["outsider"].get(f"/api/project/{project.pk}").json()
    assert "secret_key" not in row
    rows = clients["outsider"].get("/api/project", {"all": 1}).json()
    assert all("secret_key" not in r for r in rows)


def test_draft_is_hidden_from_lists_and_refused_on_item_get(clients, draft):
    for role in ("outsider", "anonymous"):
        assert [r["short_name"] for r in clients[role].get("/api/project", {"all": 1}).json()] == [
            "birds"
        ]
    assert_error(
        clients["anonymous"].get(f"/api/project/{draft.pk}"), 401, "Unauthorized", target="project"
    )
    assert_error(
        clients["outsider"].get(f"/api/project/{draft.pk}"), 403, "Forbidden", target="project"
    )
    for role in ("owner", "admin"):
        assert clients[role].get(f"/api/project/{draft.pk}").json()["short_name"] == "moths"


def test_signed_in_callers_list_their_own_projects_unless_all(clients, project, draft, outsider):
    assert clients["outsider"].get("/api/project").json() == []
    assert [
        r["short_name"] for r in clients["outsider"].get("/api/project", {"all": "1"}).json()
    ] == ["birds"]
    assert [r["short_name"] for r in clients["owner"].get("/api/project").json()] == [
        "birds",
        "moths",
    ]


def test_short_name_lookup_as_pybossa_js_does(api, project):
    rows = api().get("/api/project", {"all": 1, "short_name": "birds"}).json()
    assert [r["id"] for r in rows] == [project.pk]


def test_stats_parameter_is_accepted(api, project):
    assert api().get(f"/api/project/{project.pk}", {"stats": 1}).status_code == 200
    assert api().get("/api/project", {"stats": 1}).status_code == 200


def test_any_signed_in_user_creates_a_draft_they_own(api, outsider):
    res = api(outsider).post(
        "/api/project", {"name": "Frogs", "short_name": "frogs", "description": "Count frogs"}
    )
    assert res.status_code == 200, res.content
    body = res.json()
    assert body["owner_id"] == outsider.pk and body["owners_ids"] == [outsider.pk]
    assert body["published"] is False and "link" not in body
    assert Project.objects.get(short_name="frogs").category_id == body["category_id"]


def test_anonymous_cannot_create_a_project(api, db):
    assert_error(
        api().post("/api/project", {"name": "X", "short_name": "x"}),
        401,
        "Unauthorized",
        target="project",
    )


def test_duplicate_name_is_dbintegrityerror_for_pbs(api, owner, project):
    res = api(owner).post("/api/project", {"name": "Bird Count", "short_name": "other"})
    assert_error(res, 415, "DBIntegrityError", target="project", action="POST")
    res = api(owner).post("/api/project", {"name": "Other", "short_name": "birds"})
    assert_error(res, 415, "DBIntegrityError", target="project")


def test_reserved_short_name_is_valueerror(api, owner):
    assert_error(
        api(owner).post("/api/project", {"name": "N", "short_name": "new"}),
        415,
        "ValueError",
        target="project",
    )


def test_reserved_keys_are_badrequest_and_unknown_keys_typeerror(api, owner):
    body = {"name": "N", "short_name": "n", "secret_key": "mine"}
    assert_error(api(owner).post("/api/project", body), 400, "BadRequest", target="project")
    body = {"name": "N", "short_name": "n", "colour": "red"}
    assert_error(api(owner).post("/api/project", body), 415, "TypeError", target="project")


def test_publishing_through_the_api_is_forbidden(api, owner, draft):
    res = api(owner).post("/api/project", {"name": "N", "short_name": "n", "published": True})
    body = assert_error(res, 403, "Forbidden", target="project")
    assert body["exception_msg"] == "You cannot publish a project via the API"
    res = api(owner).put(f"/api/project/{draft.pk}", {"published": True})
    assert_error(res, 403, "Forbidden", target="project")
    draft.refresh_from_db()
    assert draft.published is False


def test_unknown_category_is_badrequest(api, owner):
    res = api(owner).post("/api/project", {"name": "N", "short_name": "n", "category_id": 999})
    assert_error(res, 400, "BadRequest", target="project")


def test_owner_round_trips_get_to_put_like_pbclient(api, owner, project):
    project.info = {"task_presenter": "old", "results": "keep me", "autoimporter": {"a": 1}}
    project.save()
    client = api(owner)
    row = client.get(f"/api/project/{project.pk}").json()
    for key in ("id", "created", "updated", "completed", "contacted", "published", "secret_key"):
        row.pop(key, None)
    row["info"]["task_presenter"] = "new"
    row["long_description"] = "Longer"
    res = client.put(f"/api/project/{project.pk}", row)
    assert res.status_code == 200, res.content
    project.refresh_from_db()
    assert project.info == {"task_presenter": "new", "results": "keep me", "autoimporter": {"a": 1}}
    assert project.long_description == "Longer"


def test_put_is_partial_and_replaces_info_whole(api, owner, project):
    project.info = {"a": 1, "b": 2}
    project.save()
    res = api(owner).put(f"/api/project/{project.pk}", {"info": {"c": 3}})
    assert res.status_code == 200
    assert res.json()["info"] == {"c": 3} and res.json()["name"] == "Bird Count"


@pytest.mark.parametrize("role", ["owner", "coowner", "admin"])
def test_managers_may_edit_the_project(clients, project, role):
    res = clients[role].put(f"/api/project/{project.pk}", {"description": f"by {role}"})
    assert res.status_code == 200, res.content
    assert res.json()["description"] == f"by {role}"


@pytest.mark.parametrize(
    ("role", "status", "cls"), [("outsider", 403, "Forbidden"), ("anonymous", 401, "Unauthorized")]
)
def test_others_cannot_edit_or_delete_the_project(clients, project, role, status, cls):
    assert_error(
        clients[role].put(f"/api/project/{project.pk}", {"description": "x"}),
        status,
        cls,
        target="project",
    )
    assert_error(clients[role].delete(f"/api/project/{project.pk}"), status, cls, target="project")
    assert Project.objects.filter(pk=project.pk, description="Count birds").exists()


def test_nobody_hands_themselves_ownership_through_put(api, owner, outsider, project):
    res = api(owner).put(f"/api/project/{project.pk}", {"owners_ids": [owner.pk, outsider.pk]})
    assert_error(res, 403, "Forbidden", target="project")
    assert project.owner_ids() == [owner.pk]


def test_renaming_onto_an_existing_name_is_dbintegrityerror(api, owner, project, draft):
    assert_error(
        api(owner).put(f"/api/project/{draft.pk}", {"short_name": "birds"}),
        415,
        "DBIntegrityError",
        target="project",
    )


def test_owner_deletes_a_project_without_results_with_204(api, owner, draft):
    res = api(owner).delete(f"/api/project/{draft.pk}")
    assert res.status_code == 204 and res.content == b""
    assert not Project.objects.filter(pk=draft.pk).exists()


def test_a_project_with_results_cannot_be_deleted_even_by_admin(api, admin, project):
    (task,) = make_tasks(project, 1)
    Result.objects.create(project=project, task=task, task_run_ids=[])
    assert_error(
        api(admin).delete(f"/api/project/{project.pk}"), 403, "Forbidden", target="project"
    )
    assert Project.objects.filter(pk=project.pk).exists()


def test_missing_project_is_notfound(api, db):
    assert_error(api().get("/api/project/4242"), 404, "NotFound", target="project")
    assert_error(api().put("/api/project/4242", {}), 404, "NotFound", target="project")


def test_malformed_json_body_is_valueerror(api, owner, project):
    res = api(owner).client.put(
        f"/api/project/{project.pk}",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=owner.api_key,
    )
    assert_error(res, 415, "ValueError", target="project")
