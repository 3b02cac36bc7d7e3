"""The `crowdfold` command as an operator uses it: migrate, users, help and exit codes."""

from __future__ import annotations

import uuid

import click
import pytest
from click.testing import CliRunner

from crowdfold.cli import cli
from tests.cli.conftest import run_crowdfold


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def test_migrate_creates_the_schema_and_is_quiet_the_second_time(cli_env):
    first = run_crowdfold("migrate", env=cli_env)
    assert first.returncode == 0, first.stderr
    assert (
        "No migrations to apply" in first.stdout
    )  # the session fixture already migrated this database
    assert first.stderr == ""


def test_users_create_prints_the_api_key_on_the_last_line(cli_env):
    name = unique("ada")
    created = run_crowdfold(
        "users",
        "create",
        name,
        "--email",
        f"{name}@example.org",
        "--password",
        "correct-horse-battery",
        env=cli_env,
    )
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert len(key) >= 32 and " " not in key

    shown = run_crowdfold("users", "api-key", name, env=cli_env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == f"{key}\n"


def test_a_duplicate_name_is_refused_with_a_clear_error_and_exit_status_1(cli_env):
    name = unique("dup")
    created = run_crowdfold(
        "users", "create", name, "--email", f"{name}@example.org", "--admin", env=cli_env
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith(f"Created admin user {name}")
    again = run_crowdfold(
        "users", "create", name, "--email", f"other-{name}@example.org", env=cli_env
    )
    assert again.returncode == 1
    assert again.stdout == ""
    assert "Error:" in again.stderr and "already exists" in again.stderr
    assert "Traceback" not in again.stderr


def test_a_bad_email_is_refused_with_a_clear_error(cli_env):
    bad = run_crowdfold("users", "create", unique("bad"), "--email", "not-an-address", env=cli_env)
    assert bad.returncode == 1
    assert "email" in bad.stderr.lower() and "Traceback" not in bad.stderr


def test_api_key_of_an_unknown_user_fails_with_exit_status_1(cli_env):
    missing = run_crowdfold("users", "api-key", unique("ghost"), env=cli_env)
    assert missing.returncode == 1
    assert missing.stdout == "" and "No user named" in missing.stderr


def test_a_missing_argument_is_a_usage_error_with_exit_status_2(cli_env):
    result = run_crowdfold("users", "create", "someone", env=cli_env)
    assert result.returncode == 2
    assert "Missing option '--email'" in result.stderr


def test_the_installed_command_lists_its_subcommands(cli_env):
    result = run_crowdfold("--help", env=cli_env)
    assert result.returncode == 0
    for command in ("check", "migrate", "serve", "users"):
        assert f"  {command} " in result.stdout


def _commands(group: click.Group, path: tuple = ()) -> list[tuple[tuple, click.Command]]:
    found = [(path, group)]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*path, name)))
        else:
            found.append(((*path, name), command))
    return found


COMMANDS = _commands(cli)


@pytest.mark.parametrize(
    "command", [p for p, _ in COMMANDS], ids=lambda c: " ".join(c) or "crowdfold"
)
def test_every_command_has_help(command):
    # In-process (same click objects as the entry point) to keep the suite fast.
    result = CliRunner().invoke(cli, [*command, "--help"], prog_name="crowdfold")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: crowdfold")
    assert "Show this message and exit." in result.output


REQUIRING = [
    path
    for path, command in COMMANDS
    if not isinstance(command, click.Group)
    and any(p.required and isinstance(p, click.Argument) for p in command.params)
]


@pytest.mark.parametrize("command", REQUIRING, ids=" ".join)
def test_every_command_refuses_missing_arguments_with_usage_and_exit_2(command):
    result = CliRunner().invoke(cli, list(command), prog_name="crowdfold")
    assert result.exit_code == 2, result.output
    assert "Missing argument" in result.output and "Usage: crowdfold" in result.output


def test_a_broken_setting_is_a_one_line_error_not_a_traceback(cli_env):
    result = run_crowdfold("users", "api-key", "x", env={**cli_env, "CROWDFOLD_DEBUG": "perhaps"})
    assert result.returncode == 1
    assert "CROWDFOLD_DEBUG='perhaps' is not a boolean" in result.stderr
    assert "Traceback" not in result.stderr


def test_admins_by_email_from_the_installed_command(cli_env):
    # The first account of a site becomes its admin: make sure ada is not the first one.
    run_crowdfold(
        "users", "create", unique("first"), "--email", "first@admins.example", env=cli_env
    )
    created = run_crowdfold(
        "users", "create", "ada-admin", "--email", "ada@admins.example", env=cli_env
    )
    assert created.returncode == 0, created.stderr
    added = run_crowdfold("admins", "add", "ADA@admins.example", env=cli_env)
    assert added.returncode == 0, added.stderr
    assert "ada-admin <ada@admins.example> is now an admin" in added.stdout
    listed = run_crowdfold("admins", "list", env=cli_env)
    assert "ada-admin\tada@admins.example" in listed.stdout.splitlines()
    unknown = run_crowdfold("admins", "remove", "nobody@admins.example", env=cli_env)
    assert unknown.returncode == 1
    assert "No user with the email 'nobody@admins.example'" in unknown.stderr
