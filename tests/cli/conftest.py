"""Run the real ``crowdfold`` command as a subprocess, against its own database.

pytest-django's test database is not visible to a subprocess (and is inside a transaction), so the
CLI gets a dedicated one of the same kind as the suite's: a temporary SQLite file, or a fresh
PostgreSQL database beside the test database when the suite runs on PostgreSQL. It is migrated once
per session; tests use unique names so they never depend on each other.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

CROWDFOLD = str(Path(sys.executable).with_name("crowdfold"))

# Variables that would leak the developer's or CI's configuration into the subprocess.
_SCRUB_PREFIXES = ("CROWDFOLD_", "DJANGO_", "SENTRY_")
_SCRUB = {
    "DATABASE_URL",
    "SECRET_KEY",
    "ITSDANGEROUSKEY",
    "CRYPTOPAN_KEY",
    "ENABLE_DEBUG_TOOLBAR",
    "STRICT_SLASHES",
    "PRO_FEATURES",
    "DEFAULT_LOCALE",
}


def clean_environment(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(_SCRUB_PREFIXES) and k not in _SCRUB
    }
    env.update(extra)
    return env


def run_crowdfold(
    *args: str, env: dict[str, str], timeout: float = 300, **kwargs
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CROWDFOLD, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_database(test_db: dict) -> tuple[str, callable]:
    import psycopg

    name = f"{test_db['NAME']}_cli"[:63]
    params = {
        "host": test_db["HOST"] or "127.0.0.1",
        "port": test_db["PORT"] or 5432,
        "user": test_db["USER"] or "postgres",
        "password": test_db["PASSWORD"] or None,
    }

    def admin(sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    auth = params["user"] + (f":{params['password']}" if params["password"] else "")
    return (
        f"postgres://{auth}@{params['host']}:{params['port']}/{name}",
        lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'),
    )


@pytest.fixture(scope="session")
def cli_database_url(tmp_path_factory, django_db_setup) -> str:
    """A migrated database for CLI subprocesses, of the same kind as the suite's."""
    test_db = settings.DATABASES["default"]
    if test_db["ENGINE"].endswith("postgresql"):
        url, drop = _postgres_database(test_db)
    else:
        url, drop = (
            f"sqlite:///{tmp_path_factory.mktemp('cli-db') / 'crowdfold.sqlite3'}",
            lambda: None,
        )
    data_dir = tmp_path_factory.mktemp("cli-migrate")
    result = run_crowdfold(
        "migrate", env=clean_environment(DATABASE_URL=url, CROWDFOLD_DATA_DIR=str(data_dir))
    )
    assert result.returncode == 0, result.stderr
    yield url
    drop()


@pytest.fixture
def cli_env(cli_database_url, tmp_path) -> dict[str, str]:
    """Environment for a `crowdfold` subprocess: the CLI database and a private data directory."""
    return clean_environment(
        DATABASE_URL=cli_database_url, CROWDFOLD_DATA_DIR=str(tmp_path / "var")
    )
