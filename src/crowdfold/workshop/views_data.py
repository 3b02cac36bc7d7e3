"""Import and export pages on the data services (``crowdfold.data``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from crowdfold.data.access import ensure_may_export
from crowdfold.data.ckan import ckan_configured, store_key, stored_key
from crowdfold.data.exports import ExportRequest, export_stream, file_name, validate
from crowdfold.data.importers.base import SourceError
from crowdfold.data.intake import import_upload, import_url
from crowdfold.data.jobs import ckan_status, enqueue_ckan_push, job_status
from crowdfold.data.models import CkanPush, ImportJob
from crowdfold.lib.errors import DomainError
from crowdfold.lib.i18n import localize
from crowdfold.workshop import forms
from crowdfold.workshop.access import can_manage, managed_project, owner_view, viewable_project
from crowdfold.workshop.audit import record_changes
from crowdfold.workshop.views import back, page

CONTENT_TYPES = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}
# How the import page names a background job's state.
JOB_STATES = {
    "queued": gettext_lazy("queued"),
    "running": gettext_lazy("running"),
    "done": gettext_lazy("done"),
    "failed": gettext_lazy("failed"),
}
# PYBOSSA's web export says type=task|task_run|result.
TYPES = {"task": "tasks", "task_run": "taskruns", "result": "results"}


def import_summary(created: int, duplicates: int) -> str:
    text = ngettext("Imported %(count)d task.", "Imported %(count)d tasks.", created) % {
        "count": created
    }
    if duplicates:
        text += " " + ngettext(
            "(%(count)d duplicate skipped)", "(%(count)d duplicates skipped)", duplicates
        ) % {"count": duplicates}
    return text


@owner_view
def import_page(request, short_name: str):
    project = managed_project(request, short_name)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = _start_import(request, project, form.cleaned_data)
        except SourceError as exc:
            messages.error(request, exc.localized())  # FILE:LINE: what is wrong
        except DomainError as exc:
            messages.error(request, localize(exc.message))
        else:
            if isinstance(outcome, ImportJob):
                messages.success(
                    request, _("The import runs in the background; this page shows its progress.")
                )
                return back(f"/project/{short_name}/tasks/import")
            record_changes(project, request.user, {"tasks.imported": (None, outcome.created)})
            messages.success(request, import_summary(outcome.created, outcome.duplicates))
            return back(f"/project/{short_name}/tasks/")
    jobs = [
        {
            **job_status(j),
            "where": j.source.get("url") or j.source.get("name") or "",
            "state_label": JOB_STATES.get(j.state, j.state),
        }
        for j in ImportJob.objects.filter(project=project)[:5]
    ]
    return page(request, "import.html", project, "tasks", form=form, jobs=jobs)


def _start_import(request, project, data: dict):
    """The shared intake (``crowdfold.data.intake``): small uploads now, the rest as a job."""
    options = {"n_answers": data["n_answers"], "format": None}
    if data.get("file"):
        return import_upload(project, request.user, data["file"], options)
    spec = {"type": data.get("url_type") or "csv", "url": data["url"]}
    return import_url(project, request.user, spec, options)


@owner_view
def export_page(request, short_name: str):
    project = viewable_project(request, short_name)
    kind = request.GET.get("type")
    if kind is None:
        manager = can_manage(project, request.user)
        return render(
            request,
            "workshop/export.html",
            {
                "project": project,
                "active": "tasks",
                "manager": manager,
                "types": [
                    ("task", _("Tasks")),
                    ("task_run", _("Answers")),
                    ("result", _("Results")),
                ],
                **(_ckan_context(request, project) if manager else {}),
            },
        )
    try:
        ensure_may_export(request, project, request.user)
        spec = validate(
            ExportRequest(
                TYPES.get(kind, kind),
                request.GET.get("format", "json"),
                zipped=request.GET.get("zip") == "1",
            )
        )
    except DomainError as exc:
        if exc.status_code in (401, 403):
            raise PermissionDenied(localize(exc.message)) from exc
        messages.error(request, localize(exc.message))
        return back(f"/project/{short_name}/tasks/export")
    response = StreamingHttpResponse(
        export_stream(project, spec), content_type=CONTENT_TYPES["zip" if spec.zipped else spec.fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(project, spec)}"'
    response["Cache-Control"] = "no-store"
    return response


def _ckan_context(request, project) -> dict:
    if not ckan_configured():
        return {}
    last = CkanPush.objects.filter(project=project).first()
    return {
        "ckan_name": settings.CKAN_NAME,
        "ckan_form": forms.CkanPushForm(),
        "ckan_key_stored": bool(stored_key(request.user)),
        "ckan_push": ckan_status(last) if last else None,
    }


@owner_view
def ckan_push(request, short_name: str):
    """Queue a push of the project's data to CKAN (POST from the export page's form)."""
    project = managed_project(request, short_name)
    target = f"/project/{short_name}/tasks/export"
    if request.method != "POST":
        return back(target)
    form = forms.CkanPushForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The CKAN form was not filled in correctly."))
        return back(target)
    key = form.cleaned_data["api_key"].strip()
    try:
        enqueue_ckan_push(project, request.user, key or stored_key(request.user))
    except DomainError as exc:
        messages.error(request, localize(exc.message))
        return back(target)
    if key and form.cleaned_data["remember"]:
        store_key(request.user, key)
    messages.success(
        request,
        _("Pushing to %(name)s: this page shows how far it got.") % {"name": settings.CKAN_NAME},
    )
    return back(target)
