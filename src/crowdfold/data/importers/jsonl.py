"""JSON Lines: one JSON value per line; blank lines are skipped.

The hot loop of a million-row import: lines are read as bytes and decoded by orjson (it checks
UTF-8 itself). A line orjson refuses, or one it might read inexactly (``lib.fastjson``), goes through
the standard library, which keeps big integers exact and words the error message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson
from django.utils.translation import gettext_noop

from crowdfold.data.importers.base import SourceError
from crowdfold.lib import jsonlimits
from crowdfold.lib.fastjson import maybe_inexact
from crowdfold.lib.i18n import Message

_BOM = b"\xef\xbb\xbf"
_UNREAD = object()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _strict(line: bytes, line_no: int) -> Any:
    """The standard library's reading of one line, with its wording of what is wrong."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(Message(gettext_noop("not valid UTF-8 text")), line=line_no) from exc
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise SourceError(jsonlimits.too_deep_message(), line=line_no) from exc
    except json.JSONDecodeError as exc:
        raise SourceError(
            Message(
                gettext_noop("invalid JSON: %(problem)s (column %(column)s)"),
                problem=exc.msg,
                column=exc.colno,
            ),
            line=line_no,
        ) from exc
    except ValueError as exc:  # NaN / Infinity: nothing can store them as JSON
        raise SourceError(
            Message(gettext_noop("invalid JSON: %(problem)s"), problem=exc), line=line_no
        ) from exc


def read(stream: BinaryIO) -> Iterator[tuple[int, Any]]:
    loads = orjson.loads
    for line_no, line in enumerate(stream, 1):
        if line_no == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        if line.isspace() or not line:
            continue
        value = _UNREAD
        if not maybe_inexact(line):
            try:
                value = loads(line)
            except orjson.JSONDecodeError:
                pass
        if value is _UNREAD:
            value = _strict(line, line_no)
        # Only a line with many brackets can nest deeply; the count is cheap, the walk is not.
        if line.count(b"[") + line.count(b"{") > jsonlimits.MAX_DEPTH and not (
            jsonlimits.depth_ok(value)
        ):
            raise SourceError(jsonlimits.too_deep_message(), line=line_no)
        yield line_no, value
