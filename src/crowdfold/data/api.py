"""API endpoints for bulk import and streamed export (``/api/project/<id>/import|export``)."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from ninja import Router

from crowdfold.api.auth import api_user
from crowdfold.api.errors import parse_json_body
from crowdfold.data import access
from crowdfold.data.exports import ExportRequest, export_stream, file_name
from crowdfold.data.importers.base import SourceError
from crowdfold.data.importers.registry import FORMATS
from crowdfold.data.intake import check_spec
from crowdfold.data.models import AutoImporter, ImportJob
from crowdfold.lib import jsonlimits
from crowdfold.lib.errors import BadRequest, Forbidden, NotFound, Unauthorized
from crowdfold.lib.features import require_feature
from crowdfold.projects.models import Project

router = Router(tags=["import/export"])

CONTENT_TYPES = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}


def _project(project_id: int) -> Project:
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(f"404 Not Found: project {project_id}", target="project")
    return project


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on", "y"}


@router.get("/project/{int:project_id}/export", summary="Download tasks, task runs or results")
def export(
    request,
    project_id: int,
    what: str = "tasks",
    format: str = "json",
    zip: str | None = None,
    batch: str | None = None,
    completed_only: str | None = None,
    info_only: str | None = None,
):
    """Streamed as it is read from the database, never cached. Owners and admins always; anyone
    else when the project allows downloads (``zip_download``) and they may see it."""
    project = _project(project_id)
    access.ensure_may_export(request, project, api_user(request))
    spec = ExportRequest(what, format, batch, _flag(completed_only), _flag(info_only), _flag(zip))
    chunks = export_stream(project, spec)
    response = StreamingHttpResponse(
        chunks, content_type=CONTENT_TYPES["zip" if spec.zipped else spec.fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{file_name(project, spec)}"'
    response["Cache-Control"] = "no-store"
    return response


OPTION_KEYS = {"batch", "meta", "n_answers", "priority_0", "allow_duplicates", "format"}


def _ensure_manager(request, project: Project) -> None:
    user = api_user(request)
    if not access.may_manage(project, user):
        if not user.is_authenticated:
            raise Unauthorized("Only the project's owners may import tasks", target="project")
        raise Forbidden("Only the project's owners may import tasks", target="project")


def _options(data) -> dict:
    """Import options from form fields or a JSON body, validated into the job's stored shape."""
    meta = data.get("meta") or {}
    if isinstance(meta, str):
        try:
            meta = jsonlimits.loads(meta)
        except ValueError as exc:
            raise BadRequest("meta must be a JSON object") from exc
    if not isinstance(meta, dict):
        raise BadRequest("meta must be a JSON object")
    options = {
        "batch": data.get("batch") or None,
        "meta": [[str(k), str(v)] for k, v in meta.items()],
        "allow_duplicates": _flag(str(data.get("allow_duplicates") or "")),
    }
    for key, cast, target in (("n_answers", int, "n_answers"), ("priority_0", float, "priority")):
        if data.get(key) not in (None, ""):
            try:
                options[target] = cast(data.get(key))
            except (TypeError, ValueError) as exc:
                raise BadRequest(f"{key} must be a number") from exc
    if options.get("n_answers", 1) < 1:
        raise BadRequest("n_answers must be at least 1")
    fmt = data.get("format") or None
    if fmt is not None and fmt not in FORMATS:
        raise BadRequest(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    options["format"] = fmt
    return options


def _report(report) -> dict:
    return {
        "created": report.created,
        "duplicates": report.duplicates,
        "rows": report.rows,
        "batch": report.batch,
    }


@router.post("/project/{int:project_id}/import", summary="Bulk import tasks from a file or a URL")
def bulk_import(request, project_id: int):
    """Multipart ``file`` (JSON Lines, JSON, CSV, TSV, XLSX; plain/.gz/.bz2/.zip) or a JSON body
    ``{"type": "csv|gdocs|s3|iiif|url", "url": …}``; options ``batch``, ``meta`` (object),
    ``n_answers``, ``priority_0``, ``allow_duplicates``, ``format``. Small uploads are imported at
    once (200 with counts); larger ones and URL sources run as a job (202 with its status URL)."""
    from crowdfold.data.intake import import_upload, import_url
    from crowdfold.data.jobs import job_status

    project = _project(project_id)
    _ensure_manager(request, project)
    upload = request.FILES.get("file")
    if upload is not None:
        try:
            outcome = import_upload(project, api_user(request), upload, _options(request.POST))
        except SourceError as exc:
            raise BadRequest(str(exc), target="task") from exc
        if not isinstance(outcome, ImportJob):
            return JsonResponse(_report(outcome))
        record = outcome
    else:
        payload = parse_json_body(request)
        if not isinstance(payload, dict):
            raise BadRequest("give a file or a JSON object naming a source")
        options = _options(payload)
        spec = {k: v for k, v in payload.items() if k not in OPTION_KEYS}
        record = import_url(project, api_user(request), spec, options)
    body = job_status(record)
    body["status_url"] = f"/api/project/{project.pk}/import/{record.pk}"
    return JsonResponse(body, status=202)


@router.get(
    "/project/{int:project_id}/import/{int:job_id}", summary="Progress of a background import"
)
def import_status(request, project_id: int, job_id: int):
    from crowdfold.data.jobs import job_status

    project = _project(project_id)
    _ensure_manager(request, project)
    record = ImportJob.objects.filter(pk=job_id, project=project).first()
    if record is None:
        raise NotFound(f"404 Not Found: import job {job_id}", target="project")
    return JsonResponse(job_status(record))


@router.put(
    "/project/{int:project_id}/autoimporter", summary="Save the source re-imported periodically"
)
def put_autoimporter(request, project_id: int):
    from crowdfold.data.jobs import set_autoimporter

    project = _project(project_id)
    _ensure_manager(request, project)
    require_feature("autoimporter", api_user(request))
    payload = parse_json_body(request)
    if not isinstance(payload, dict):
        raise BadRequest("give a JSON object naming a URL source")
    spec = {k: v for k, v in payload.items() if k not in OPTION_KEYS}
    check_spec(spec)
    auto = set_autoimporter(project, spec, _options(payload))
    return JsonResponse({"source": auto.source, "last_run": None})


@router.get("/project/{int:project_id}/autoimporter", summary="The saved autoimporter source")
def get_autoimporter(request, project_id: int):
    from crowdfold.lib.timefmt import iso

    project = _project(project_id)
    _ensure_manager(request, project)
    require_feature("autoimporter", api_user(request))
    auto = AutoImporter.objects.filter(project=project).first()
    if auto is None:
        raise NotFound("this project has no autoimporter", target="project")
    return JsonResponse(
        {
            "source": auto.source,
            "last_run": iso(auto.last_run),
            "last_created": auto.last_created,
            "last_error": auto.last_error or None,
        }
    )


@router.delete("/project/{int:project_id}/autoimporter", summary="Stop re-importing")
def delete_autoimporter(request, project_id: int):
    project = _project(project_id)
    _ensure_manager(request, project)
    if not AutoImporter.objects.filter(project=project).delete()[0]:
        raise NotFound("this project has no autoimporter", target="project")
    return HttpResponse(status=204)
