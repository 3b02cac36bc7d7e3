"""The JSON API skips the middleware only pages need (crowdfold/lib/pagesonly.py): no language
negotiation, flash messages, static files or page CSP nonce, while security headers stay on."""

from __future__ import annotations

from django.test import Client
from django.utils import translation


def test_api_answers_skip_language_negotiation_pages_keep_it(api, project):
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert page["Content-Language"] == "es" and "Accept-Language" in page["Vary"]
    assert "Content-Security-Policy" in page

    res = api().get("/api/project", HTTP_ACCEPT_LANGUAGE="es")
    assert res.status_code == 200
    assert "Content-Language" not in res and "Accept-Language" not in res.get("Vary", "")
    assert "Content-Security-Policy" not in res  # JSON: no page policy
    assert res["X-Content-Type-Options"] == "nosniff"


def test_api_documentation_is_a_page(db):
    res = Client().get("/api/docs", HTTP_ACCEPT_LANGUAGE="es")
    assert res.status_code == 200 and res["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in res and res["Content-Language"] == "es"


def test_an_html_answer_under_the_api_still_gets_a_policy(api, project):
    res = api().get(f"/api/project/{project.pk}/skip")  # POST only: Django's plain 405
    assert res.status_code == 405 and res["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in res


def test_an_api_request_after_a_spanish_page_speaks_the_default_language(api, project):
    """A worker thread keeps the language its previous request activated."""
    assert Client().get("/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "es"
    translation.activate("es")  # as the thread would be left after that page
    assert api().get("/api/project").status_code == 200
    assert translation.get_language() == "en"
