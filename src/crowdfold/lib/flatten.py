"""PYBOSSA's CSV flattening (the ``flatten_json`` package with separator ``_``).

``{"a": {"b": 1}, "l": [1, {"c": 2}]}`` becomes ``{"a_b": 1, "l_0": 1, "l_1_c": 2}``. Empty dicts
and lists are kept as values (written as ``{}`` / ``[]``); root keys listed in ``ignore`` are left
out altogether (PYBOSSA's ``IGNORE_FLAT_KEYS``: such data belongs in the JSON export). The ignore
list applies to the first level of ``value`` only.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from operator import itemgetter
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


def shape_and_leaves(value: Any, ignore: Collection[str] = ()) -> tuple[tuple, list] | None:
    """For a non-empty dict of scalars and lists of scalars (empty containers count as scalars),
    what decides its flattened keys (its keys and the length of each list) and its leaf values
    in ``flatten``'s order. None for anything else: deeper nesting, a list or a scalar at the top.

    One pass and no key strings built, so repeated shapes can skip ``flatten`` altogether."""
    if type(value) is not dict or not value:
        return None
    shape = []
    leaves = []
    for key, item in value.items():
        if key in ignore:
            continue
        if item and type(item) is list:
            for element in item:
                if element and isinstance(element, _CONTAINERS):
                    return None
            shape.append((key, len(item)))
            leaves.extend(item)
        elif item and type(item) is dict:
            return None
        else:
            shape.append(key)
            leaves.append(item)
    return tuple(shape), leaves


MAX_SHAPES = 10_000  # shapes remembered by a Projection (bounds its memory)


class Projection:
    """``flatten(value, prefix, ignore)`` read at fixed ``columns`` (None where a column is
    missing), as CSV exports need for every row. A row whose shape was seen before is read with
    one precompiled getter over its leaves instead of being flattened again."""

    def __init__(self, columns: list[str], prefix: str, ignore: Collection[str] = ()) -> None:
        self.columns = columns
        self.prefix = prefix
        self.ignore = ignore
        self.getters: dict[tuple, Any] = {}

    def cells(self, value: Any) -> Sequence:
        found = shape_and_leaves(value, self.ignore)
        if found is None:
            return self._flattened(value)
        shape, leaves = found
        getter = self.getters.get(shape)
        if getter is None:
            if len(self.getters) >= MAX_SHAPES:
                return self._flattened(value)
            getter = self.getters[shape] = self._getter(shape, len(leaves))
        leaves.append(None)  # what a missing column reads
        return getter(leaves)

    def _flattened(self, value: Any) -> Sequence:
        flat = flatten(value, prefix=self.prefix, ignore=self.ignore)
        return list(map(flat.get, self.columns))

    def _getter(self, shape: tuple, count: int):
        """Picks each column's leaf; when two leaves flatten to the same key, the later one wins
        (as in ``flatten``'s dict); index ``count`` is the None appended for missing columns."""
        where: dict[str, int] = {}
        index = 0
        for part in shape:
            if type(part) is tuple:
                key, length = part
                for i in range(length):
                    where[self._key(f"{key}{SEPARATOR}{i}")] = index
                    index += 1
            else:
                where[self._key(part)] = index
                index += 1
        picks = [where.get(column, count) for column in self.columns]
        if not picks:
            return lambda leaves: ()
        if len(picks) == 1:
            only = picks[0]
            return lambda leaves: (leaves[only],)
        return itemgetter(*picks)

    def _key(self, key: str) -> str:
        return f"{self.prefix}{SEPARATOR}{key}" if self.prefix else str(key)
