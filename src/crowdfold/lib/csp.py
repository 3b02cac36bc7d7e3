"""The site's Content-Security-Policy: every HTML page gets one unless its view set its own (the
presenter and tutorial frames do, see ``web/frames.py``).

Our templates load scripts only from our static files and the translation catalogues, so scripts
come from those paths only (not from ``/uploads/``, where owners may put ``.js`` files) plus a
per-request nonce for what an operator adds by hand (``CROWDFOLD_ANALYTICS_SNIPPET`` and a theme's
``custom/_ga.html`` get it as ``{{ CSP_NONCE }}``; the snippet's ``<script>`` tags are given it
automatically). Inline ``style`` attributes are allowed (progress bars, chart legends, Django admin
and Swagger UI set them); pictures may come from anywhere (avatars and thumbnails on a CDN, images in
owners' Markdown). ``CROWDFOLD_CSP_SOURCES`` adds hosts to scripts, styles, fonts, connections and
frames, e.g. an analytics service. Pages may be framed only by this site when the view allows it
(``X-Frame-Options: SAMEORIGIN``), never by others.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import DisallowedHost

from crowdfold.lib.pagesonly import serves_pages

HEADER = "Content-Security-Policy"
_SCRIPT_TAG = re.compile(r"<script\b(?![^>]*\bnonce=)", re.IGNORECASE)


# Where our pages' scripts live, besides STATIC_URL: the translation catalogues served by views.
SCRIPT_PATHS = ("/jsi18n/", "/admin/jsi18n/")


def script_sources(request) -> list[str]:
    """The site's script locations as absolute sources (a CSP path needs its host)."""
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return ["'self'"]
    static = settings.STATIC_URL
    return [static if "://" in static else origin + static] + [origin + p for p in SCRIPT_PATHS]


def site_policy(
    nonce: str, *, framed_by_self: bool = False, scripts: list[str] | None = None
) -> str:
    extra = list(settings.CSP_SOURCES)

    def directive(name: str, *sources: str) -> str:
        return " ".join([name, *sources, *extra])

    # Social sign-in posts a form that redirects to the provider; Chromium checks form-action
    # against redirects too.
    form_targets = ["'self'", "https:"] if settings.SOCIALACCOUNT_PROVIDERS else ["'self'"]
    return "; ".join(
        [
            "default-src 'self'",
            directive("script-src", *(scripts or ["'self'"]), f"'nonce-{nonce}'"),
            directive("style-src", "'self'", "'unsafe-inline'"),
            "img-src * data: blob:",
            directive("font-src", "'self'", "data:"),
            directive("connect-src", "'self'"),
            directive("frame-src", "'self'"),
            "frame-ancestors 'self'" if framed_by_self else "frame-ancestors 'none'",
            "form-action " + " ".join(form_targets),
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


def with_nonce(html: str, nonce: str) -> str:
    """Give every ``<script`` tag of an operator's snippet the page's nonce."""
    return _SCRIPT_TAG.sub(f'<script nonce="{nonce}"', html) if html else html


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The API's JSON renders no template that would use a nonce: it gets one only if an HTML
        # answer (an error page) comes back after all.
        if serves_pages(request.path):
            request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if HEADER not in response and content_type.startswith("text/html"):
            if not hasattr(request, "csp_nonce"):
                request.csp_nonce = secrets.token_urlsafe(16)
            framed = response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
            response[HEADER] = site_policy(
                request.csp_nonce, framed_by_self=framed, scripts=script_sources(request)
            )
        return response
