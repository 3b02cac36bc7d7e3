"""``crowdfold admins``: list, add and remove admins, by email or user name."""

from __future__ import annotations

import click


def _user(ref: str):
    """The user named ``ref``, or else the one whose email it is (case-insensitive)."""
    from crowdfold.accounts.models import User

    ref = ref.strip()
    if not ref:
        raise click.BadParameter("give the user's email or name", param_hint="EMAIL")
    user = User.objects.filter(username=ref).first()
    if user is not None:
        return user
    matches = list(User.objects.filter(email__iexact=ref)[:2])
    if len(matches) > 1:
        raise click.ClickException(f"Several users have the email {ref!r}; give the user name")
    if not matches:
        what = "email" if "@" in ref else "name"
        raise click.ClickException(f"No user with the {what} {ref!r}")
    return matches[0]


def _label(user) -> str:
    return f"{user.username} <{user.email}>" if user.email else user.username


@click.group()
def admins() -> None:
    """Manage who is an admin (users are given by email or by name)."""


@admins.command("list")
def list_admins() -> None:
    """Print every admin: name, a tab, email."""
    from crowdfold.accounts.models import User

    for name, email in (
        User.objects.filter(is_superuser=True).order_by("username").values_list("username", "email")
    ):
        click.echo(f"{name}\t{email or ''}")


@admins.command("add")
@click.argument("email")
def add(email: str) -> None:
    """Make the user with this EMAIL (or user name) an admin."""
    from crowdfold.accounts.services import set_admin

    user = _user(email)
    if user.is_superuser:
        click.echo(f"{_label(user)} is already an admin")
        return
    set_admin(user, True)
    click.echo(f"{_label(user)} is now an admin")


@admins.command("remove")
@click.argument("email")
def remove(email: str) -> None:
    """Take admin rights away from the user with this EMAIL (or user name); the last admin keeps
    them."""
    from crowdfold.accounts.models import User
    from crowdfold.accounts.services import set_admin

    user = _user(email)
    if not user.is_superuser:
        raise click.ClickException(f"{_label(user)} is not an admin")
    if not User.objects.filter(is_superuser=True).exclude(pk=user.pk).exists():
        raise click.ClickException(f"{_label(user)} is the last admin; add someone else first")
    set_admin(user, False)
    click.echo(f"{_label(user)} is no longer an admin")


# The names of the first release, kept (unlisted) so scripts written for them go on working.
@admins.command("grant", hidden=True)
@click.argument("email")
@click.pass_context
def grant(ctx: click.Context, email: str) -> None:
    """Same as ``add``."""
    ctx.invoke(add, email=email)


@admins.command("revoke", hidden=True)
@click.argument("email")
@click.pass_context
def revoke(ctx: click.Context, email: str) -> None:
    """Same as ``remove``."""
    ctx.invoke(remove, email=email)


def register(group: click.Group) -> None:
    group.add_command(admins)
