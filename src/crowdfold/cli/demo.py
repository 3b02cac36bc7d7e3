"""``crowdfold demo``: a database ready to explore, with an admin and a published demo project."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--url",
    "base_url",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="where the server will be reachable (only used in the printed links)",
)
def demo(base_url: str) -> None:
    """Migrate, then create the demo admin and project once; print how to sign in."""
    from django.conf import settings

    from crowdfold.cli.core import _migrate
    from crowdfold.demo.services import ensure_demo

    _migrate(verbosity=0)
    try:
        result = ensure_demo()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    base_url = base_url.rstrip("/")
    click.echo("Created the demo project." if result.created else "The demo project is ready.")
    click.echo(f"  URL:            {base_url}/")
    click.echo(f"  Demo project:   {base_url}/project/{result.project.short_name}/")
    click.echo(f"  Sign in at:     {base_url}{settings.LOGIN_URL}")
    click.echo(f"  Admin login:    {result.admin.username}")
    click.echo(f"  Admin password: {result.password}")
    click.echo(f"  Admin API key:  {result.api_key}")


def register(group: click.Group) -> None:
    group.add_command(demo)
