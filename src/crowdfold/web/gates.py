"""Who may open a project's volunteer pages. Every page under ``/project/<short_name>/`` goes
through these checks, in PYBOSSA's order: the project must be visible (drafts only to the people
who manage them), then the project password, then (to contribute) the anonymous-volunteer rule."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse

from crowdfold.projects.access import has_password_access
from crowdfold.projects.models import Project
from crowdfold.tasks.identity import Contributor, contributor_for


def can_manage(user, project: Project) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or project.is_owned_by(user)))


def visible_project(request, short_name: str) -> Project:
    """The project named in the URL, or 404 (a draft counts as missing for non-managers)."""
    project = Project.objects.filter(short_name=short_name).select_related("category").first()
    if project is None or (not project.published and not can_manage(request.user, project)):
        raise Http404("No such project")
    return project


def contributor(request) -> Contributor:
    return contributor_for(request, request.user)


def password_redirect(request, project: Project) -> HttpResponseRedirect | None:
    """Send a visitor who has not given the project's password to the password page."""
    if has_password_access(request, project, request.user, contributor(request).key):
        return None
    url = reverse("web:password", args=[project.short_name])
    return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def anonymous_redirect(request, project: Project) -> HttpResponseRedirect | None:
    """Projects that refuse anonymous volunteers send them to sign in first."""
    if request.user.is_authenticated or project.allow_anonymous_contributors:
        return None
    return redirect_to_login(request.get_full_path())


def contribution_redirect(request, project: Project) -> HttpResponseRedirect | None:
    """Everything a volunteer must pass before they are shown a task."""
    return password_redirect(request, project) or anonymous_redirect(request, project)
