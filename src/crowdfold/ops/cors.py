"""CORS for the API, configured like PYBOSSA's Flask-CORS ``CORS_RESOURCES``.

``CORS_RESOURCES`` maps a path regex (matched at the start of the path, as Flask-CORS does) to
options: ``origins`` ("*", a list of origins, or regexes), ``methods``, ``allow_headers``,
``expose_headers``, ``supports_credentials``, ``max_age``. A preflight ``OPTIONS`` on a matching
path is answered here, before authentication and CSRF, with no body.
"""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from django.http import HttpResponse

DEFAULT_METHODS = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"]


@cache
def _compiled(resources_key: str):
    import json

    compiled = []
    for pattern, options in json.loads(resources_key).items():
        compiled.append((re.compile(pattern), options))
    return compiled


def _resource_for(path: str) -> dict | None:
    import json

    for regex, options in _compiled(json.dumps(settings.CORS_RESOURCES, sort_keys=True)):
        if regex.match(path):
            return options
    return None


def _origin_allowed(origin: str, allowed) -> bool:
    if allowed in ("*", None):
        return True
    if isinstance(allowed, str):
        allowed = [allowed]
    return any(o == "*" or o == origin or re.fullmatch(o, origin) for o in allowed)


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _allow_origin_headers(response, origin: str, options: dict) -> None:
    credentials = bool(options.get("supports_credentials"))
    if options.get("origins", "*") == "*" and not credentials:
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "Origin"]))
    if credentials:
        response["Access-Control-Allow-Credentials"] = "true"


def _preflight(request, origin: str, options: dict) -> HttpResponse:
    response = HttpResponse(status=200)
    response["Content-Length"] = "0"
    _allow_origin_headers(response, origin, options)
    methods = [m.upper() for m in _as_list(options.get("methods")) or DEFAULT_METHODS]
    response["Access-Control-Allow-Methods"] = ", ".join(methods)
    requested = request.headers.get("Access-Control-Request-Headers", "")
    wanted = [h.strip() for h in requested.split(",") if h.strip()]
    allowed = _as_list(options.get("allow_headers", "*"))
    if "*" in allowed:
        granted = wanted
    else:
        lowered = {h.lower() for h in allowed}
        granted = [h for h in wanted if h.lower() in lowered]
    if granted:
        response["Access-Control-Allow-Headers"] = ", ".join(granted)
    if options.get("max_age") is not None:
        response["Access-Control-Max-Age"] = str(int(options["max_age"]))
    return response


class CorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = request.headers.get("Origin")
        options = _resource_for(request.path_info) if origin else None
        if options is None or not _origin_allowed(origin, options.get("origins", "*")):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return _preflight(request, origin, options)
        response = self.get_response(request)
        _allow_origin_headers(response, origin, options)
        exposed = _as_list(options.get("expose_headers"))
        if exposed:
            response["Access-Control-Expose-Headers"] = ", ".join(exposed)
        return response
