"""Security headers on every page of the URLconf, for a signed-in owner and an anonymous visitor:
``X-Content-Type-Options``, ``Referrer-Policy``, ``X-Frame-Options``, and on HTML a
Content-Security-Policy (the site's, or the presenter frame's own sandbox policy) and
``Cross-Origin-Opener-Policy``. HSTS is sent on HTTPS requests, which behind a TLS proxy are the ones
it marks, and only when it is the trusted proxy that marks them.

That these policies leave the pages working is checked in chromium (test_csp_in_browser.py).
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from crowdfold.lib.csp import site_policy
from tests.security.urlconf import routes, sample_values

FRAMES = {"web:presenter_frame", "web:tutorial_frame", "workshop:presenter-preview"}


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def header_problems(route, res) -> list[str]:
    problems = []
    if res["X-Content-Type-Options"] != "nosniff":
        problems.append("X-Content-Type-Options")
    if res.get("Referrer-Policy") != "same-origin":
        problems.append("Referrer-Policy")
    framed = route.name in FRAMES and res.status_code == 200
    if res.get("X-Frame-Options") != ("SAMEORIGIN" if framed else "DENY"):
        problems.append(f"X-Frame-Options {res.get('X-Frame-Options')}")
    if not res.get("Content-Type", "").startswith("text/html"):
        return problems
    policy = directives(res.get("Content-Security-Policy", ""))
    if not policy:
        return [*problems, "no Content-Security-Policy"]
    scripts = policy.get("script-src", [])
    if "'unsafe-inline'" in scripts and not framed:
        problems.append("script-src allows inline scripts")
    if "*" in scripts or "https:" in scripts and not framed:
        problems.append("script-src allows any host")
    if policy.get("object-src") != ["'none'"]:
        problems.append("object-src")
    if policy.get("frame-ancestors") != (["'self'"] if framed else ["'none'"]):
        problems.append(f"frame-ancestors {policy.get('frame-ancestors')}")
    if framed and policy.get("sandbox") != ["allow-scripts"]:
        problems.append("the frame is not sandboxed")
    if res.get("Cross-Origin-Opener-Policy") != "same-origin":
        problems.append("Cross-Origin-Opener-Policy")
    return problems


@pytest.mark.parametrize("persona", ["owner", "anonymous"])
def test_every_page_carries_the_security_headers(world, browser_for, persona, settings):
    settings.SSE = False  # the progress stream would hold the response open for a minute
    client = browser_for(persona)
    values = sample_values(world)
    problems, html_pages = [], 0
    for route in routes():
        res = client.get(route.url(values))
        html_pages += res.get("Content-Type", "").startswith("text/html")
        found = header_problems(route, res)
        if found:
            problems.append(f"{route.url(values)} [{res.status_code}]: {', '.join(found)}")
    assert problems == []
    assert html_pages > 60


def test_the_presenter_preview_is_served_in_the_sandbox(world, browser_for):
    """The editor's preview renders the posted code: under the frame's sandbox policy."""
    res = browser_for("owner").post(
        "/project/birds/tasks/presenter-preview", {"editor": "<script>parent.x=1</script>"}
    )
    assert res.status_code == 200
    route = next(r for r in routes() if r.name == "workshop:presenter-preview")
    assert header_problems(route, res) == []


def test_operator_snippets_run_under_the_pages_nonce(world, browser_for, settings):
    settings.ANALYTICS_SNIPPET = (
        "<script>window.dataLayer = [];</script><script src='https://a.example/t.js'></script>"
    )
    res = browser_for("anonymous").get("/about")
    scripts = directives(res["Content-Security-Policy"])["script-src"]
    nonce = next(source for source in scripts if source.startswith("'nonce-"))
    page = res.content.decode()
    value = nonce[len("'nonce-") : -1]
    assert page.count(f'<script nonce="{value}"') == 2
    # A new nonce for every response.
    again = browser_for("anonymous").get("/about")["Content-Security-Policy"]
    assert value not in again


def test_scripts_come_only_from_static_files_and_catalogues_never_from_uploads(world, browser_for):
    """Owners may upload .js files (ALLOWED_EXTENSIONS); served from /uploads/ on our own host,
    they must not count as the site's scripts."""
    policy = browser_for("anonymous").get("/about")["Content-Security-Policy"]
    scripts = [s for s in directives(policy)["script-src"] if not s.startswith("'nonce-")]
    assert scripts == [
        "http://testserver/static/",
        "http://testserver/jsi18n/",
        "http://testserver/admin/jsi18n/",
    ]


def test_an_uploaded_file_opened_directly_is_sandboxed(world, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "note.txt").write_text("<script>alert(1)</script>")
    res = client.get("/uploads/files/note.txt")
    assert res.status_code == 200
    policy = directives(res["Content-Security-Policy"])
    assert policy["sandbox"] == [] and policy["default-src"] == ["'none'"]
    assert res["X-Content-Type-Options"] == "nosniff"


def test_extra_csp_sources_are_the_operators_list(settings):
    settings.CSP_SOURCES = ["https://stats.example.org"]
    policy = directives(site_policy("n"))
    assert "https://stats.example.org" in policy["script-src"]
    assert "https://stats.example.org" in policy["connect-src"]


TLS_PROXY = {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}


@override_settings(**TLS_PROXY, SECURE_HSTS_SECONDS=31536000, TRUSTED_PROXIES=["10.0.0.2"])
def test_hsts_behind_the_trusted_proxy_only(db):
    proxied = Client(REMOTE_ADDR="10.0.0.2").get("/about", HTTP_X_FORWARDED_PROTO="https")
    assert proxied["Strict-Transport-Security"] == "max-age=31536000"
    # A client that reaches the server directly cannot claim HTTPS.
    direct = Client(REMOTE_ADDR="203.0.113.5").get("/about", HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in direct
    plain = Client(REMOTE_ADDR="10.0.0.2").get("/about")
    assert "Strict-Transport-Security" not in plain
