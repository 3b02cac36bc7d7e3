"""The digest that makes "same info already in the project" an index probe.

Two infos are the same when their canonical JSON (sorted keys, no spaces, UTF-8) is equal; the digest
is the MD5 of that text (a fingerprint, not a security measure).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical_json(info: Any) -> str:
    return _dumps(info)


def digest(canonical: str) -> str:
    return hashlib.md5(canonical.encode("utf-8"), usedforsecurity=False).hexdigest()


def info_hash(info: Any) -> str:
    return digest(canonical_json(info))
