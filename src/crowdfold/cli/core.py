"""Server commands: migrate, serve."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import click


def _migrate(verbosity: int = 1) -> None:
    from django.conf import settings
    from django.core.management import call_command

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=verbosity)


STATIC_STAMP = ".crowdfold-collected"


def _static_fingerprint() -> str:
    """Every source static file's path, size and modification time, hashed: when it matches the
    last collection, collecting again would only recompress the same files (seconds of CPU on
    every restart)."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    entries.append(settings.STORAGES["staticfiles"]["BACKEND"])
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def _collectstatic() -> None:
    """Copy static files under STATIC_ROOT with compressed variants, and have the workers serve them
    from there (WhiteNoise then sends gzip/brotli to clients that accept it). Skipped when nothing
    changed since the last collection, so a restarted server answers again within seconds."""
    from django.conf import settings
    from django.core.management import call_command

    stamp = Path(settings.STATIC_ROOT) / STATIC_STAMP
    fingerprint = _static_fingerprint()
    if not stamp.exists() or stamp.read_text() != fingerprint:
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)
    os.environ["CROWDFOLD_STATIC_COLLECTED"] = "1"  # for workers that import settings afresh
    settings.WHITENOISE_USE_FINDERS = False  # for workers forked from this process


@click.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    _migrate()


def _default(name: str):
    def read():
        from django.conf import settings

        return getattr(settings, name)

    return read


@click.command()
@click.option(
    "--host",
    default=_default("SERVE_HOST"),
    show_default="CROWDFOLD_HOST or 127.0.0.1",
    help="address to listen on (0.0.0.0 for every interface)",
)
@click.option(
    "--port", default=_default("SERVE_PORT"), show_default="CROWDFOLD_PORT or 8000", type=int
)
@click.option(
    "--workers", default=2, show_default=True, type=click.IntRange(1), help="web worker processes"
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1),
    envvar="CROWDFOLD_WEB_THREADS",
    # Granian's own default (256 per worker) with persistent connections can open more database
    # connections than PostgreSQL allows (100) once that many requests overlap.
    help="request threads per worker; each keeps its own database connection",
)
@click.option(
    "--access-log/--no-access-log", default=False, show_default=True, help="Granian's access log"
)
@click.option(
    "--worker/--no-worker",
    "with_worker",
    default=None,
    help="run background jobs beside the server [CROWDFOLD_JOBS_IN_SERVE, on]",
)
def serve(
    host: str, port: int, workers: int, threads: int, access_log: bool, with_worker: bool | None
) -> None:
    """Apply pending migrations, collect static files, then serve with Granian (a production
    HTTP server)."""
    from django.conf import settings
    from granian import Granian
    from granian.constants import Interfaces

    from crowdfold.cli.worker import start_background_worker, stop_background_worker

    _migrate(verbosity=0)
    _collectstatic()
    click.echo(f"Serving on http://{host}:{port}/")
    run_jobs = settings.JOBS_RUN_IN_SERVE if with_worker is None else with_worker
    job_worker = start_background_worker() if run_jobs else None
    try:
        Granian(
            "crowdfold.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
            log_access=access_log,
            respawn_failed_workers=True,
        ).serve()
    finally:
        stop_background_worker(job_worker)


def register(group: click.Group) -> None:
    group.add_command(migrate)
    group.add_command(serve)
