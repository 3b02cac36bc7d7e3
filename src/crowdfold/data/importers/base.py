"""What every importer shares: the error that names FILE:LINE, and the shape of a source.

A source yields ``(line, row)`` pairs: ``line`` is where the row starts (1-based, for messages) and
``row`` is whatever the format decodes (the import service decides whether it is a valid task).
Tabular formats (CSV, TSV, XLSX) already split their columns into ``{"info": {...}, <task fields>}``
so every format reaches the service in the same shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from django.utils.translation import gettext_noop

from crowdfold.lib.i18n import Message, localize

# Columns of a tabular file that are task fields rather than info (PYBOSSA's CSV importer rule).
TASK_FIELD_COLUMNS = ("n_answers", "priority_0", "quorum", "calibration")


class SourceError(Exception):
    """A problem in the input, located as ``WHERE:LINE: message``."""

    def __init__(self, message: str, line: int | None = None, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.where = where

    def located(self, where: str) -> SourceError:
        if self.where is None:
            self.where = where
        return self

    def __str__(self) -> str:
        return self._located(self.message)

    def localized(self) -> str:
        """``WHERE:LINE: message`` with the message in the active language (for pages; the API
        and the CLI keep the English of ``str()``)."""
        return self._located(localize(self.message))

    def _located(self, message: str) -> str:
        parts = [p for p in (self.where, str(self.line) if self.line else None) if p]
        return ":".join([*parts, f" {message}"]) if parts else message


class Source(Protocol):
    """Anything the import service can read rows from."""

    name: str

    def rows(self) -> Iterator[tuple[int, Any]]: ...

    def progress(self) -> tuple[int, int | None]:
        """(bytes read so far, total bytes or None when unknown)."""
        ...


def tabular_row(header: list[str], values: list[Any]) -> dict:
    """Split one tabular record into task fields and info, as PYBOSSA's CSV importer does."""
    info = {}
    row: dict[str, Any] = {}
    for key, value in zip(header, values, strict=True):
        if key in TASK_FIELD_COLUMNS:
            if value not in ("", None):
                row[key] = value
        else:
            info[key] = value
    row["info"] = info
    return row


def check_header(header: list[str]) -> list[str]:
    """A header row is required; no empty or repeated column names (PYBOSSA refuses them too)."""
    names = [str(h).strip() if h is not None else "" for h in header]
    if not names or all(n == "" for n in names):
        raise SourceError(Message(gettext_noop("the first row must name the columns")), line=1)
    if any("\x00" in n for n in names):
        # Text never holds NUL: this is a binary file (an archive, a picture) with a text name.
        raise SourceError(
            Message(gettext_noop("this is not a text file (NUL bytes in the header row)")), line=1
        )
    for index, name in enumerate(names, 1):
        if name == "":
            raise SourceError(
                Message(
                    gettext_noop("column %(index)s has no name in the header row"), index=index
                ),
                line=1,
            )
    seen = set()
    for name in names:
        if name in seen:
            raise SourceError(
                Message(gettext_noop("column %(name)r appears twice in the header row"), name=name),
                line=1,
            )
        seen.add(name)
    return names
