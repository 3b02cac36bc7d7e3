"""PYBOSSA's CSV flattening (the ``flatten_json`` package with separator ``_``).

``{"a": {"b": 1}, "l": [1, {"c": 2}]}`` becomes ``{"a_b": 1, "l_0": 1, "l_1_c": 2}``. Empty dicts
and lists are kept as values (written as ``{}`` / ``[]``); root keys listed in ``ignore`` are left
out altogether (PYBOSSA's ``IGNORE_FLAT_KEYS``: such data belongs in the JSON export). The ignore
list applies to the first level of ``value`` only.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

SEPARATOR = "_"


def flatten(value: Any, prefix: str = "", ignore: Collection[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(value, dict) and value:
        for key, item in value.items():
            if key not in ignore:
                _walk(item, f"{prefix}{SEPARATOR}{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            _walk(item, f"{prefix}{SEPARATOR}{index}" if prefix else str(index), out)
    else:
        out[prefix] = value
    return out


_CONTAINERS = (dict, list)


def _walk(value: Any, key: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        out[key] = value
        return
    if not value:
        out[key] = value
        return
    # Exports call this for millions of rows: leaves (empty containers included) are stored here
    # rather than through one more call each.
    for sub, item in items:
        if item and isinstance(item, _CONTAINERS):
            _walk(item, f"{key}{SEPARATOR}{sub}", out)
        else:
            out[f"{key}{SEPARATOR}{sub}"] = item


def cell(value: Any) -> str:
    """How one flattened value is written in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
