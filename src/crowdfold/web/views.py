"""Thin web views: parse, authorize, call a service, render."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.defaults import server_error as django_server_error
from django.views.i18n import JavaScriptCatalog

from crowdfold.api.errors import error_response, unavailable_response
from crowdfold.lib.unavailable import MESSAGE, is_unavailable, log_unavailable, retry_after

log = logging.getLogger(__name__)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response(request, 404, "NotFound", f"404 Not Found: {request.path}")
    return HttpResponseNotFound(render(request, "web/404.html").content)


# Only our own catalogue (LOCALE_PATHS, djangojs domain), not every installed app's.
_catalog_view = JavaScriptCatalog.as_view(packages=["crowdfold.web"])


def js_catalog(request, lang: str):
    """The interface strings of our scripts in one language (``/jsi18n/<lang>.js``). The language is
    in the address, not taken from the request, so the sandboxed presenter frame (no cookies) can
    load it too and caches never mix two languages."""
    if lang not in {code for code, _name in settings.LANGUAGES}:
        raise Http404("No such language")
    with translation.override(lang):
        response = _catalog_view(request)
    patch_cache_control(response, public=True, max_age=3600)
    return response


def server_error(request):
    """handler500: also reached by errors raised in middleware (sessions, authentication). When
    the database or Redis is away the answer is a retryable 503 (no template, no query: nothing
    here may need the service that failed); otherwise Django's 500 page, or PYBOSSA's JSON under
    /api/."""
    exc = sys.exc_info()[1]
    if is_unavailable(exc):
        log_unavailable(log, request, exc)
        if request.path.startswith("/api/"):
            return unavailable_response(request)
        seconds = retry_after()
        page = f"<!doctype html><title>503</title><h1>{MESSAGE}</h1><p>Retry in {seconds} s.</p>"
        response = HttpResponse(page, status=503, headers={"Retry-After": str(seconds)})
        response._has_been_logged = True
        return response
    if request.path.startswith("/api/"):
        return error_response(request, 500, "InternalServerError", "Internal server error")
    return django_server_error(request)
