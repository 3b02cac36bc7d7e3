"""Pages of the ops app: the unsubscribe link of notification mails, and local uploads."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.static import serve

from crowdfold.ops.mail import unsubscribe


def unsubscribe_view(request, token: str):
    """GET shows a confirmation button; POST (or a mail client's one-click POST) unsubscribes."""
    if request.method == "POST":
        user = unsubscribe(token)
        if user is None:
            return HttpResponse(
                "This unsubscribe link is not valid.", status=400, content_type="text/plain"
            )
        return HttpResponse(
            "You will not get notification mails any more.", content_type="text/plain"
        )
    return HttpResponse(
        '<!doctype html><form method="post"><button type="submit">Unsubscribe</button></form>',
        content_type="text/html",
    )


def upload_view(request, path: str):
    """Serve the local upload folder (UPLOAD_METHOD=local); object storage serves its own URLs."""
    if settings.UPLOAD_METHOD != "local":
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Uploaded files are data, never a page: opened directly they run nothing and reach nothing.
    response["Content-Security-Policy"] = UPLOAD_POLICY
    return response


UPLOAD_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
