"""Fetching importer input over HTTP: only through lib/urlsafety (private addresses refused, also
after redirects, unless ``CROWDFOLD_ALLOW_PRIVATE_URLS``), streamed, with a byte count for progress."""

from __future__ import annotations

import io

import requests
from django.utils.translation import gettext_noop

from crowdfold.data.importers.base import SourceError
from crowdfold.lib.i18n import Message
from crowdfold.lib.urlsafety import UnsafeURL, check_url, safe_request

TIMEOUT = (10, 60)
MAX_DOCUMENT = 32 << 20  # manifests and listings are read whole; refuse anything larger


class CountingReader(io.RawIOBase):
    """A raw stream over a response body that counts the bytes handed out."""

    def __init__(self, response: requests.Response):
        self.response = response
        self.raw = response.raw
        self.raw.decode_content = True
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n

    def close(self) -> None:
        self.response.close()
        super().close()


def get(url: str, *, stream: bool = True) -> requests.Response:
    """GET ``url`` safely; a clear ``SourceError`` for refusals, network errors and HTTP errors."""
    try:
        check_url(url)
        response = safe_request("GET", url, stream=stream, timeout=TIMEOUT)
    except UnsafeURL as exc:
        raise SourceError(
            Message(gettext_noop("refused: %(problem)s"), problem=exc), where=url
        ) from exc
    except requests.RequestException as exc:
        raise SourceError(
            Message(gettext_noop("cannot fetch: %(problem)s"), problem=exc.__class__.__name__),
            where=url,
        ) from exc
    if response.status_code in (401, 403):
        response.close()
        raise SourceError(
            Message(
                gettext_noop("permission denied (HTTP %(status)s); is it shared publicly?"),
                status=response.status_code,
            ),
            where=url,
        )
    if response.status_code >= 400:
        response.close()
        raise SourceError(
            Message(
                gettext_noop("the server answered HTTP %(status)s"), status=response.status_code
            ),
            where=url,
        )
    return response


def get_document(url: str) -> bytes:
    """A whole (small) document: a IIIF manifest, one page of a bucket listing."""
    response = get(url, stream=True)
    try:
        body = response.raw.read(MAX_DOCUMENT + 1, decode_content=True)
    finally:
        response.close()
    if len(body) > MAX_DOCUMENT:
        raise SourceError(Message(gettext_noop("the document is too large")), where=url)
    return body
