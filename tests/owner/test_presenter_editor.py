"""The presenter editor's live preview and the packaged media of the stock templates: PDF.js for
``pdf``, Leaflet with a packaged world layer (or the operator's tile server) for ``map``."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from crowdfold.tasks.models import TaskRun
from crowdfold.workshop.presenters import PRESENTERS, render_presenter, sample_tasks
from tests.conftest import make_tasks

PREVIEW = "/project/birds/tasks/presenter-preview"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bridge_config(html: str) -> dict:
    match = re.search(r'<script id="cf-bridge-config" type="application/json">(.*?)</script>', html)
    return json.loads(match.group(1))


def test_editor_page_previews_on_the_projects_first_tasks(project, owner):
    tasks = make_tasks(project, 7)
    html = signed_in(owner).get("/project/birds/tasks/taskpresentereditor?template=image")
    config = bridge_config(html.content.decode())
    assert config["mode"] == "preview" and config["frameUrl"] == PREVIEW
    assert [t["id"] for t in config["previewTasks"]] == [t.pk for t in tasks[:5]]
    assert config["filePrefixes"] == ["/static/", "/uploads/"]
    page = html.content.decode()
    assert 'sandbox="allow-scripts"' in page and f'action="{PREVIEW}"' in page


def test_preview_frame_runs_the_posted_code_in_the_sandbox_and_stores_nothing(project, owner):
    make_tasks(project, 1)
    res = signed_in(owner).post(PREVIEW, {"editor": "<p id='unsaved'>draft</p>"})
    assert res.status_code == 200
    assert "<p id='unsaved'>draft</p>" in res.content.decode()
    assert res["Content-Security-Policy"].startswith("sandbox allow-scripts;")
    assert res["X-Frame-Options"] == "SAMEORIGIN"
    assert '"mode": "preview"' in res.content.decode()
    project.refresh_from_db()
    assert "task_presenter" not in (project.info or {})  # previewing saves nothing
    assert not TaskRun.objects.exists()


def test_preview_is_for_owners_only_and_only_by_post(project, owner, outsider):
    assert signed_in(outsider).post(PREVIEW, {"editor": "x"}).status_code == 403
    res = Client().post(PREVIEW, {"editor": "x"})
    assert res.status_code == 302 and res["Location"].startswith("/account/signin")
    assert signed_in(owner).get(PREVIEW).status_code == 405


def test_preview_needs_the_csrf_token(project, owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(PREVIEW, {"editor": "x"}).status_code == 403


@pytest.mark.parametrize("template", list(PRESENTERS))
def test_every_library_a_template_loads_is_packaged(template, settings):
    """Works offline: each script and stylesheet a stock presenter names is one of our files."""
    html = render_presenter(template, "birds")
    assert "@STATIC@" not in html and "https://" not in html
    for path in re.findall(r'(?:src|href)="/static/([^"]+)"', html) + re.findall(
        r'workerSrc = "/static/([^"]+)"', html
    ):
        assert finders.find(path), path


@pytest.mark.parametrize("template", ["image", "sound", "video", "pdf"])
def test_sample_media_are_packaged(template):
    for info in sample_tasks(template):
        for value in info.values():
            if isinstance(value, str) and value.startswith("/static/"):
                assert finders.find(value.removeprefix("/static/")), value


def test_pdf_template_renders_pages_with_pdfjs_and_map_template_uses_leaflet():
    pdf, world = render_presenter("pdf", "birds"), render_presenter("map", "birds")
    assert "pdfjsLib.getDocument" in pdf and "isEvalSupported = false" in pdf
    assert 'id="pdf-canvas"' in pdf and "pybossa.fetchFile" in pdf
    assert "L.map(" in world and "window.CROWDFOLD_WORLD" in world
    assert "pybossa.settings" in world


def test_map_tile_server_reaches_the_presenter_and_its_csp(project, owner, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example"
    settings.PRESENTER_SOURCES = []  # the tile host is allowed even when nothing else is
    make_tasks(project, 1)
    res = signed_in(owner).get("/project/birds/presenter-frame")
    config = json.loads(
        re.search(r'id="cf-frame-config" type="application/json">(.*?)<', res.content.decode())[1]
    )
    assert config["settings"] == {
        "mapTileUrl": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        "mapTileAttribution": "© Example",
    }
    img_src = next(d for d in res["Content-Security-Policy"].split("; ") if d.startswith("img-src"))
    assert "https://*.tiles.example.org" in img_src.split()


def test_without_a_tile_server_the_map_draws_the_packaged_world(project, owner):
    res = signed_in(owner).get("/project/birds/presenter-frame")
    assert '"mapTileUrl": ""' in res.content.decode()
    world = finders.find("workshop/vendor/natural-earth-110m/world-110m.js")
    text = open(world, encoding="utf-8").read()
    data = json.loads(text.split("window.CROWDFOLD_WORLD = ", 1)[1].rstrip().rstrip(";"))
    names = {f["properties"]["name"] for f in data["features"]}
    assert len(data["features"]) > 150 and {"Spain", "Kenya", "Peru", "Ukraine"} <= names
