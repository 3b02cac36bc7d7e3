"""URL importers, by the ``type`` the API, jobs and the autoimporter name them.

A source description is a dict: ``{"type": "csv", "url": …}``, ``{"type": "gdocs", "url": …}``,
``{"type": "s3", "url": <bucket endpoint>, "prefix": …}``, ``{"type": "iiif", "url": <manifest>}``,
or ``{"type": "url", "url": …, "format": …}`` for any file format the file importers read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.utils.translation import gettext_noop

from crowdfold.data.importers.base import Source, SourceError
from crowdfold.data.importers.files import StreamSource
from crowdfold.data.importers.iiif import IIIFSource
from crowdfold.data.importers.net import CountingReader, get
from crowdfold.data.importers.registry import FORMATS, format_of
from crowdfold.data.importers.s3 import S3Source
from crowdfold.lib.i18n import Message

_GDOCS_NEW = re.compile(r"^https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)")
_CONTENT_TYPES = {
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
}


class UrlFileSource:
    """A file fetched over HTTP, streamed through the file readers (format from ``fmt``, the URL's
    name or the Content-Type)."""

    def __init__(self, url: str, fmt: str | None = None):
        self.url = url
        self.name = url
        self.fmt = fmt
        self.reader: CountingReader | None = None
        self.size: int | None = None

    def progress(self) -> tuple[int, int | None]:
        return (self.reader.count if self.reader else 0), self.size

    def rows(self):
        response = get(self.url)
        self.size = int(response.headers.get("Content-Length") or 0) or None
        self.reader = CountingReader(response)
        fmt = self.fmt or self._guess(response)
        try:
            yield from StreamSource(self.reader, urlsplit(self.url).path or "download", fmt).rows()
        except SourceError as exc:
            exc.where = (
                self.url if exc.where and exc.where.startswith("/") or not exc.where else exc.where
            )
            raise
        finally:
            self.reader.close()

    def _guess(self, response) -> str:
        try:
            return format_of(urlsplit(self.url).path)
        except SourceError:
            ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if ctype in _CONTENT_TYPES:
                return _CONTENT_TYPES[ctype]
            response.close()
            raise SourceError(
                Message(gettext_noop("cannot tell the format; give it explicitly")), where=self.url
            ) from None


def gdocs_csv_url(url: str) -> str:
    """A Google Sheets link -> its CSV export URL (PYBOSSA's rules)."""
    match = _GDOCS_NEW.match(url)
    if match:
        gid = re.search(r"[#&?]gid=(\d+)", url)
        return f"https://docs.google.com/spreadsheets/d/{match.group(1)}/export?format=csv" + (
            f"&gid={gid.group(1)}" if gid else ""
        )
    if "ccc?key=" in url and "output=csv" not in url:
        return url + "&output=csv"
    return url


def _need_url(spec: dict) -> str:
    url = spec.get("url")
    if not isinstance(url, str) or not url.strip():
        raise SourceError(Message(gettext_noop("a url is required")))
    return url.strip()


URL_IMPORTERS: dict[str, Callable[[dict], Source]] = {
    "csv": lambda spec: UrlFileSource(_need_url(spec), "csv"),
    "gdocs": lambda spec: UrlFileSource(gdocs_csv_url(_need_url(spec)), "csv"),
    "url": lambda spec: UrlFileSource(_need_url(spec), spec.get("format") or None),
    "s3": lambda spec: S3Source(_need_url(spec), str(spec.get("prefix") or "")),
    "iiif": lambda spec: IIIFSource(_need_url(spec)),
}


def source_from_spec(spec: dict) -> Source:
    kind = spec.get("type") if isinstance(spec, dict) else None
    if kind not in URL_IMPORTERS:
        raise SourceError(
            Message(
                gettext_noop("unknown importer type %(kind)r (known: %(known)s)"),
                kind=kind,
                known=", ".join(URL_IMPORTERS),
            )
        )
    fmt = spec.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise SourceError(
            Message(
                gettext_noop("unknown format %(format)r (known: %(known)s)"),
                format=fmt,
                known=", ".join(FORMATS),
            )
        )
    return URL_IMPORTERS[kind](spec)
