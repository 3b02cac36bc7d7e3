"""An S3 bucket listing: one task per object (PYBOSSA's ``s3`` importer, listing the bucket itself).

Reads ``ListObjectsV2`` pages (``?list-type=2``, following ``NextContinuationToken``) from the
bucket's endpoint, e.g. ``https://<bucket>.s3.amazonaws.com`` or a path-style
``https://s3.<region>.amazonaws.com/<bucket>``. Each object becomes ``{filename, url, link}`` plus
the media keys its extension implies (``url_m``/``url_b``/``title``, ``video_url``, ...).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import quote, urlencode

from django.utils.translation import gettext_noop

from crowdfold.data.importers.base import SourceError
from crowdfold.data.importers.media import media_info
from crowdfold.data.importers.net import get_document
from crowdfold.lib.i18n import Message

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
MAX_PAGES = 10_000


class S3Source:
    def __init__(self, bucket_url: str, prefix: str = ""):
        self.base = bucket_url.rstrip("/")
        self.prefix = prefix
        self.name = self.base + ("/" + prefix if prefix else "")
        self.objects = 0

    def progress(self) -> tuple[int, int | None]:
        return self.objects, None

    def rows(self) -> Iterator[tuple[int, dict]]:
        token = None
        for _ in range(MAX_PAGES):
            params = {"list-type": "2", "prefix": self.prefix}
            if token:
                params["continuation-token"] = token
            keys, token = self._page(f"{self.base}/?{urlencode(params)}")
            for key in keys:
                self.objects += 1
                url = f"{self.base}/{quote(key)}"
                yield self.objects, media_info(key.rsplit("/", 1)[-1], url)
            if not token:
                return
        raise SourceError(Message(gettext_noop("the listing has too many pages")), where=self.name)

    def _page(self, url: str) -> tuple[list[str], str | None]:
        try:
            root = ET.fromstring(get_document(url))
        except ET.ParseError as exc:
            raise SourceError(
                Message(gettext_noop("not an S3 bucket listing (%(problem)s)"), problem=exc),
                where=self.name,
            ) from exc
        if root.tag != f"{NS}ListBucketResult":
            raise SourceError(
                Message(gettext_noop("not an S3 bucket listing (no ListBucketResult)")),
                where=self.name,
            )
        keys = [el.findtext(f"{NS}Key") or "" for el in root.findall(f"{NS}Contents")]
        truncated = (root.findtext(f"{NS}IsTruncated") or "").lower() == "true"
        token = root.findtext(f"{NS}NextContinuationToken") if truncated else None
        return [k for k in keys if k and not k.endswith("/")], token
