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


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_owner_uploads_a_file_as_multipart_like_pbclient(api, owner, project, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = api(owner)
    res = client.client.post(
        f"/api/helpingmaterial?api_key={owner.api_key}",
        {"project_id": project.pk, "file": SimpleUploadedFile("beak.png", _png(), "image/png")},
    )
    assert res.status_code == 200, res.content
    row = res.json()
    assert row["info"]["container"] == f"user_{owner.pk}" and row["info"]["file_name"].endswith(
        ".png"
    )
    assert row["media_url"].endswith(row["info"]["file_name"])
    stored = tmp_path / row["info"]["container"] / row["info"]["file_name"]
    assert stored.read_bytes() == _png()
    assert client.delete(f"/api/helpingmaterial/{row['id']}").status_code == 204
    assert not stored.exists()


def test_multipart_without_a_file_or_with_a_bad_one_is_refused(
    api, owner, project, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = api(owner).client
    res = client.post(f"/api/helpingmaterial?api_key={owner.api_key}", {"project_id": project.pk})
    assert_error(res, 415, "AttributeError", target="helpingmaterial")
    fake = SimpleUploadedFile("x.png", b"not an image", "image/png")
    res = client.post(
        f"/api/helpingmaterial?api_key={owner.api_key}", {"project_id": project.pk, "file": fake}
    )
    assert res.status_code == 400 and res.json()["exception_cls"] == "BadRequest"
    assert not HelpingMaterial.objects.exists()
