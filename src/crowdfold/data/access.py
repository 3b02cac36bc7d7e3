"""Who may export a project's data, and who may contribute to a group-restricted project."""

from __future__ import annotations

from crowdfold.lib.errors import Forbidden, Unauthorized
from crowdfold.projects.models import Project

EXPORT_REFUSED = "Only the project's owners may download its data"
RESTRICTED = "This project is open to members of certain groups only"


def may_manage(project: Project, user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or project.is_owned_by(user)))


def ensure_may_export(request, project: Project, user) -> None:
    """PYBOSSA's rule: owners and admins always; others when ``zip_download`` is on and, for a
    password-protected project, once they gave the password."""
    if may_manage(project, user):
        return
    if not project.zip_download:
        if user is None or not user.is_authenticated:
            raise Unauthorized(EXPORT_REFUSED, target="project")
        raise Forbidden(EXPORT_REFUSED, target="project")
    if project.needs_password:
        from crowdfold.projects.access import has_password_access
        from crowdfold.tasks.identity import contributor_for

        if not has_password_access(request, project, user, contributor_for(request, user).key):
            raise Forbidden("This project is protected by a password", target="project")


def ensure_may_contribute(project: Project, contributor) -> None:
    """Refuse contributions to a group-restricted project from anyone outside its groups."""
    from crowdfold.data.groups import may_contribute

    user = None if contributor.external_uid is not None else contributor.user
    if not may_contribute(project, user):
        if user is None:
            raise Unauthorized(RESTRICTED, target="taskrun")
        raise Forbidden(RESTRICTED, target="taskrun")
