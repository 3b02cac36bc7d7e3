"""Thin web views: parse, authorize, call a service, render."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseNotFound
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.i18n import JavaScriptCatalog

from crowdfold.api.errors import error_response


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
