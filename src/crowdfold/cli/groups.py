"""``crowdfold groups``: groups of users that restrict who may contribute to a project or category."""

from __future__ import annotations

import click

from crowdfold.cli.common import domain_errors, find_project


def _user(name: str):
    from crowdfold.accounts.models import User

    user = (
        User.objects.filter(username=name).first()
        or User.objects.filter(email__iexact=name).first()
    )
    if user is None:
        raise click.ClickException(f"no user named {name!r} (give a user name or email)")
    return user


def _target(project: str | None, category: str | None) -> dict:
    from crowdfold.projects.models import Category

    if (project is None) == (category is None):
        raise click.UsageError("give exactly one of --project or --category")
    if project is not None:
        return {"project": find_project(project)}
    lookup = (
        {"pk": int(category)}
        if category.isascii() and category.isdigit()
        else {"short_name": category}
    )
    found = Category.objects.filter(**lookup).first()
    if found is None:
        raise click.ClickException(f"no category {category!r}")
    return {"category": found}


@click.group()
def groups() -> None:
    """Groups restrict who may contribute: a project is open to everyone unless a group is allowed
    on it or on its category."""


@groups.command("list")
def list_groups() -> None:
    """List groups with their members and where they are allowed."""
    from crowdfold.data.models import ContributorGroup

    for group in ContributorGroup.objects.prefetch_related(
        "members", "grants__project", "grants__category"
    ):
        members = ", ".join(sorted(u.username for u in group.members.all())) or "-"
        where = (
            ", ".join(
                sorted(
                    f"project {g.project.short_name}"
                    if g.project
                    else f"category {g.category.short_name}"
                    for g in group.grants.all()
                )
            )
            or "-"
        )
        click.echo(f"{group.name}\t{group.description}\tmembers: {members}\tallowed: {where}")


@groups.command("add")
@click.argument("name")
@click.option("--description", default="", help="what the group is for")
def add(name: str, description: str) -> None:
    """Create group NAME (letters, digits, '_')."""
    from crowdfold.data.groups import create_group

    with domain_errors():
        create_group(name, description)
    click.echo(f"Created group {name}")


@groups.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Delete group NAME (projects it alone restricted open up again)."""
    from crowdfold.data.groups import delete_group, get_group

    with domain_errors():
        delete_group(get_group(name))
    click.echo(f"Deleted group {name}")


@groups.command("assign")
@click.argument("user")
@click.argument("name")
def assign_cmd(user: str, name: str) -> None:
    """Add USER to group NAME."""
    from crowdfold.data.groups import assign, get_group

    with domain_errors():
        assign(get_group(name), _user(user))
    click.echo(f"{user} is now in {name}")


@groups.command("resign")
@click.argument("user")
@click.argument("name")
def resign_cmd(user: str, name: str) -> None:
    """Remove USER from group NAME."""
    from crowdfold.data.groups import get_group, resign

    with domain_errors():
        resign(get_group(name), _user(user))
    click.echo(f"{user} left {name}")


@groups.command("allow")
@click.argument("name")
@click.option("--project", default=None, help="project short name or id")
@click.option("--category", default=None, help="category short name or id")
def allow_cmd(name: str, project: str | None, category: str | None) -> None:
    """Allow group NAME to contribute to a project or category (restricting it to allowed groups)."""
    from crowdfold.data.groups import allow, get_group

    target = _target(project, category)
    with domain_errors():
        allow(get_group(name), **target)
    click.echo(f"{name} may contribute to {project or category}")


@groups.command("disallow")
@click.argument("name")
@click.option("--project", default=None, help="project short name or id")
@click.option("--category", default=None, help="category short name or id")
def disallow_cmd(name: str, project: str | None, category: str | None) -> None:
    """Withdraw group NAME's permission on a project or category."""
    from crowdfold.data.groups import disallow, get_group

    target = _target(project, category)
    with domain_errors():
        disallow(get_group(name), **target)
    click.echo(f"{name} no longer allowed on {project or category}")


def register(group: click.Group) -> None:
    group.add_command(groups)
