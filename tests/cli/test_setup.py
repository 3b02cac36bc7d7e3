"""The project's own set-up: Django's checks, migrations in step with models, the Makefile and the
docs that name every command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from django.core.management import call_command

from crowdfold.cli import cli
from tests.cli.conftest import clean_environment

ROOT = Path(__file__).resolve().parents[2]


def test_django_system_checks_pass():
    call_command("check", fail_level="ERROR")


def test_every_model_change_has_a_migration(db):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exc:
        pytest.fail(
            f"models changed without a migration (makemigrations --check exited {exc.code})"
        )


def _servicecheck(ci: str) -> subprocess.CompletedProcess:
    env = clean_environment(DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing", CI=ci)
    return subprocess.run(
        [sys.executable, "-m", "crowdfold.lib.servicecheck", "postgres"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_unreachable_postgresql_fails_under_ci_and_is_skipped_otherwise():
    in_ci = _servicecheck("true")
    assert (
        in_ci.returncode == 1 and "FAILED" in in_ci.stderr and "CI=true requires it" in in_ci.stderr
    )
    local = _servicecheck("")
    assert local.returncode == 2 and "SKIPPED" in local.stderr


def test_make_help_lists_the_two_first_commands():
    result = subprocess.run(
        ["make", "-s", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert result.returncode == 0, result.stderr
    assert "make run " in result.stdout and "make test " in result.stdout


def test_the_readme_starts_with_make_run_and_make_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["make run", "make test"]


def _command_paths(group: click.Group, prefix: str = "crowdfold") -> list[str]:
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, f"{prefix} {name}"))
    return paths


def test_the_cli_doc_names_every_command():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [path for path in _command_paths(cli) if f"`{path}" not in doc]
    assert missing == [], "document them in docs/cli.md"
