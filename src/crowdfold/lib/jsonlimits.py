"""JSON from strangers, with a nesting limit.

Python's ``json`` parser recurses once per level, so ``[[[[…`` a few thousand deep raises
``RecursionError`` (not ``ValueError``) and would surface as a 500; a value just under the
interpreter's limit parses, but then cannot be serialised again deeper in a request's stack. Task
info, answers and API bodies never need more than a few levels, so anything deeper than
``MAX_DEPTH`` is refused as invalid JSON.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64


class TooDeep(ValueError):
    def __init__(self):
        super().__init__(f"JSON nested deeper than {MAX_DEPTH} levels")
        self.msg = str(self)


def too_deep_message():
    """The importers' error text (a translatable ``Message``)."""
    from django.utils.translation import gettext_noop

    from crowdfold.lib.i18n import Message

    return Message(
        gettext_noop("invalid JSON: nested deeper than %(depth)s levels"), depth=MAX_DEPTH
    )


def depth_ok(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when no list or object in ``value`` sits deeper than ``limit`` (iterative walk)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


def check_depth(value: Any) -> Any:
    if not depth_ok(value):
        raise TooDeep()
    return value


def loads(text: str | bytes) -> Any:
    """``json.loads`` that raises ``ValueError`` (``TooDeep``) for too much nesting."""
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise TooDeep() from exc
    return check_depth(value)


def raw_decode(decoder: json.JSONDecoder, text: str, pos: int) -> tuple[Any, int]:
    try:
        value, end = decoder.raw_decode(text, pos)
    except RecursionError as exc:
        raise TooDeep() from exc
    return check_depth(value), end
