"""Every route of the site's URLconf, walked from the root resolver, with a concrete URL for each
(converters filled with values that exist in the security tests' world)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, "" when unnamed
    pattern: str  # the pattern as written, from the root
    view: object

    @property
    def csrf_exempt(self) -> bool:
        return bool(getattr(self.view, "csrf_exempt", False))

    def url(self, values: dict) -> str:
        path = _fill_regex_groups(self.pattern, values)
        path = _ROUTE_PARAM.sub(lambda m: str(values[m.group("name")]), path)
        return "/" + path.replace("^", "").replace("$", "")


def _fill_regex_groups(path: str, values: dict) -> str:
    """Replace each ``(?P<name>…)`` group (brackets inside included) by its value."""
    while match := _REGEX_PARAM.search(path):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(path[end], 0)
            end += 1
        path = path[: match.start()] + str(values[match.group("name")]) + path[end:]
    return path


def routes() -> list[Route]:
    return list(_walk(get_resolver(), "", ""))


def _walk(resolver: URLResolver, prefix: str, namespace: str):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = namespace + entry.name if entry.name else ""
            yield Route(name, prefix + str(entry.pattern), entry.callback)


def sample_values(world) -> dict:
    """A value for every path parameter the URLconf uses, naming rows of ``world``."""
    return {
        "short_name": world.project.short_name,
        "project_ref": world.project.short_name,
        "project_id": world.project.pk,
        "oid": world.project.pk,
        "delivery_id": world.delivery.pk,
        "job_id": world.job.pk,
        "task_id": world.task.pk,
        "material_id": world.material.pk,
        "post_id": world.post.pk,
        "name": world.user("owner").username,
        "page": 1,
        "window": 7,
        "token": "not-a-token",
        "path": "avatars/none.png",
        "key": "not-a-key",
        "uidb36": "1",
        "content_type_id": "1",
        "object_id": str(world.project.pk),
        "id": str(world.user("owner").pk),
        "app_label": "projects",
        "lang": "en",
        "url": "nowhere/",
    }
