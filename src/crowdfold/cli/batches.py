"""``crowdfold batches``: list a project's batches, their stats (Vulyk's ``stats batch``), delete."""

from __future__ import annotations

import click

from crowdfold.cli.common import domain_errors, find_project


@click.group()
def batches() -> None:
    """Batches of tasks loaded together (crowdfold load --batch)."""


@batches.command("list")
@click.argument("project")
def list_batches(project: str) -> None:
    """List PROJECT's batches with their task counts and meta."""
    import json

    from django.db.models import Count

    from crowdfold.data.models import Batch

    target = find_project(project)
    rows = Batch.objects.filter(project=target).annotate(n=Count("tasks")).order_by("name")
    for batch in rows:
        flag = " (default)" if batch.is_default else ""
        click.echo(f"{batch.name}{flag}\t{batch.n} tasks\t{json.dumps(batch.meta, sort_keys=True)}")


@batches.command("stats")
@click.argument("project")
@click.option("-n", "--batch", "name", default=None, help="only this batch")
def stats(project: str, name: str | None) -> None:
    """Per batch: tasks, completed and %, answers, and how many tasks have 0, 1, 2… answers."""
    from crowdfold.data.batches import batch_stats, get_batch
    from crowdfold.data.models import Batch

    target = find_project(project)
    with domain_errors():
        chosen = (
            [get_batch(target, name)]
            if name
            else list(Batch.objects.filter(project=target).order_by("name"))
        )
    click.echo(
        f"{'batch':<20} {'tasks':>9} {'completed':>9} {'%':>6} {'answers':>9}  answers per task"
    )
    for batch in chosen:
        s = batch_stats(batch)
        histogram = ", ".join(f"{k}: {v}" for k, v in s.histogram.items()) or "-"
        click.echo(
            f"{s.name:<20} {s.tasks:>9} {s.completed:>9} {s.completed_pct:>5.1f}% {s.answers:>9}  {histogram}"
        )


@batches.command("delete")
@click.argument("project")
@click.argument("name")
@click.option("--purge", is_flag=True, help="also delete the answers and results of its tasks")
def delete(project: str, name: str, purge: bool) -> None:
    """Delete batch NAME of PROJECT with its tasks (a batch with answers needs --purge)."""
    from crowdfold.data.batches import delete_batch, get_batch

    target = find_project(project)
    with domain_errors():
        n = delete_batch(get_batch(target, name), purge=purge)
    click.echo(f"Deleted batch {name!r} and its {n} tasks")


def register(group: click.Group) -> None:
    group.add_command(batches)
