"""Helpers shared by the data-related commands: finding a project, turning domain errors into
clean CLI failures, and a progress bar that only shows on a terminal."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click


def find_project(ref: str):
    """A project by id or short name, or a clean CLI error."""
    from crowdfold.projects.models import Project

    lookup = {"pk": int(ref)} if ref.isascii() and ref.isdigit() else {"short_name": ref}
    project = Project.objects.filter(**lookup).first()
    if project is None:
        raise click.ClickException(f"no project {ref!r} (give its short name or id)")
    return project


@contextmanager
def domain_errors():
    """Turn service errors into ``Error: …`` on stderr and exit status 1."""
    from crowdfold.lib.errors import DomainError

    try:
        yield
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc


def on_terminal() -> bool:
    return sys.stderr.isatty()


def progress_bar(total: int | None, unit: str, desc: str):
    """tqdm on stderr with rate and ETA, silent when stderr is not a terminal."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit=unit,
        unit_scale=True,
        desc=desc,
        file=sys.stderr,
        disable=not on_terminal(),
        dynamic_ncols=True,
        mininterval=0.1,
    )
