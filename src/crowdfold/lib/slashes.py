"""PYBOSSA's STRICT_SLASHES=False: a URL with a trailing slash also reaches the route without one.

Django's APPEND_SLASH already sends ``/about`` to ``/about/``; this handles the other direction, and
only for paths that would otherwise be a 404. 308 keeps the method and body, so API clients that
POST to ``/api/taskrun/`` still land on ``/api/taskrun``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import get_urlconf
from django.urls.base import is_valid_path


class HttpResponsePermanentRedirectKeepMethod(HttpResponsePermanentRedirect):
    status_code = 308


class TrailingSlashMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or settings.STRICT_SLASHES:
            return response
        path = request.path_info
        if len(path) > 1 and path.endswith("/") and is_valid_path(path.rstrip("/"), get_urlconf()):
            target = request.get_full_path(force_append_slash=False)
            base, _, query = target.partition("?")
            return HttpResponsePermanentRedirectKeepMethod(
                base.rstrip("/") + (f"?{query}" if query else "")
            )
        return response
