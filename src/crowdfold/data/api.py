"""API endpoints for bulk import and streamed export (``/api/project/<id>/import|export``)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from ninja import Router

from crowdfold.api.auth import api_user
from crowdfold.data import access
from crowdfold.data.exports import ExportRequest, export_stream, file_name
from crowdfold.lib.errors import NotFound
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
