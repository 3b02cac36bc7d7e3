"""``crowdfold ckan push``: a project's tasks, task runs and results to the CKAN server."""

from __future__ import annotations

import click

from crowdfold.cli.common import domain_errors, find_project, progress_bar


@click.group()
def ckan() -> None:
    """Publish project data on the CKAN server named by CKAN_URL."""


@ckan.command("push")
@click.argument("project")
@click.option(
    "--api-key",
    default=None,
    envvar="CKAN_API_KEY",
    help="the CKAN API key to push with (default: the one stored on the owner's account)",
)
@click.option("--save-key", is_flag=True, help="also store --api-key on the owner's account")
def push(project: str, api_key: str | None, save_key: bool) -> None:
    """Create or update PROJECT's CKAN dataset with three CSV resources: task, task_run and
    result (flattened as the CSV export). Pushing again replaces the files."""
    from crowdfold.data.ckan import push_project, store_key, stored_key

    target = find_project(project)
    owner = target.owner
    if save_key and not api_key:
        raise click.UsageError("--save-key needs --api-key")
    key = api_key or stored_key(owner)
    if not key:
        raise click.ClickException(
            f"no CKAN API key: give --api-key, or store one on {owner.username}'s account"
        )
    with progress_bar(None, "rows", "pushing") as bar, domain_errors():
        report = push_project(target, key, _bar_update(bar))
    if save_key:
        store_key(owner, api_key)
    verb = "Created" if report.created_dataset else "Updated"
    click.echo(f"{verb} dataset {report.dataset}: {report.dataset_url}")
    for name, action in report.resources.items():
        click.echo(f"  {name}: {report.rows[name]} rows ({action})")


def _bar_update(bar):
    seen = {"stage": None, "before": 0}  # rows of the resources already written

    def update(stage: str, rows: int) -> None:
        if stage != seen["stage"]:
            seen["stage"], seen["before"] = stage, bar.n
            bar.set_description(f"pushing {stage}", refresh=False)
        bar.update(seen["before"] + rows - bar.n)

    return update


def register(group: click.Group) -> None:
    group.add_command(ckan)
