"""`crowdfold serve` for real: a Granian subprocess on a free port, fetched over HTTP.

One server, started once for this module, with the observability switches on: JSON request logs to a
file, the debug toolbar and the profiler (both for signed-in admins only).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time

import pytest
import requests
from openapi_spec_validator import validate

from tests.cli.conftest import CROWDFOLD, clean_environment, free_port, run_crowdfold

pytestmark = pytest.mark.live

ADMIN, PASSWORD = "serve-admin", "a-long-admin-password"


@pytest.fixture(scope="module")
def server(cli_database_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    env = clean_environment(
        DATABASE_URL=cli_database_url,
        CROWDFOLD_DATA_DIR=str(tmp / "var"),
        CROWDFOLD_LOG_FORMAT="json",
        CROWDFOLD_LOG_LEVEL="INFO",
        CROWDFOLD_LOG_FILE=str(tmp / "log.jsonl"),
        ENABLE_DEBUG_TOOLBAR="true",
        CROWDFOLD_PROFILER="true",
    )
    run_crowdfold(
        "users",
        "create",
        ADMIN,
        "--email",
        "serve-admin@example.org",
        "--password",
        PASSWORD,
        "--admin",
        env=env,
    )
    port = free_port()
    proc = subprocess.Popen(
        [CROWDFOLD, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
        yield {"base": base, "log": tmp / "log.jsonl", "static_root": tmp / "var" / "static"}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_until_up(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"crowdfold serve exited with {proc.returncode}:\n{proc.stdout.read()}")
        try:
            requests.get(f"{base}/healthz", timeout=5)
            return
        except requests.RequestException:  # not listening yet, or still importing Django
            time.sleep(0.2)
    pytest.fail("crowdfold serve did not answer within 240 s")


def test_home_page_is_served_with_security_headers(server):
    response = requests.get(server["base"] + "/", timeout=60)
    assert response.status_code == 200
    assert "text/html" in response.headers["Content-Type"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP, no proxy configured
    assert response.headers["server"] == "granian"


def test_static_files_are_collected_and_served_compressed(server):
    response = requests.get(
        server["base"] + "/static/crowdfold/site.css",
        headers={"Accept-Encoding": "gzip"},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert response.headers["Content-Encoding"] == "gzip"
    assert (server["static_root"] / "crowdfold" / "site.css.gz").exists()


def test_the_api_root_answers(server):
    response = requests.get(server["base"] + "/api/", timeout=60)
    assert response.status_code == 200
    assert "API" in response.text


def test_api_docs_load_every_asset_from_this_server(server):
    page = requests.get(server["base"] + "/api/docs", timeout=60)
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), f"{asset} is not served by us (offline docs)"
        assert requests.get(server["base"] + asset, timeout=60).status_code == 200, asset
    assert "/api/openapi.json" in page.text


def test_openapi_document_is_valid_openapi_3(server):
    spec = requests.get(server["base"] + "/api/openapi.json", timeout=60).json()
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_healthz_reports_database_and_cache(server):
    response = requests.get(server["base"] + "/healthz", timeout=60)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"


def test_debug_toolbar_and_profiler_show_for_admins_only(server):
    base = server["base"]
    anonymous = requests.get(base + "/?profile", timeout=60)
    assert anonymous.status_code == 200
    assert "djDebug" not in anonymous.text and "pyinstrument" not in anonymous.text.lower()

    admin = requests.Session()
    login = admin.get(base + "/admin/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    signed_in = admin.post(
        base + "/admin/login/?next=/admin/",
        timeout=60,
        data={
            "username": ADMIN,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        },
    )
    assert signed_in.url.endswith("/admin/"), "admin login failed"
    assert "djDebug" in admin.get(base + "/", timeout=60).text
    assert "pyinstrument" in admin.get(base + "/?profile", timeout=120).text.lower()


def test_requests_are_logged_as_json_lines_to_the_log_file(server):
    requests.get(server["base"] + "/healthz?from=log-test", timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = server["log"].read_text().splitlines() if server["log"].exists() else []
        entries = [json.loads(line) for line in lines]
        hits = [
            e for e in entries if e["logger"] == "crowdfold.request" and e.get("path") == "/healthz"
        ]
        if hits:
            assert hits[-1]["status"] == 200 and hits[-1]["method"] == "GET"
            assert isinstance(hits[-1]["duration_ms"], float)
            return
        time.sleep(0.2)
    pytest.fail("no JSON request log line for /healthz")
