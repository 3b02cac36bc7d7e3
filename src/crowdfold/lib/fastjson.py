"""Fast JSON decoding for the bulk paths (imports, exports) that keeps every value exact.

orjson is several times faster than the standard library but reads integers past 64 bits as
floats; text with a run of 20 digits goes through the standard library instead (counting digits
first spares most texts the slower regular expression).
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_LONG_INTEGER = re.compile(rb"[0-9]{20}").search
_DIGITS = b"0123456789"
DecodeError = orjson.JSONDecodeError


def maybe_inexact(data: bytes) -> bool:
    """Whether orjson might read ``data`` inexactly (an integer too long for 64 bits)."""
    return len(data) - len(data.translate(None, _DIGITS)) >= 20 and _LONG_INTEGER(data) is not None


def loads(data: bytes | str | None) -> Any:
    """Decode JSON text exactly; raises ``ValueError`` (``json.JSONDecodeError``) when invalid."""
    if data is None:
        return None
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if maybe_inexact(raw):
        return json.loads(raw)
    return orjson.loads(raw)
