"""Owner endpoints for webhook deliveries: ``/api/project/<id>/webhooks``."""

from __future__ import annotations

from django.http import JsonResponse
from ninja import Router

from crowdfold.api.auth import api_user
from crowdfold.lib.errors import BadRequest, Forbidden, NotFound, Unauthorized
from crowdfold.lib.features import require_feature
from crowdfold.lib.timefmt import iso
from crowdfold.ops import webhooks
from crowdfold.ops.models import DeliveryStatus, WebhookDelivery
from crowdfold.projects.models import Project

router = Router(tags=["webhooks"])
PAGE = 100


def _managed_project(request, project_id: int) -> Project:
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(f"404 Not Found: project {project_id}", target="project")
    user = api_user(request)
    if not user.is_authenticated:
        raise Unauthorized("You must sign in to see webhooks", target="project")
    if not (user.is_superuser or project.is_owned_by(user)):
        raise Forbidden("Only the project's owners can see its webhooks", target="project")
    require_feature("webhooks", user)
    return project


def delivery_dict(d: WebhookDelivery) -> dict:
    return {
        "id": d.pk,
        "created": iso(d.created),
        "updated": iso(d.updated),
        "project_id": d.project_id,
        "url": d.url,
        "payload": d.payload,
        "status": d.status,
        "response_status_code": d.response_status_code,
        "response": d.response,
        "attempts": d.attempts,
    }


@router.get("/project/{int:project_id}/webhooks", summary="List a project's webhook deliveries")
def list_webhooks(request, project_id: int, status: str | None = None, offset: int = 0):
    project = _managed_project(request, project_id)
    if status and status not in DeliveryStatus.values:
        raise BadRequest(f"status must be one of {', '.join(DeliveryStatus.values)}")
    if offset < 0:
        raise BadRequest("offset must not be negative")
    rows = webhooks.deliveries(project, status)[offset : offset + PAGE]
    return JsonResponse([delivery_dict(d) for d in rows], safe=False)


@router.get("/project/{int:project_id}/webhooks/{int:delivery_id}", summary="One delivery")
def show_webhook(request, project_id: int, delivery_id: int):
    project = _managed_project(request, project_id)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, project=project).first()
    if delivery is None:
        raise NotFound(f"404 Not Found: webhook {delivery_id}", target="webhook")
    body = delivery_dict(delivery)
    body["attempt_log"] = [
        {
            "started": iso(a.started),
            "rerun": a.rerun,
            "status_code": a.status_code,
            "response": a.response,
            "ok": a.ok,
        }
        for a in delivery.attempt_log.all()
    ]
    return JsonResponse(body)


@router.post("/project/{int:project_id}/webhooks/{int:delivery_id}", summary="Re-send one delivery")
def resend_webhook(request, project_id: int, delivery_id: int):
    project = _managed_project(request, project_id)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, project=project).first()
    if delivery is None:
        raise NotFound(f"404 Not Found: webhook {delivery_id}", target="webhook")
    webhooks.resend(delivery)
    return JsonResponse({"queued": 1})


@router.post(
    "/project/{int:project_id}/webhooks", summary="Re-send all (?all=1) or failed (?failed=1)"
)
def resend_webhooks(request, project_id: int, all: int = 0, failed: int = 0):
    project = _managed_project(request, project_id)
    if not (all or failed):
        raise BadRequest("Say which deliveries to re-send: ?all=1 or ?failed=1")
    return JsonResponse({"queued": webhooks.resend_many(project, failed_only=not all)})
