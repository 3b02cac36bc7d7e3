"""Server commands: migrate, serve, demo."""

from __future__ import annotations

import click


def _migrate(verbosity: int = 1) -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=verbosity)


@click.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    _migrate()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="web worker processes")
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=int,
    envvar="CROWDFOLD_WEB_THREADS",
    # Granian's own default (256 per worker) with persistent connections can open more database
    # connections than PostgreSQL allows (100) once that many requests overlap.
    help="request threads per worker; each keeps its own database connection",
)
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Apply pending migrations, then serve with Granian (a production HTTP server)."""
    from granian import Granian
    from granian.constants import Interfaces

    _migrate(verbosity=0)
    click.echo(f"Serving on http://{host}:{port}/")
    Granian(
        "crowdfold.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
    ).serve()


def register(group: click.Group) -> None:
    group.add_command(migrate)
    group.add_command(serve)
