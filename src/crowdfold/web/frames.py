"""Serving a project's own HTML (task presenter, tutorial) inside a sandboxed frame (design note:
sandbox.md beside this file).

The owner's code runs in ``<iframe sandbox="allow-scripts">`` without ``allow-same-origin``, so its
document has an opaque origin: it cannot read the site's cookies or storage, cannot script the
page around it, and its requests carry no session. The frame's runtime (``static/crowdfold/
pybossa.js``) reaches the API only through ``postMessage`` to the page's bridge (``bridge.js``),
which performs a short whitelist of calls for the current project.

The frame's own response repeats the sandbox in its Content-Security-Policy, so opening the frame's
URL directly (outside our iframe) still runs the owner's code in an opaque origin.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from crowdfold.lib.timefmt import iso
from crowdfold.projects.models import Project
from crowdfold.projects.public import public_project_info


def frame_csp() -> str:
    """The policy of a frame. The sandbox is what isolates the owner's code; the source lists only
    keep it off plugins, plain http and form posts, and let stock presenters load their libraries
    and pictures from https hosts (``CROWDFOLD_PRESENTER_SOURCES``, default ``https:``)."""
    extra = list(settings.PRESENTER_SOURCES)

    def directive(name: str, *sources: str) -> str:
        return " ".join([name, *sources, *extra])

    return "; ".join(
        [
            "sandbox allow-scripts",
            "default-src 'none'",
            directive("script-src", "'self'", "'unsafe-inline'", "'unsafe-eval'"),
            directive("style-src", "'self'", "'unsafe-inline'"),
            directive("img-src", "'self'", "data:", "blob:", *filter(None, [tile_source()])),
            directive("media-src", "'self'", "data:", "blob:"),
            directive("font-src", "'self'", "data:"),
            directive("connect-src", "'self'"),
            directive("frame-src") if extra else "frame-src 'none'",
            "form-action 'none'",
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'self'",
        ]
    )


def user_locale(request) -> str:
    """The page's language (cookie, then profile, then browser: see accounts.middleware), which
    presenters read from ``#PYBOSSA_USER_LOCALE``."""
    return getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE


def presenter_settings() -> dict:
    """Server settings stock presenters read as ``pybossa.settings`` (the map template's tiles)."""
    return {
        "mapTileUrl": settings.MAP_TILE_URL,
        "mapTileAttribution": settings.MAP_TILE_ATTRIBUTION,
    }


def tile_source() -> str | None:
    """The CSP source of the map tile server, ``{s}`` subdomains as a wildcard."""
    parts = urlsplit(settings.MAP_TILE_URL)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def render_frame(request, project: Project, content: str, config: dict):
    """The sandboxed document: our runtime and the libraries stock presenters expect, then the
    owner's HTML as is (PYBOSSA injects it unescaped, and presenters carry their own scripts)."""
    config = {**config, "settings": presenter_settings()}
    locale = user_locale(request)
    response = render(
        request,
        "web/project/frame.html",
        {"project": project, "content": content, "locale": locale, "frame_config": config},
    )
    response["Content-Security-Policy"] = frame_csp()
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "no-store"
    return response


def public_project(project: Project) -> dict:
    """What the presenter learns about its project (pybossa.js' ``GET /api/project?short_name=``):
    public columns only, ``info`` limited to PROJECT_INFO_PUBLIC_FIELDS."""
    return {
        "id": project.pk,
        "short_name": project.short_name,
        "name": project.name,
        "description": project.description,
        "long_description": project.long_description,
        "category_id": project.category_id,
        "owner_id": project.owner_id,
        "published": project.published,
        "featured": project.featured,
        "allow_anonymous_contributors": project.allow_anonymous_contributors,
        "created": iso(project.created),
        "updated": iso(project.updated),
        "info": public_project_info(project),
    }


FRAMES = {
    "presenter": "web:presenter_frame",
    "tutorial": "web:tutorial_frame",
    "preview": "workshop:presenter-preview",  # the editor's preview: answers are not stored
}


def bridge_config(
    project: Project, *, mode: str, task: dict | None = None, preview_tasks: list | None = None
) -> dict:
    """What the page's bridge needs: the project, the task the URL names, where things live."""
    sn = project.short_name
    frame_url = reverse(FRAMES[mode], args=[sn])
    return {
        "mode": mode,
        "project": public_project(project),
        "task": task,
        "previewTasks": preview_tasks or [],
        "frameUrl": frame_url,
        # Paths whose files the frame may ask the page to read for it (pybossa.fetchFile).
        "filePrefixes": [p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p.startswith("/")],
        "apiRoot": "/api/",
        "urls": {
            "project": reverse("web:project", args=[sn]),
            "newtask": reverse("web:newtask", args=[sn]),
            "taskPrefix": reverse("web:newtask", args=[sn]).rsplit("newtask", 1)[0] + "task/",
        },
    }
