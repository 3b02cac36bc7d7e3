"""``crowdfold users``: create users and read their API keys."""

from __future__ import annotations

import click


@click.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.argument("name")
@click.option("--email", required=True)
@click.option("--password", default=None, help="omit for an account that signs in by other means")
@click.option("--admin", is_flag=True, help="grant admin rights")
def create(name: str, email: str, password: str | None, admin: bool) -> None:
    """Create a user; the new API key is printed on the last line."""
    from django.core.exceptions import ValidationError

    from crowdfold.accounts.services import create_user

    try:
        user = create_user(name, email, password, admin=admin)
    except ValidationError as exc:
        raise click.ClickException(
            "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        ) from exc
    click.echo(f"Created {'admin ' if user.is_superuser else ''}user {user.username}")
    click.echo(user.api_key)


@users.command("api-key")
@click.argument("name")
def api_key(name: str) -> None:
    """Print a user's API key."""
    from crowdfold.accounts.models import User

    user = User.objects.filter(username=name).first()
    if user is None:
        raise click.ClickException(f"No user named {name!r}")
    click.echo(user.api_key)


def register(group: click.Group) -> None:
    group.add_command(users)
