"""``GET /api/project/<id>/export``: streamed downloads and who may have them."""

from __future__ import annotations

import io
import json
import zipfile

from django.http import StreamingHttpResponse

from crowdfold.projects.services import set_project_password
from crowdfold.tasks.models import Task


def _body(res) -> bytes:
    return b"".join(res.streaming_content)


def test_owner_downloads_a_streamed_export(api, project, owner):
    Task.objects.create(project=project, info={"n": 1})
    res = api(owner).get(f"/api/project/{project.pk}/export", {"what": "tasks", "format": "jsonl"})
    assert res.status_code == 200
    assert isinstance(res, StreamingHttpResponse)
    assert res["Content-Disposition"] == 'attachment; filename="birds_task.jsonl"'
    assert json.loads(_body(res))["info"] == {"n": 1}


def test_zipped_download_is_named_as_pybossa_names_it(api, project, owner):
    Task.objects.create(project=project, info={"n": 1})
    res = api(owner).get(f"/api/project/{project.pk}/export", {"format": "json", "zip": "true"})
    assert res["Content-Type"] == "application/zip"
    assert res["Content-Disposition"] == f'attachment; filename="{project.pk}_birds_task_json.zip"'
    with zipfile.ZipFile(io.BytesIO(_body(res))) as archive:
        assert json.loads(archive.read("birds_task.json"))[0]["info"] == {"n": 1}


def test_anyone_may_download_when_the_project_allows_it(api, project, outsider):
    Task.objects.create(project=project, info={"n": 1})
    assert api().get(f"/api/project/{project.pk}/export").status_code == 200
    assert api(outsider).get(f"/api/project/{project.pk}/export").status_code == 200


def test_only_owners_and_admins_download_when_downloads_are_off(
    api, project, owner, admin, outsider
):
    project.zip_download = False
    project.save()
    anonymous = api().get(f"/api/project/{project.pk}/export")
    assert anonymous.status_code == 401 and anonymous.json()["exception_cls"] == "Unauthorized"
    refused = api(outsider).get(f"/api/project/{project.pk}/export")
    assert refused.status_code == 403 and refused.json()["target"] == "project"
    assert api(owner).get(f"/api/project/{project.pk}/export").status_code == 200
    assert api(admin).get(f"/api/project/{project.pk}/export").status_code == 200


def test_password_protected_projects_need_the_password(api, project, outsider, owner):
    set_project_password(project, "s3cret-pass")
    assert api(outsider).get(f"/api/project/{project.pk}/export").status_code == 403
    assert api(owner).get(f"/api/project/{project.pk}/export").status_code == 200


def test_bad_parameters_get_pybossa_errors_not_500(api, project, owner):
    client = api(owner)
    assert client.get(f"/api/project/{project.pk}/export", {"what": "users"}).status_code == 404
    bad_format = client.get(f"/api/project/{project.pk}/export", {"format": "xml"})
    assert (
        bad_format.status_code == 400
        and "unknown export format" in bad_format.json()["exception_msg"]
    )
    assert client.get(f"/api/project/{project.pk}/export", {"batch": "nope"}).status_code == 404
    assert client.get("/api/project/999999/export").status_code == 404
