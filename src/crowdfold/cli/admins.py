"""``crowdfold admins``: list, grant and revoke admin rights."""

from __future__ import annotations

import click


def _user(name: str):
    from crowdfold.accounts.models import User

    user = User.objects.filter(username=name).first()
    if user is None:
        raise click.ClickException(f"No user named {name!r}")
    return user


@click.group()
def admins() -> None:
    """Manage who is an admin."""


@admins.command("list")
def list_admins() -> None:
    """Print the names of all admins."""
    from crowdfold.accounts.models import User

    for name in (
        User.objects.filter(is_superuser=True)
        .order_by("username")
        .values_list("username", flat=True)
    ):
        click.echo(name)


@admins.command("grant")
@click.argument("name")
def grant(name: str) -> None:
    """Make NAME an admin."""
    from crowdfold.accounts.services import set_admin

    set_admin(_user(name), True)
    click.echo(f"{name} is now an admin")


@admins.command("revoke")
@click.argument("name")
def revoke(name: str) -> None:
    """Take admin rights away from NAME (the last admin keeps them)."""
    from crowdfold.accounts.models import User
    from crowdfold.accounts.services import set_admin

    user = _user(name)
    if (
        user.is_superuser
        and not User.objects.filter(is_superuser=True).exclude(pk=user.pk).exists()
    ):
        raise click.ClickException(f"{name} is the last admin; grant someone else first")
    set_admin(user, False)
    click.echo(f"{name} is no longer an admin")


def register(group: click.Group) -> None:
    group.add_command(admins)
