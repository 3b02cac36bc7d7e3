"""``crowdfold load`` and ``crowdfold export``: tasks in, tasks/answers/results out."""

from __future__ import annotations

import glob
import os

import click

from crowdfold.cli.common import domain_errors, find_project, progress_bar


def _expand(patterns: tuple[str, ...]) -> list[str]:
    """Shell globs, also when the shell did not expand them (quoted, or on Windows)."""
    paths: list[str] = []
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = sorted(glob.glob(pattern))
            if not matches:
                raise click.ClickException(f"{pattern}: no file matches")
            paths.extend(matches)
        elif not os.path.isfile(pattern):
            raise click.ClickException(f"{pattern}: no such file")
        else:
            paths.append(pattern)
    return paths


@click.command()
@click.argument("project")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--batch", default=None, help="load into this new batch (default: the project's default batch)"
)
@click.option(
    "--meta",
    nargs=2,
    multiple=True,
    metavar="KEY VALUE",
    help="batch meta overriding the default batch's",
)
@click.option(
    "--redundancy",
    type=click.IntRange(min=1),
    default=None,
    help="answers wanted per task (n_answers)",
)
@click.option("--priority", type=float, default=None, help="priority_0 of the new tasks")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json", "csv", "tsv", "xlsx"]),
    default=None,
    help="read every file as this format instead of telling it from the name",
)
@click.option(
    "--allow-duplicates", is_flag=True, help="also load rows whose info the project already has"
)
def load(project, files, batch, meta, redundancy, priority, fmt, allow_duplicates) -> None:
    """Load tasks from FILES (JSON Lines, JSON arrays, CSV, TSV, XLSX; plain, .gz, .bz2 or .zip).

    A row with an "info" object uses it; otherwise the whole row is the task's info. All or
    nothing: a malformed row anywhere stops the load and nothing is stored.
    """
    from crowdfold.data.importers.base import SourceError
    from crowdfold.data.importers.files import FileSource
    from crowdfold.data.services import ImportOptions, import_tasks

    target = find_project(project)
    paths = _expand(files)
    options = ImportOptions(
        batch=batch,
        meta=list(meta),
        n_answers=redundancy,
        priority=priority,
        allow_duplicates=allow_duplicates,
    )
    try:
        sources = [FileSource(p, fmt) for p in paths]
        with (
            progress_bar(sum(s.size or 0 for s in sources), "B", "loading") as bar,
            domain_errors(),
        ):
            report = import_tasks(target, sources, options, progress=_bar_update(bar))
    except SourceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Loaded {report.created} tasks into batch {report.batch!r} of {target.short_name}"
        f" ({report.duplicates} duplicates skipped, {report.rows} rows read)"
    )


def _bar_update(bar):
    def update(rows: int, done: int, total: int | None) -> None:
        bar.update(done - bar.n)
        bar.set_postfix(rows=f"{rows:,}", refresh=False)

    return update


@click.command()
@click.argument("project")
@click.option(
    "--what",
    type=click.Choice(["tasks", "taskruns", "results"]),
    default="tasks",
    show_default=True,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "csv"]),
    default="json",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="write here instead of standard output",
)
@click.option("--batch", default=None, help="only tasks of this batch (and their answers/results)")
@click.option(
    "--completed-only", is_flag=True, help="only completed tasks (and their answers/results)"
)
@click.option(
    "--info-only", is_flag=True, help="CSV of the flattened info only (PYBOSSA's *_info_only.csv)"
)
@click.option("--zip", "zipped", is_flag=True, help="a ZIP archive as the web download gives")
def export(project, what, fmt, output, batch, completed_only, info_only, zipped) -> None:
    """Export a project's tasks, task runs or results, streamed (memory stays flat)."""
    import sys

    from crowdfold.data.exports import ExportRequest, count_rows, export_stream

    target = find_project(project)
    request = ExportRequest(what, fmt, batch, completed_only, info_only, zipped)
    with domain_errors():
        total = count_rows(target, request)  # also validates the request (unknown batch…)
    sink = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115  (closed below)
    try:
        with progress_bar(total, "rows", f"exporting {what}") as bar:
            chunks = export_stream(target, request, progress=lambda n: bar.update(n - bar.n))
            for chunk in chunks:
                sink.write(chunk)
    finally:
        if output:
            sink.close()
    if output:
        click.echo(f"Exported {total} {what} to {output}", err=True)


def register(group: click.Group) -> None:
    group.add_command(load)
    group.add_command(export)
