"""``crowdfold check`` flags settings that expose a production server (the development defaults —
DEBUG, the published SECRET_KEY and CRYPTOPAN_KEY, any host name — are in tests/cli/test_check.py)."""

from __future__ import annotations

from tests.cli.conftest import clean_environment, run_crowdfold

SAFE = {
    "CROWDFOLD_SECRET_KEY": "k3Jx9vQ2mZ8wT4nL7pR1sY6uB0cF5hD2gA9eW3qV8tN4",
    "CRYPTOPAN_KEY": "Zq8Lw2Nx5Vb7Mc1Kd4Jf6Hg9Sa3Pe0Ru",
    "CROWDFOLD_ALLOWED_HOSTS": "crowd.example.org",
}


def check(tmp_path, **env) -> tuple[int, str]:
    result = run_crowdfold(
        "check",
        env=clean_environment(
            DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
            CROWDFOLD_DATA_DIR=str(tmp_path / "var"),
            **SAFE,
            **env,
        ),
    )
    return result.returncode, result.stdout


def test_settings_that_expose_the_server_are_flagged(tmp_path):
    status, out = check(
        tmp_path,
        CROWDFOLD_ALLOW_PRIVATE_URLS="true",
        CROWDFOLD_TRUSTED_PROXIES="0.0.0.0/0",
        CROWDFOLD_RATE_LIMIT="false",
        CROWDFOLD_API_ENFORCES_PROJECT_PASSWORD="false",
        CORS_RESOURCES='{"/api/*": {"origins": "*", "supports_credentials": true}}',
    )
    assert status == 1
    assert "UNSAFE   CROWDFOLD_ALLOW_PRIVATE_URLS is on" in out
    assert "UNSAFE   CROWDFOLD_TRUSTED_PROXIES trusts every address" in out
    assert "UNSAFE   CORS_RESOURCES /api/*: any web site may call it with the visitor's" in out
    assert "WARNING  the API rate limit is off" in out
    assert "WARNING  project passwords are not enforced on the API" in out
    assert out.strip().splitlines()[-1].startswith("3 unsafe, 0 errors")


def test_a_tls_proxy_header_without_trusted_proxies_is_a_warning(tmp_path):
    status, out = check(tmp_path, CROWDFOLD_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert status == 0, out
    assert "WARNING  the TLS proxy's header is believed from any client" in out
    status, out = check(
        tmp_path,
        CROWDFOLD_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        CROWDFOLD_TRUSTED_PROXIES="10.0.0.2",
    )
    assert status == 0 and "believed from any client" not in out
