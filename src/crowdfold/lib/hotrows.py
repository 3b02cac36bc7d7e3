"""Per-process copies of the rows every contribution request reads: the project, and the user an
API key names. ``newtask`` and ``POST /api/taskrun`` read both on every call; reusing them for a
few seconds (``CROWDFOLD_HOT_ROW_SECONDS``) saves two queries per request.

Saving or deleting a project or a user through the ORM forgets its copies in this process at once;
other processes notice within the timeout (PYBOSSA caches projects for minutes, APP_TIMEOUT).
Callers get their own shallow copy, so nothing they set leaks into another request.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from django.conf import settings

MAX_ROWS = 4096


class HotRows:
    def __init__(self) -> None:
        self._rows: dict = {}  # key -> (expires at, instance); plain dict ops are thread-safe

    def get(self, key, load: Callable):
        seconds = settings.HOT_ROW_SECONDS
        if seconds <= 0:
            return load()
        now = time.monotonic()
        hit = self._rows.get(key)
        if hit is not None and hit[0] > now:
            return _copy(hit[1])
        row = load()
        if row is not None:
            if len(self._rows) >= MAX_ROWS:
                self._rows.clear()
            self._rows[key] = (now + seconds, row)
            return _copy(row)
        return None

    def forget(self, pk) -> None:
        for key, (_, row) in list(self._rows.items()):
            if row.pk == pk:
                self._rows.pop(key, None)

    def clear(self) -> None:
        self._rows.clear()


def _copy(instance):
    """A shallow copy of a model instance, as ``copy.copy`` makes it (its own ``_state`` and
    related-object cache) without the pickle round trip, which cost more than the query saved."""
    clone = instance.__class__.__new__(instance.__class__)
    clone.__dict__.update(instance.__dict__)
    clone._state = copy.copy(instance._state)
    clone._state.fields_cache = instance._state.fields_cache.copy()
    return clone


projects = HotRows()  # project id -> Project
api_users = HotRows()  # API key -> active User
