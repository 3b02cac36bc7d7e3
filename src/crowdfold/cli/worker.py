"""``crowdfold worker``: run background jobs (a Huey consumer). ``crowdfold serve`` starts one
beside the web server unless told not to (``--no-worker`` / ``CROWDFOLD_JOBS_IN_SERVE=false``)."""

from __future__ import annotations

import logging
import signal
import subprocess
import sys

import click


def run_worker(**overrides) -> None:
    from django.conf import settings
    from huey.consumer_options import ConsumerConfig
    from huey.contrib.djhuey import HUEY

    options = dict(settings.HUEY.get("consumer", {}))
    options.update({k: v for k, v in overrides.items() if v is not None})
    config = ConsumerConfig(**options)
    config.validate()
    logger = logging.getLogger("huey")
    if not logger.handlers:
        config.setup_logger(logger)
    HUEY.create_consumer(**config.values).run()


@click.command()
@click.option("--workers", type=int, default=None, help="parallel jobs [HUEY_WORKERS, 2]")
@click.option(
    "--worker-type",
    type=click.Choice(["process", "thread"]),
    default=None,
    help="process workers enforce TIMEOUT [HUEY_WORKER_TYPE, process]",
)
@click.option("--no-periodic", is_flag=True, help="do not run the periodic jobs here")
def worker(workers: int | None, worker_type: str | None, no_periodic: bool) -> None:
    """Run background jobs: webhooks, mail, periodic housekeeping."""
    run_worker(workers=workers, worker_type=worker_type, periodic=False if no_periodic else None)


def _die_with_parent() -> None:
    # Linux: if `serve` is killed outright (SIGKILL) its worker must not live on unattended.
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_background_worker() -> subprocess.Popen:
    """Start ``crowdfold worker`` as a child process (used by ``crowdfold serve``)."""
    code = "from crowdfold.cli import main; main()"
    return subprocess.Popen([sys.executable, "-c", code, "worker"], preexec_fn=_die_with_parent)


def stop_background_worker(proc: subprocess.Popen | None) -> None:
    """Ask the worker to finish its jobs (SIGINT is Huey's graceful stop), then make sure."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def register(group: click.Group) -> None:
    group.add_command(worker)
