"""Edge rules of the ``/api`` surface that hold for every endpoint.

HEAD works wherever GET does (pbs probes ``HEAD /api/task`` for rate-limit headers): the request is
served as a GET and the body dropped, keeping the headers.
"""

from __future__ import annotations

API_PREFIX = "/api/"


class ApiHeadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD"
        if not getattr(response, "streaming", False):
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
