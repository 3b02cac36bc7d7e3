"""The ``crowdfold`` command. Each domain adds its subcommands in a module of this package, listed
in ``COMMAND_MODULES``; every module exposes ``register(group)``."""

from __future__ import annotations

import importlib
import os

import click

COMMAND_MODULES = [
    "crowdfold.cli.core",
    "crowdfold.cli.users",
    "crowdfold.cli.stats",
    "crowdfold.cli.admins",
    "crowdfold.cli.data",
    "crowdfold.cli.demo",
    "crowdfold.cli.batches",
    "crowdfold.cli.groups",
    "crowdfold.cli.ckan",
    "crowdfold.cli.check",
    "crowdfold.cli.worker",
]


def setup_django() -> None:
    """Load settings; a bad setting is a one-line error and exit status 1, not a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crowdfold.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from crowdfold.lib.pybossa_settings import PybossaSettingsError

    try:
        django.setup()
    except (ImproperlyConfigured, PybossaSettingsError, ValueError) as exc:
        raise click.ClickException(f"configuration: {exc}") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Crowdfold: run and administer a crowdsourcing server."""
    setup_django()


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    cli(prog_name="crowdfold")
