"""Contributor groups (Vulyk's groups): who may contribute to a restricted project.

A project is open to everyone unless a group is granted on it or on its category; then only members
of a granted group (plus the project's owners and admins) may contribute. Grants keep
``Project.groups_restricted`` in step so the contribution path pays nothing for open projects.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from crowdfold.data.models import ContributorGroup, GroupGrant
from crowdfold.lib import hotrows
from crowdfold.lib.errors import BadRequest, Conflict, NotFound
from crowdfold.projects.models import Category, Project

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{1,63}$")


def get_group(name: str) -> ContributorGroup:
    group = ContributorGroup.objects.filter(name=name).first()
    if group is None:
        raise NotFound(f"no group {name!r}")
    return group


def create_group(name: str, description: str = "") -> ContributorGroup:
    """Create a group; its name is a code of 2-64 letters, digits or ``_`` (not leading)."""
    if not NAME_RE.match(name or ""):
        raise BadRequest(
            "a group name has 2 to 64 letters, digits or '_', and does not start with '_'"
        )
    try:
        with transaction.atomic():
            return ContributorGroup.objects.create(name=name, description=description)
    except IntegrityError as exc:
        raise Conflict(f"group {name!r} already exists") from exc


@transaction.atomic
def delete_group(group: ContributorGroup) -> None:
    affected = _affected_projects(group.grants.all())
    group.delete()
    refresh_restriction(affected)


def assign(group: ContributorGroup, user) -> None:
    group.members.add(user)


def resign(group: ContributorGroup, user) -> None:
    if not group.members.filter(pk=user.pk).exists():
        raise BadRequest(f"{user.username} is not a member of {group.name}")
    group.members.remove(user)


@transaction.atomic
def allow(
    group: ContributorGroup, *, project: Project | None = None, category: Category | None = None
) -> None:
    """Grant ``group`` on a project or a whole category (which restricts it to granted groups)."""
    if (project is None) == (category is None):
        raise BadRequest("give a project or a category")
    _, created = GroupGrant.objects.get_or_create(group=group, project=project, category=category)
    if not created:
        raise Conflict(f"group {group.name!r} is already allowed there")
    refresh_restriction(
        _affected_projects(
            GroupGrant.objects.filter(group=group, project=project, category=category)
        )
    )


@transaction.atomic
def disallow(
    group: ContributorGroup, *, project: Project | None = None, category: Category | None = None
) -> None:
    grants = GroupGrant.objects.filter(group=group, project=project, category=category)
    affected = _affected_projects(grants)
    if not grants.delete()[0]:
        raise NotFound(f"group {group.name!r} is not allowed there")
    refresh_restriction(affected)


def _affected_projects(grants) -> list[int]:
    ids = set()
    for project_id, category_id in grants.values_list("project_id", "category_id"):
        if project_id:
            ids.add(project_id)
        else:
            ids.update(Project.objects.filter(category_id=category_id).values_list("pk", flat=True))
    return sorted(ids)


def refresh_restriction(project_ids) -> None:
    """Recompute ``groups_restricted`` for these projects from the grants."""
    if not project_ids:
        return
    granted = GroupGrant.objects.filter(
        Q(project_id=OuterRef("pk")) | Q(category_id=OuterRef("category_id"))
    )
    projects = Project.objects.filter(pk__in=project_ids)
    projects.filter(Exists(granted)).update(groups_restricted=True)
    projects.exclude(Exists(granted)).update(groups_restricted=False)
    for pk in project_ids:  # update() sends no signal: forget this process's reused rows now
        hotrows.projects.forget(pk)


def may_contribute(project: Project, user) -> bool:
    """Zero queries for an open project; one for a member of a granted group."""
    if not project.groups_restricted:
        return True
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or user.pk == project.owner_id:
        return True
    member = GroupGrant.objects.filter(
        Q(project_id=project.pk) | Q(category_id=project.category_id), group__members=user
    ).exists()
    return member or project.owners.filter(pk=user.pk).exists()
