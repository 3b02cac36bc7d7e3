"""Uploads whose extension lies about their content are refused, through every door that takes a
file: the project thumbnail, helping material (API multipart), and task imports (owner page and
API). Nothing is stored. The avatar is re-encoded from a verified picture and refuses anything else
(tests/accounts/test_profile.py::test_a_file_that_is_not_a_picture_is_refused); the upload service's
rules per type are in tests/ops/test_uploads.py.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from crowdfold.projects.models import HelpingMaterial, Project
from crowdfold.tasks.models import Task

HTML = b"<html><script>alert(document.cookie)</script></html>"


def picture(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format=fmt)
    return buffer.getvalue()


LIES = {
    "HTML named .png": (HTML, "pic.png"),
    "a GIF named .png": (picture("GIF"), "pic.png"),
    "a script named .jpg": (b"#!/bin/sh\nrm -rf /\n", "pic.jpg"),
}


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_METHOD = "local"
    return tmp_path


def stored_files(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.mark.parametrize("lie", list(LIES))
def test_a_thumbnail_that_is_not_what_its_name_says_is_refused(world, browser_for, uploads, lie):
    data, name = LIES[lie]
    res = browser_for("owner").post(
        "/project/birds/thumbnail", {"thumbnail": SimpleUploadedFile(name, data)}
    )
    assert res.status_code == 200 and 'class="errorlist' in res.content.decode()
    assert "thumbnail" not in Project.objects.get(pk=world.project.pk).info
    assert stored_files(uploads) == []


def test_a_real_thumbnail_is_accepted(world, browser_for, uploads):
    res = browser_for("owner").post(
        "/project/birds/thumbnail", {"thumbnail": SimpleUploadedFile("t.png", picture("PNG"))}
    )
    assert res.status_code == 302
    assert len(stored_files(uploads)) == 1


@pytest.mark.parametrize(
    ("data", "name"), [*LIES.values(), (HTML, "page.html"), (b"\x00\xff\xfe", "tool.js")]
)
def test_helping_material_with_a_lying_file_is_refused(world, uploads, data, name):
    from django.test import Client

    res = Client().post(
        f"/api/helpingmaterial?api_key={world.user('owner').api_key}",
        {"project_id": world.project.pk, "file": SimpleUploadedFile(name, data)},
    )
    assert res.status_code == 400, res.content
    assert HelpingMaterial.objects.filter(project=world.project).count() == 1  # the world's own
    assert stored_files(uploads) == []


IMPORT_LIES = {
    "a picture named .csv": (picture("PNG"), "tasks.csv"),
    "a zip named .csv": (b"PK\x03\x04" + b"\x00" * 40, "tasks.csv"),
    "HTML named .xlsx": (HTML, "tasks.xlsx"),
    "a picture named .json": (picture("GIF"), "tasks.json"),
}


@pytest.mark.parametrize("lie", list(IMPORT_LIES))
def test_an_import_file_that_is_not_what_its_name_says_is_refused(world, browser_for, lie):
    data, name = IMPORT_LIES[lie]
    before = Task.objects.count()
    page = browser_for("owner").post(
        "/project/birds/tasks/import", {"file": SimpleUploadedFile(name, data)}, follow=True
    )
    assert page.status_code == 200
    assert Task.objects.count() == before
    api = browser_for("owner").post(
        f"/api/project/{world.project.pk}/import?api_key={world.user('owner').api_key}",
        {"file": SimpleUploadedFile(name, data)},
    )
    assert api.status_code == 400, api.content
    assert api.json()["exception_cls"] == "BadRequest"
    assert Task.objects.count() == before
