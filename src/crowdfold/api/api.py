"""The ``/api`` surface: one NinjaAPI, PYBOSSA's error shape for every failure, routers per domain."""

from __future__ import annotations

import logging

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from crowdfold import __version__
from crowdfold.api.errors import domain_error_response, error_response, unavailable_response
from crowdfold.api.openapi import add_error_responses
from crowdfold.lib.errors import DomainError
from crowdfold.lib.unavailable import is_unavailable, log_unavailable

log = logging.getLogger(__name__)
request_log = logging.getLogger("django.request")


class CrowdfoldAPI(NinjaAPI):
    """Ninja's API with the response documentation it cannot infer (see ``api/openapi.py``)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return add_error_responses(schema)


api = CrowdfoldAPI(
    title="Crowdfold API",
    version=__version__,
    description=(
        "PYBOSSA-compatible REST API. Authenticate with `?api_key=KEY` or a raw-key "
        "`Authorization: KEY` header; errors use PYBOSSA's JSON error shape."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return domain_error_response(request, exc)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    details = "; ".join(
        f"{'.'.join(str(p) for p in err.get('loc', []))}: {err.get('msg')}" for err in exc.errors
    )
    return error_response(request, 415, "DataError", details or "Invalid request")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    names = {
        400: "BadRequest",
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        405: "MethodNotAllowed",
    }
    return error_response(
        request, exc.status_code, names.get(exc.status_code, "HTTPError"), str(exc)
    )


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request, exc: MultiPartParserError):
    # e.g. multipart/form-data without a boundary: the client's mistake, not ours.
    return error_response(request, 400, "BadRequest", f"Malformed multipart body: {exc}")


@api.exception_handler(SuspiciousOperation)
def _suspicious(request, exc: SuspiciousOperation):
    # Too many fields, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a bad Host: Django answers 400.
    return error_response(request, 400, "BadRequest", str(exc) or "Bad request")


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    if is_unavailable(exc):  # the database or Redis is away: a retryable 503, not a bug
        log_unavailable(log, request, exc)
        return unavailable_response(request)
    # Logged on django.request with the request, so Django's AdminEmailHandler mails ADMINS the
    # traceback as it does for the site's pages.
    request_log.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    response = error_response(request, 500, "InternalServerError", "Internal server error")
    response._has_been_logged = True  # Django would log it again, without the traceback
    return response


@api.get("/", include_in_schema=False)
def api_root(request):
    from django.conf import settings

    return HttpResponse(f"The {settings.BRAND} API", content_type="text/plain")


def _register_routers() -> None:
    from crowdfold.api import contribute, special
    from crowdfold.api.resources import RESOURCES
    from crowdfold.api.resources.base import build_router

    api.add_router("", contribute.router)
    from crowdfold.ops.api import router as ops_router

    api.add_router("", ops_router)
    from crowdfold.data import api as data_api

    api.add_router("", data_api.router)
    api.add_router("", special.router)
    for resource in RESOURCES:
        api.add_router("", build_router(resource))


_register_routers()
