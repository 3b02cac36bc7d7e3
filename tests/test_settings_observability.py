"""Observability and switches: health, logs, Sentry, security headers, STRICT_SLASHES, PRO_FEATURES."""

from __future__ import annotations

import gzip
import json
import logging
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from crowdfold.lib.features import feature_available, parse_pro_features
from crowdfold.lib.observability import JsonFormatter
from crowdfold.web import health
from tests.cli.conftest import clean_environment
from tests.settings_probe import probe_settings


def test_healthz_is_ok_when_database_and_cache_answer(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "cache"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_degraded_but_up_when_a_non_critical_check_fails(db):
    def queue_down():
        raise ConnectionError("secret-host:6379 refused")

    health.register_check("queue", queue_down)
    try:
        response = Client().get("/healthz")
    finally:
        health.CHECKS.pop("queue")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["queue"] == {"status": "error", "error": "ConnectionError"}
    assert body["checks"]["database"]["status"] == "ok"
    assert "secret-host" not in response.content.decode()


def test_healthz_is_503_when_a_critical_check_fails(db):
    def replica_down():
        raise TimeoutError("no answer")

    health.register_check("replica", replica_down, critical=True)
    try:
        response = Client().get("/healthz")
    finally:
        health.CHECKS.pop("replica")
        health.CRITICAL.discard("replica")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["replica"]["error"] == "TimeoutError"


def test_hsts_and_secure_cookies_behind_a_tls_proxy():
    got = probe_settings(
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        CROWDFOLD_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    assert got == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=31536000
)
def test_hsts_is_sent_only_on_requests_the_proxy_marks_https(db):
    assert "Strict-Transport-Security" not in Client().get("/healthz")
    secure = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


def test_strict_slashes_by_default_a_trailing_slash_is_not_found(db):
    assert Client().get("/healthz/").status_code == 404


@override_settings(STRICT_SLASHES=False)
def test_without_strict_slashes_a_trailing_slash_redirects_keeping_the_method(db):
    response = Client().get("/healthz/?x=1")
    assert response.status_code == 308
    assert response["Location"] == "/healthz?x=1"
    post = Client().post("/api/taskrun/", data="{}", content_type="application/json")
    assert post.status_code == 308 and post["Location"] == "/api/taskrun"
    assert Client().get("/no-such-page/").status_code == 404


def test_pro_features_default_to_pro_only_and_can_be_opened_to_everyone(admin, volunteer):
    volunteer_pro = volunteer.__class__.objects.get(pk=volunteer.pk)
    volunteer_pro.pro = True
    assert feature_available("webhooks", volunteer) is False
    assert feature_available("webhooks", volunteer_pro) is True
    assert feature_available("webhooks", admin) is True
    with override_settings(PRO_FEATURES=parse_pro_features({"webhooks": False})):
        assert feature_available("webhooks", volunteer) is True
        assert feature_available("auditlog", volunteer) is False


def test_pro_features_from_the_environment_and_bad_values_are_refused():
    got = probe_settings("PRO_FEATURES", PRO_FEATURES='{"better_stats": false}')
    assert got["PRO_FEATURES"]["better_stats"] is False and got["PRO_FEATURES"]["webhooks"] is True
    with pytest.raises(ImproperlyConfigured, match="unknown features"):
        parse_pro_features({"teleport": True})
    with pytest.raises(ImproperlyConfigured, match="true/false"):
        parse_pro_features({"webhooks": "no"})


def test_json_log_lines_carry_extra_fields_and_tracebacks():
    try:
        raise ValueError("kaboom")
    except ValueError:
        record = logging.getLogger("crowdfold.test").makeRecord(
            "crowdfold.test",
            logging.ERROR,
            __file__,
            1,
            "failed %s",
            ("job-7",),
            sys.exc_info(),
            extra={"project_id": 42},
        )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["logger"] == "crowdfold.test"
    assert entry["message"] == "failed job-7" and entry["project_id"] == 42
    assert "ValueError: kaboom" in entry["exception"]


def test_logs_go_to_stdout_as_json_when_asked():
    code = (
        "import os, logging; os.environ['DJANGO_SETTINGS_MODULE']='crowdfold.settings'; import django; "
        "django.setup(); logging.getLogger('crowdfold.x').warning('hello %s', 'ops')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=180,
        env=clean_environment(CROWDFOLD_LOG_FORMAT="json", CROWDFOLD_LOG_FILE="-"),
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout.strip().splitlines()[-1])
    assert entry["message"] == "hello ops" and entry["level"] == "WARNING"


class _SentryReceiver(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_errors_are_sent_to_sentry_when_a_dsn_is_set():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SentryReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/1"
    code = (
        "import os, logging; os.environ['DJANGO_SETTINGS_MODULE']='crowdfold.settings'; import django; "
        "django.setup(); import sentry_sdk; "
        "logging.getLogger('crowdfold.x').error('sentry-canary-31337'); sentry_sdk.flush(10)"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=180,
            env=clean_environment(SENTRY_DSN=dsn),
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    assert any(b"sentry-canary-31337" in body for body in _SentryReceiver.received)
