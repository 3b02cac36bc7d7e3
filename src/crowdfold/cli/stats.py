"""``crowdfold stats``: fold new answers into the precomputed statistics and leaderboards."""

from __future__ import annotations

import time

import click


@click.group()
def stats() -> None:
    """Project statistics and leaderboards."""


@stats.command("refresh")
@click.option("--project", "short_name", default=None, help="only this project (short name)")
@click.option("--every", type=int, default=0, help="repeat every N seconds (0 = once)")
def refresh(short_name: str | None, every: int) -> None:
    """Refresh statistics incrementally (answers since the last refresh), then leaderboards."""
    from crowdfold.projects.models import Project
    from crowdfold.stats.leaderboard import refresh_leaderboards
    from crowdfold.stats.refresh import refresh_all, refresh_project

    while True:
        started = time.monotonic()
        if short_name:
            project = Project.objects.filter(short_name=short_name).first()
            if project is None:
                raise click.ClickException(f"No project named {short_name!r}")
            stats_row = refresh_project(project.pk)
            refresh_leaderboards()
            click.echo(f"{short_name}: {stats_row.n_task_runs} answers counted")
        else:
            count = refresh_all()
            click.echo(f"Refreshed {count} projects in {time.monotonic() - started:.2f}s")
        if not every:
            return
        time.sleep(every)


def register(group: click.Group) -> None:
    group.add_command(stats)
