"""`crowdfold check`: unsafe production settings and unknown PYBOSSA keys are reported."""

from __future__ import annotations

from tests.cli.conftest import run_crowdfold

SAFE = {
    "CROWDFOLD_SECRET_KEY": "k3Jx9vQ2mZ8wT4nL7pR1sY6uB0cF5hD2gA9eW3qV8tN4",
    "CRYPTOPAN_KEY": "Zq8Lw2Nx5Vb7Mc1Kd4Jf6Hg9Sa3Pe0Ru",
    "CROWDFOLD_ALLOWED_HOSTS": "crowd.example.org",
    "CROWDFOLD_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def test_development_defaults_are_reported_unsafe_with_exit_status_1(cli_env):
    result = run_crowdfold("check", env={**cli_env, "CROWDFOLD_DEBUG": "true"})
    assert result.returncode == 1
    out = result.stdout
    assert "UNSAFE   DEBUG is on" in out
    assert "UNSAFE   SECRET_KEY is a published default" in out
    assert "UNSAFE   CRYPTOPAN_KEY is PYBOSSA's published default" in out
    assert "UNSAFE   ALLOWED_HOSTS accepts any host name" in out
    assert out.strip().splitlines()[-1].startswith("4 unsafe, 0 errors")


def test_a_production_configuration_passes(cli_env):
    result = run_crowdfold("check", env={**cli_env, **SAFE})
    assert result.returncode == 0, result.stdout
    assert "UNSAFE" not in result.stdout and "ERROR" not in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("0 unsafe, 0 errors")


def test_every_key_of_a_pybossa_file_that_is_not_understood_is_reported(cli_env, tmp_path):
    path = tmp_path / "settings_local.py"
    path.write_text(
        "import os\n"
        "SECRET_KEY = 'my-session-secret'\n"
        "BRAND = 'Citizen Lab'\n"
        "RACKSPACE_USERNAME = 'me'\n"
        "ONESIGNAL_APP_ID = 'app'\n"
        "FOO_BAR = 1\n"
        "WHATEVER_ELSE = {'a': 1}\n"
        "CRYPTOPAN_KEY = os.environ['KEY']\n"
        "LIMIT = 100\n"
    )
    env = {**cli_env, **SAFE, "CROWDFOLD_PYBOSSA_SETTINGS": str(path)}
    del env["CROWDFOLD_SECRET_KEY"]  # so the file's published SECRET_KEY is the one in force
    result = run_crowdfold("check", "--verbose", env=env)
    out = result.stdout
    assert result.returncode == 1
    assert f"{path}:1: import statement ignored" in out
    assert f"{path}:8: CRYPTOPAN_KEY: not a literal value, ignored" in out
    assert "WARNING  FOO_BAR: not a setting Crowdfold understands; ignored" in out
    assert "WARNING  WHATEVER_ELSE: not a setting Crowdfold understands; ignored" in out
    assert "WARNING  RACKSPACE_USERNAME: ignored, replaced by UPLOAD_METHOD" in out
    assert "WARNING  ONESIGNAL_APP_ID: not supported, ignored" in out
    assert "INFO     BRAND: applied as CROWDFOLD_BRAND" in out
    assert "INFO     LIMIT: not used yet" in out or "INFO     LIMIT: applied as LIMIT" in out
    assert "UNSAFE   SECRET_KEY is a published default" in out


def test_an_unreadable_pybossa_file_stops_every_command_with_a_clear_message(cli_env, tmp_path):
    result = run_crowdfold(
        "check", env={**cli_env, "CROWDFOLD_PYBOSSA_SETTINGS": str(tmp_path / "nope.py")}
    )
    assert result.returncode == 1
    assert (
        "nope.py: No such file or directory" in result.stderr and "Traceback" not in result.stderr
    )
