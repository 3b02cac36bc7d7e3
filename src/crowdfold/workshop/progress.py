"""Live progress of a project: a JSON endpoint to poll and a Server-Sent Events stream (when
``SSE`` is on). Both read two index-only counts cached for a few seconds, so a crowd watching a
project page costs the database at most one pair of counts per project every few seconds."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, JsonResponse, StreamingHttpResponse

from crowdfold.tasks.models import Task, TaskState
from crowdfold.workshop.access import owner_view, viewable_project

CACHE_SECONDS = 3
STREAM_INTERVAL = 3
STREAM_LIFETIME = 60  # the browser's EventSource reconnects on its own after we close
POLL_SECONDS = 5  # how often the project page polls when SSE is off


def project_progress(project_id: int) -> dict:
    key = f"crowdfold:progress:{project_id}"
    data = cache.get(key)
    if data is None:
        n_tasks = Task.objects.filter(project_id=project_id).count()
        ongoing = Task.objects.filter(project_id=project_id, state=TaskState.ONGOING).count()
        done = n_tasks - ongoing
        data = {
            "n_tasks": n_tasks,
            "n_completed_tasks": done,
            "overall_progress": done * 100 // n_tasks if n_tasks else 0,
        }
        cache.set(key, data, CACHE_SECONDS)
    return data


@owner_view
def progress(request, short_name: str):
    project = viewable_project(request, short_name)
    data = project_progress(project.pk)
    return JsonResponse({"short_name": project.short_name, "sse": settings.SSE, **data})


@owner_view
def progress_stream(request, short_name: str):
    if not settings.SSE:
        raise Http404("Server-Sent Events are off on this server (SSE); poll /progress instead")
    project = viewable_project(request, short_name)

    def events():
        deadline = time.monotonic() + STREAM_LIFETIME
        last = None
        yield f"retry: {int(STREAM_INTERVAL * 1000)}\n\n"
        while time.monotonic() < deadline:
            data = project_progress(project.pk)
            if data != last:
                yield f"event: progress\ndata: {json.dumps(data)}\n\n"
                last = data
            else:
                # A comment line: keeps proxies from timing the stream out, and lets us notice
                # a reader who left within one interval instead of at the end of the stream.
                yield ": still here\n\n"
            time.sleep(STREAM_INTERVAL)

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
