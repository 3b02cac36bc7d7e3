"""The real PYBOSSA clients against a live Crowdfold server (pytest-django's ``live_server``).

pbclient (``pybossa-client``) is a test extra and runs in-process. The ``pbs`` CLI pins Click 7,
which cannot live beside our Click 8, so it gets a venv of its own, created once under
``.venv-pbs/`` from PyPI. Without network it is skipped locally and fails under CI=true.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PBS_VENV = ROOT / ".venv-pbs"
PBS_REQUIREMENT = "pybossa-pbs==3.0.0"


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pbs_command() -> list[str]:
    """The pbs executable, installing it into its own venv the first time."""
    pbs = PBS_VENV / "bin" / "pbs"
    if not pbs.exists():
        try:
            subprocess.run(
                [sys.executable, "-m", "venv", str(PBS_VENV)], check=True, capture_output=True
            )
            subprocess.run(
                [str(PBS_VENV / "bin" / "pip"), "install", "-q", PBS_REQUIREMENT],
                check=True,
                capture_output=True,
                timeout=300,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            _unavailable(f"cannot install {PBS_REQUIREMENT} into {PBS_VENV}: {exc}")
    return [str(pbs)]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pbclient_for(live_server):
    """pbclient is configured through module globals; point it at the live server with a key."""
    import pbclient

    def configure(user):
        pbclient.set("endpoint", live_server.url)
        pbclient.set("api_key", user.api_key if user is not None else "")
        return pbclient

    return configure
