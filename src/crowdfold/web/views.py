"""Thin web views: parse, authorize, call a service, render."""

from __future__ import annotations

from django.http import HttpResponseNotFound
from django.shortcuts import render

from crowdfold.api.errors import error_response


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return error_response(request, 404, "NotFound", f"404 Not Found: {request.path}")
    return HttpResponseNotFound(render(request, "web/404.html").content)
