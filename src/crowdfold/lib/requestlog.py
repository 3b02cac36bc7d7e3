"""One log line per request on the ``crowdfold.request`` logger (INFO), with method, path, status,
duration and user id as structured fields, so CROWDFOLD_LOG_FORMAT=json gives a searchable access log.
Free when INFO is off (the default level is WARNING)."""

from __future__ import annotations

import logging
import time

log = logging.getLogger("crowdfold.request")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not log.isEnabledFor(logging.INFO):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
