"""CORS on the API, as PYBOSSA's CORS_RESOURCES configures it."""

from __future__ import annotations

from django.test import Client


def preflight(path: str, origin: str = "https://app.example", headers: str = "Content-Type"):
    return Client().options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def test_an_api_preflight_is_answered_with_pybossas_defaults(db):
    res = preflight("/api/taskrun", headers="Content-Type, Authorization, X-Secret")
    assert res.status_code == 200
    assert res["Access-Control-Allow-Origin"] == "*"
    assert res["Access-Control-Allow-Headers"] == "Content-Type, Authorization"
    assert "POST" in res["Access-Control-Allow-Methods"]
    assert res["Access-Control-Max-Age"] == "21600"


def test_api_answers_carry_the_allow_origin_header(db, project):
    res = Client().get(f"/api/project/{project.pk}/newtask", HTTP_ORIGIN="https://app.example")
    assert res.status_code == 200
    assert res["Access-Control-Allow-Origin"] == "*"


def test_pages_outside_the_api_get_no_cors_headers(db):
    res = Client().get("/admin/login/", HTTP_ORIGIN="https://app.example")
    assert "Access-Control-Allow-Origin" not in res
    assert "Access-Control-Allow-Origin" not in preflight("/admin/login/")


def test_a_configured_origin_list_echoes_allowed_origins_only(db, settings):
    settings.CORS_RESOURCES = {
        r"/api/*": {"origins": ["https://good.example"], "supports_credentials": True}
    }
    ok = Client().get("/api/", HTTP_ORIGIN="https://good.example")
    assert ok["Access-Control-Allow-Origin"] == "https://good.example"
    assert ok["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in ok["Vary"]
    bad = Client().get("/api/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in bad
