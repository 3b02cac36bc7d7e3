"""A JSON array of objects, read incrementally so a file of any size stays out of memory.

A ``.json`` file that starts with ``{`` is read as JSON Lines (a common naming of such files).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.utils.translation import gettext_noop

from crowdfold.data.importers import jsonl
from crowdfold.data.importers.base import SourceError
from crowdfold.lib import jsonlimits
from crowdfold.lib.i18n import Message

CHUNK = 1 << 16
# One element larger than this is refused rather than buffered without bound.
MAX_ELEMENT = 64 << 20
_WS = " \t\r\n"


class _Reader:
    def __init__(self, text: io.TextIOBase):
        self.text = text
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.eof = False

    def fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.text.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def skip_ws(self) -> str:
        """Advance past whitespace; the next character, or "" at the end of input."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                if self.buf[self.pos] == "\n":
                    self.line += 1
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def value(self) -> Any:
        decoder = json.JSONDecoder()
        while True:
            try:
                value, end = jsonlimits.raw_decode(decoder, self.buf, self.pos)
            except jsonlimits.TooDeep as exc:
                raise SourceError(jsonlimits.too_deep_message(), line=self.line) from exc
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos > MAX_ELEMENT:
                    raise SourceError(
                        Message(gettext_noop("an element of the array is too large")),
                        line=self.line,
                    ) from exc
                if self.fill():
                    continue
                line = self.line + self.buf.count("\n", self.pos, exc.pos)
                raise SourceError(
                    Message(gettext_noop("invalid JSON: %(problem)s"), problem=exc.msg), line=line
                ) from exc
            if end == len(self.buf) and not self.eof and not isinstance(value, dict | list | str):
                # A bare number cut by the chunk boundary: read on and decode again.
                if self.fill():
                    continue
            self.line += self.buf.count("\n", self.pos, end)
            self.pos = end
            return value


def read(stream: BinaryIO) -> Iterator[tuple[int, Any]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig")
    reader = _Reader(text)
    try:
        first = reader.skip_ws()
        if first == "{":
            # Hand the rest to the JSON Lines reader: rebuild a stream of what is left.
            rest = reader.buf[reader.pos :]
            start = reader.line
            for line, value in jsonl.read(io.BufferedReader(_Chain(rest, text))):
                yield line + start - 1, value
            return
        if first != "[":
            raise SourceError(
                Message(gettext_noop("expected a JSON array of objects")), line=reader.line
            )
        reader.pos += 1
        yield from _elements(reader)
    except UnicodeDecodeError as exc:
        raise SourceError(Message(gettext_noop("not valid UTF-8 text")), line=reader.line) from exc


def _elements(reader: _Reader) -> Iterator[tuple[int, Any]]:
    if reader.skip_ws() == "]":
        reader.pos += 1
        _trailing(reader)
        return
    while True:
        if reader.skip_ws() == "":
            raise SourceError(Message(gettext_noop("the array is not closed")), line=reader.line)
        line = reader.line
        yield line, reader.value()
        sep = reader.skip_ws()
        if sep == ",":
            reader.pos += 1
        elif sep == "]":
            reader.pos += 1
            _trailing(reader)
            return
        elif sep == "":
            raise SourceError(Message(gettext_noop("the array is not closed")), line=reader.line)
        else:
            raise SourceError(
                Message(
                    gettext_noop("expected ',' or ']' after an element, found %(found)r"), found=sep
                ),
                line=reader.line,
            )


def _trailing(reader: _Reader) -> None:
    if reader.skip_ws() != "":
        raise SourceError(
            Message(gettext_noop("unexpected content after the array")), line=reader.line
        )


class _Chain(io.RawIOBase):
    """Bytes of an already-read prefix followed by the rest of a text stream (for the JSONL path)."""

    def __init__(self, prefix: str, text: io.TextIOBase):
        self.pending = prefix.encode("utf-8")
        self.text = text

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.pending:
            self.pending = self.text.read(CHUNK).encode("utf-8")
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n
