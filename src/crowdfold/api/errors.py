"""PYBOSSA's error JSON: ``{"status": "failed", "status_code", "action", "target", "exception_cls",
"exception_msg"}``. pbclient parses every non-2xx body as JSON and pbs reads ``exception_cls``."""

from __future__ import annotations

import logging
import re

from django.http import HttpResponse, JsonResponse

from crowdfold.lib import jsonlimits
from crowdfold.lib.errors import DomainError

log = logging.getLogger(__name__)
_TARGET = re.compile(r"^/api/(?:auth/)?([a-z_]+)")


def target_of(request) -> str:
    match = _TARGET.match(request.path)
    return match.group(1) if match else "api"


def error_response(
    request,
    status: int,
    exception_cls: str,
    message: str,
    *,
    target: str | None = None,
    headers: dict | None = None,
) -> HttpResponse:
    body = {
        "status": "failed",
        "status_code": status,
        "action": request.method,
        "target": target or target_of(request),
        "exception_cls": exception_cls,
        "exception_msg": message,
    }
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def unavailable_response(request) -> HttpResponse:
    """503 + Retry-After in PYBOSSA's shape: the database or Redis is away, retry shortly."""
    from crowdfold.lib.unavailable import MESSAGE, retry_after

    seconds = retry_after()
    response = error_response(
        request, 503, "ServiceUnavailable", MESSAGE, headers={"Retry-After": str(seconds)}
    )
    response._has_been_logged = True  # already logged as a warning, not an error
    return response


def domain_error_response(request, exc: DomainError) -> HttpResponse:
    return error_response(
        request, exc.status_code, exc.exception_cls, exc.message, target=exc.target
    )


def parse_json_body(request):
    """PYBOSSA parses the raw body as JSON whatever the Content-Type says."""
    from crowdfold.lib.errors import InvalidValue

    raw = request.body
    if not raw:
        return {}
    try:
        return jsonlimits.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidValue(f"Invalid JSON: {exc}") from exc
