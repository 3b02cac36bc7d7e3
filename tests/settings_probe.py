"""Load Crowdfold's settings in a fresh interpreter with a given environment and read them back.

Settings are read from the environment once, at import; a subprocess is the honest way to see what a
given environment (or PYBOSSA settings file) turns into."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.cli.conftest import clean_environment

_PROBE = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "crowdfold.settings"
import django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}, default=repr))
"""


def probe_settings(*names: str, **env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *names],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
