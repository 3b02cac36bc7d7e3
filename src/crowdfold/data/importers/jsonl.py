"""JSON Lines: one JSON value per line; blank lines are skipped."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from crowdfold.data.importers.base import SourceError

_loads = json.loads


def read(stream: BinaryIO) -> Iterator[tuple[int, Any]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig")
    line_no = 0
    try:
        for line_no, line in enumerate(text, 1):  # noqa: B007  (line_no is read after the loop)
            if not line.strip():
                continue
            try:
                yield line_no, _loads(line)
            except json.JSONDecodeError as exc:
                raise SourceError(
                    f"invalid JSON: {exc.msg} (column {exc.colno})", line=line_no
                ) from exc
    except UnicodeDecodeError as exc:
        raise SourceError("not valid UTF-8 text", line=line_no + 1) from exc
