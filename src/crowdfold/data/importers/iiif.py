"""A IIIF Presentation manifest (2.x or 3.0): one task per image of each canvas (PYBOSSA's ``iiif``).

Info keys as PYBOSSA: ``tileSource`` (``<image service>/info.json``), ``target`` (the canvas id),
``manifest``, ``link`` (Universal Viewer at that canvas), and ``url`` / ``url_m`` / ``url_b`` (the
IIIF Image API at full size, 240 and 1024 pixels wide).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from django.utils.translation import gettext_noop

from crowdfold.data.importers.base import SourceError
from crowdfold.data.importers.net import get_document
from crowdfold.lib import jsonlimits
from crowdfold.lib.i18n import Message

VIEWER = "https://universalviewer.io/uv.html?manifest={manifest}#?cv={index}"


def _id(node) -> str | None:
    if isinstance(node, dict):
        return node.get("@id") or node.get("id")
    if isinstance(node, str):
        return node
    return None


def _service(node) -> str | None:
    service = node.get("service") if isinstance(node, dict) else None
    if isinstance(service, list):
        service = service[0] if service else None
    sid = _id(service)
    return sid.rstrip("/") if sid else None


def _v2_images(manifest: dict) -> Iterator[tuple[int, str, str]]:
    sequences = manifest.get("sequences") or []
    canvases = (
        sequences[0].get("canvases") if sequences and isinstance(sequences[0], dict) else None
    ) or []
    for index, canvas in enumerate(canvases):
        for image in canvas.get("images") or []:
            service = _service(image.get("resource") or {})
            if service:
                yield index, _id(canvas) or "", service


def _v3_images(manifest: dict) -> Iterator[tuple[int, str, str]]:
    for index, canvas in enumerate(manifest.get("items") or []):
        for page in canvas.get("items") or []:
            for annotation in page.get("items") or []:
                body = annotation.get("body") or {}
                for part in body if isinstance(body, list) else [body]:
                    service = _service(part)
                    if service:
                        yield index, _id(canvas) or "", service


class IIIFSource:
    def __init__(self, manifest_url: str):
        self.manifest_url = manifest_url
        self.name = manifest_url
        self.done = 0

    def progress(self) -> tuple[int, int | None]:
        return self.done, None

    def rows(self) -> Iterator[tuple[int, dict]]:
        try:
            manifest = jsonlimits.loads(get_document(self.manifest_url))
        except (ValueError, UnicodeDecodeError) as exc:
            raise SourceError(
                Message(gettext_noop("the manifest is not valid JSON")), where=self.name
            ) from exc
        if not isinstance(manifest, dict):
            raise SourceError(
                Message(gettext_noop("the manifest is not a JSON object")), where=self.name
            )
        images = _v3_images(manifest) if manifest.get("items") else _v2_images(manifest)
        for index, canvas_id, service in images:
            self.done += 1
            yield (
                index + 1,
                {
                    "tileSource": f"{service}/info.json",
                    "target": canvas_id,
                    "manifest": self.manifest_url,
                    "link": VIEWER.format(manifest=quote(self.manifest_url, safe=""), index=index),
                    "url": f"{service}/full/max/0/default.jpg",
                    "url_m": f"{service}/full/240,/0/default.jpg",
                    "url_b": f"{service}/full/1024,/0/default.jpg",
                },
            )
        if self.done == 0:
            raise SourceError(
                Message(gettext_noop("the manifest lists no canvas images")), where=self.name
            )
