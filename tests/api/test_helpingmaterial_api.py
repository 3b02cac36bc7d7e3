"""/api/helpingmaterial: public for published projects, managed by the project's owners."""

from __future__ import annotations

import pytest

from crowdfold.projects.models import HelpingMaterial
from tests.api.conftest import assert_error


def test_owner_adds_material_like_pbclient(api, owner, project):
    res = api(owner).post(
        "/api/helpingmaterial",
        {"project_id": project.pk, "info": {"text": "Look at the beak"}, "media_url": None},
    )
    assert res.status_code == 200, res.content
    material = HelpingMaterial.objects.get(pk=res.json()["id"])
    assert material.info == {"text": "Look at the beak"}
    rows = api().get("/api/helpingmaterial", {"project_id": project.pk}).json()
    assert rows[0]["links"] == [
        f"<link rel='parent' title='project' href='http://testserver/api/project/{project.pk}'/>"
    ]


def test_material_of_a_draft_is_private(clients, draft):
    material = HelpingMaterial.objects.create(project=draft, info={"a": 1})
    assert clients["outsider"].get("/api/helpingmaterial", {"all": 1}).json() == []
    assert_error(
        clients["anonymous"].get(f"/api/helpingmaterial/{material.pk}"),
        401,
        "Unauthorized",
        target="helpingmaterial",
    )
    assert clients["owner"].get(f"/api/helpingmaterial/{material.pk}").json()["info"] == {"a": 1}


@pytest.mark.parametrize("role", ["owner", "coowner", "admin"])
def test_managers_edit_and_delete_material(clients, project, role):
    material = HelpingMaterial.objects.create(project=project, info={"a": 1})
    row = clients[role].get(f"/api/helpingmaterial/{material.pk}").json()
    row.pop("id"), row.pop("created")
    row["info"] = {"a": 2}
    assert clients[role].put(f"/api/helpingmaterial/{material.pk}", row).status_code == 200
    assert HelpingMaterial.objects.get(pk=material.pk).info == {"a": 2}
    assert clients[role].delete(f"/api/helpingmaterial/{material.pk}").status_code == 204


@pytest.mark.parametrize(
    ("role", "status", "cls"), [("outsider", 403, "Forbidden"), ("anonymous", 401, "Unauthorized")]
)
def test_others_cannot_manage_material(clients, project, role, status, cls):
    material = HelpingMaterial.objects.create(project=project, info={"a": 1})
    assert_error(
        clients[role].post("/api/helpingmaterial", {"project_id": project.pk, "info": {}}),
        status,
        cls,
        target="helpingmaterial",
    )
    assert_error(
        clients[role].put(f"/api/helpingmaterial/{material.pk}", {"info": {}}),
        status,
        cls,
        target="helpingmaterial",
    )
    assert_error(
        clients[role].delete(f"/api/helpingmaterial/{material.pk}"),
        status,
        cls,
        target="helpingmaterial",
    )
