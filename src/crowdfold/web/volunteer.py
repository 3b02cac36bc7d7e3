"""The volunteer's pages of a project: details, the task presenter, the tutorial, the password gate.

Thin views: the gates in ``gates.py`` decide who may see a page, the scheduling services hand out
tasks, and ``frames.py`` renders the owner's code in its sandbox.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crowdfold.api.wire import task_dict
from crowdfold.projects.access import grant_password_access
from crowdfold.projects.models import Project
from crowdfold.projects.services import project_password_matches
from crowdfold.tasks.models import Task, TaskRun
from crowdfold.tasks.scheduling import assign_next_tasks, reserve_task
from crowdfold.web import gates
from crowdfold.web.frames import bridge_config, render_frame
from crowdfold.workshop import progress as live_progress

TUTORIAL_COOKIE_AGE = 365 * 24 * 3600


def tutorial_cookie(project: Project) -> str:
    return f"{project.short_name}tutorial"


def _progress(project: Project, contributor) -> dict:
    # The project's figures are the live-progress ones, cached for a few seconds: counting a big
    # project's tasks on every page view would cost O(tasks) each time.
    figures = live_progress.project_progress(project.pk)
    total, completed = figures["n_tasks"], figures["n_completed_tasks"]
    done = TaskRun.objects.filter(project_id=project.pk, contributor_key=contributor.key).count()
    return {
        "total": total,
        "completed": completed,
        "done": done,
        "completed_pct": round(100 * completed / total) if total else 0,
        "done_pct": round(100 * done / total) if total else 0,
    }


def _message(
    request, project: Project, title: str, text: str, *, status: int = 200, next_task=True
):
    """A friendly page instead of the presenter (wrong task, already answered, nothing left)."""
    context = {"project": project, "title": title, "text": text, "next_task": next_task}
    return render(request, "web/project/message.html", context, status=status)


def _live_progress(project: Project, progress: dict) -> dict:
    """Where the project page's script follows the progress: a Server-Sent Events stream when
    ``SSE`` is on, else the JSON endpoint it polls (workshop/progress.py serves both)."""
    sn = project.short_name
    return {
        "poll_url": reverse("workshop:progress", args=[sn]),
        "stream_url": reverse("workshop:stream", args=[sn]) if settings.SSE else "",
        "poll_seconds": live_progress.POLL_SECONDS,
        "completed": format_html('<span id="live-completed">{}</span>', progress["completed"]),
        "total": format_html('<span id="live-total">{}</span>', progress["total"]),
    }


@require_GET
def project_detail(request, short_name: str):
    project = gates.visible_project(request, short_name)
    if redirect := gates.password_redirect(request, project):
        return redirect
    progress = _progress(project, gates.contributor(request))
    context = {
        "project": project,
        "progress": progress,
        "live": _live_progress(project, progress),
        "has_presenter": bool((project.info or {}).get("task_presenter")),
        "can_manage": gates.can_manage(request.user, project),
    }
    return render(request, "web/project/detail.html", context)


def _presenter_page(request, project: Project, task: Task | None):
    contributor = gates.contributor(request)
    context = {
        "project": project,
        "progress": _progress(project, contributor),
        "bridge": bridge_config(project, mode="presenter", task=task_dict(task) if task else None),
        "frame_src": reverse("web:presenter_frame", args=[project.short_name])
        + (f"?task={task.pk}" if task else ""),
        "anonymous": not request.user.is_authenticated,
    }
    return render(request, "web/project/presenter.html", context)


def _no_presenter(request, project: Project):
    return _message(
        request,
        project,
        _("Not ready yet"),
        _("This project has no task presenter yet, so there is nothing to do here for now."),
        next_task=False,
    )


@require_GET
def newtask(request, short_name: str):
    """PYBOSSA's ``/project/<sn>/newtask``: the tutorial once, then the presenter with the next task."""
    project = gates.visible_project(request, short_name)
    if redirect := gates.contribution_redirect(request, project):
        return redirect
    info = project.info or {}
    if info.get("tutorial") and tutorial_cookie(project) not in request.COOKIES:
        return HttpResponseRedirect(reverse("web:tutorial", args=[project.short_name]))
    if not info.get("task_presenter"):
        return _no_presenter(request, project)
    # Reserving the next task here lets us show the end screen without loading the presenter;
    # the presenter's own newtask call gets the same task back (a person's held tasks come first).
    if not assign_next_tasks(project, gates.contributor(request)):
        return _message(
            request,
            project,
            _("You’re all done!"),
            _("There are no more tasks for you in this project right now. Thank you for helping!"),
            next_task=False,
        )
    return _presenter_page(request, project, None)


@require_GET
def task_presenter(request, short_name: str, task_id: int):
    """``/project/<sn>/task/<id>``: the presenter on one given task, reserved for the caller (PYBOSSA
    stamps its "task requested" guard here)."""
    project = gates.visible_project(request, short_name)
    task = Task.objects.filter(pk=task_id).first()
    if task is None or task.project_id != project.pk:
        return _message(
            request,
            project,
            _("This task is not part of this project"),
            _(
                "The link you followed points to a task of another project, or to a task that "
                "no longer exists."
            ),
            status=404,
        )
    if redirect := gates.contribution_redirect(request, project):
        return redirect
    if not (project.info or {}).get("task_presenter"):
        return _no_presenter(request, project)
    contributor = gates.contributor(request)
    if not reserve_task(project, task, contributor):
        answered = TaskRun.objects.filter(task_id=task.pk, contributor_key=contributor.key).exists()
        text = (
            _("You have already answered this task. Thank you!")
            if answered
            else _("This task already has all the answers it needs.")
        )
        return _message(request, project, _("Nothing to do on this task"), text, status=409)
    return _presenter_page(request, project, task)


@require_GET
def presenter_frame(request, short_name: str):
    """The sandboxed document that runs the project's task presenter."""
    project = gates.visible_project(request, short_name)
    if gates.contribution_redirect(request, project):
        return HttpResponseForbidden(_("You may not contribute to this project."))
    raw_task = request.GET.get("task", "")
    config = {
        "mode": "presenter",
        "shortName": project.short_name,
        "taskId": int(raw_task) if raw_task.isascii() and raw_task.isdigit() else None,
    }
    return render_frame(request, project, (project.info or {}).get("task_presenter", ""), config)


@require_GET
def tutorial(request, short_name: str):
    """The project's tutorial, shown once before the first task (cookie ``<short_name>tutorial``)."""
    project = gates.visible_project(request, short_name)
    if redirect := gates.contribution_redirect(request, project):
        return redirect
    if not (project.info or {}).get("tutorial"):
        return HttpResponseRedirect(reverse("web:newtask", args=[project.short_name]))
    context = {"project": project, "bridge": bridge_config(project, mode="tutorial")}
    response = render(request, "web/project/tutorial.html", context)
    response.set_cookie(
        tutorial_cookie(project), "seen", max_age=TUTORIAL_COOKIE_AGE, samesite="Lax"
    )
    return response


@require_GET
def tutorial_frame(request, short_name: str):
    project = gates.visible_project(request, short_name)
    if gates.contribution_redirect(request, project):
        return HttpResponseForbidden(_("You may not contribute to this project."))
    config = {"mode": "tutorial", "shortName": project.short_name, "taskId": None}
    return render_frame(request, project, (project.info or {}).get("tutorial", ""), config)


class PasswordForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autofocus": True}), max_length=255
    )


def _safe_next(request, project: Project) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("web:project", args=[project.short_name])


@require_http_methods(["GET", "POST"])
def password(request, short_name: str):
    """The password gate: a correct password lets this person in for PASSWD_COOKIE_TIMEOUT."""
    project = gates.visible_project(request, short_name)
    next_url = _safe_next(request, project)
    if not project.needs_password:
        return HttpResponseRedirect(next_url)
    form = PasswordForm(request.POST if request.method == "POST" else None)
    error = None
    if form.is_valid():
        if project_password_matches(project, form.cleaned_data["password"]):
            response = HttpResponseRedirect(next_url)
            grant_password_access(request, response, project, gates.contributor(request).key)
            return response
        error = _("Wrong password. Please try again.")
    context = {"project": project, "form": form, "next": next_url, "error": error}
    return render(request, "web/project/password.html", context, status=403 if error else 200)
