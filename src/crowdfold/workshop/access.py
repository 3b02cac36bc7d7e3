"""Who may see and who may manage a project in the browser.

Managing (settings, tasks, blog, audit log): the creator, co-owners and admins; anyone else signed
in gets 403, anonymous visitors are sent to sign in. Viewing: published projects to everyone
(behind the project password when one is set), drafts to those who manage them.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from crowdfold.lib.features import feature_available
from crowdfold.projects.access import has_password_access
from crowdfold.projects.models import Project
from crowdfold.tasks.identity import contributor_for


class SignInRequired(Exception):
    """Raised inside a view; ``owner_view`` turns it into a redirect to the sign-in page."""


class PasswordRequired(Exception):
    def __init__(self, project: Project):
        self.project = project


def can_manage(project: Project, user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or project.is_owned_by(user)))


def require_feature(feature: str, user) -> None:
    """PRO_FEATURES: a page of a pro-only feature answers 403 to anyone but pro users and admins."""
    if not feature_available(feature, user):
        raise PermissionDenied(
            _("%(feature)s is a pro feature on this server") % {"feature": feature}
        )


def better_stats(project: Project, user) -> bool:
    """PYBOSSA's rule for ``better_stats``: the project's owner is pro, or the viewer is an admin."""
    return feature_available("better_stats", project.owner) or bool(
        user and user.is_authenticated and user.is_superuser
    )


def get_project(short_name: str) -> Project:
    project = (
        Project.objects.select_related("category", "owner").filter(short_name=short_name).first()
    )
    if project is None:
        raise Http404("No such project")
    return project


def managed_project(request, short_name: str) -> Project:
    project = get_project(short_name)
    if not request.user.is_authenticated:
        raise SignInRequired()
    if not can_manage(project, request.user):
        raise PermissionDenied(_("Only the project's owners may do this"))
    return project


def viewable_project(request, short_name: str) -> Project:
    project = get_project(short_name)
    manager = can_manage(project, request.user)
    if not project.published and not manager:
        raise Http404("No such project")
    if not manager and project.needs_password:
        key = contributor_for(request, request.user).key
        if not has_password_access(request, project, request.user, key):
            raise PasswordRequired(project)
    return project


def owner_view(view):
    """Turn the access exceptions above into the right response."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SignInRequired:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        except PasswordRequired as exc:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"/project/{exc.project.short_name}/password?{query}")

    return wrapped
