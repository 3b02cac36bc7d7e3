"""Which reader handles which format, and how a file name tells the format.

To add a format: write a module with ``read(stream) -> Iterator[(line, row)]`` and list it in
``FORMATS`` and ``EXTENSIONS`` (see docs/adding-an-importer.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from django.utils.translation import gettext_noop

from crowdfold.data.importers import delimited, json_array, jsonl, xlsx
from crowdfold.data.importers.base import SourceError
from crowdfold.lib.i18n import Message

Reader = Callable[[BinaryIO], Iterator[tuple[int, Any]]]

FORMATS: dict[str, Reader] = {
    "jsonl": jsonl.read,
    "json": json_array.read,
    "csv": delimited.read_csv,
    "tsv": delimited.read_tsv,
    "xlsx": xlsx.read,
}
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "json",
    ".js": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
}
COMPRESSIONS = (".gz", ".bz2", ".zip")


def split_name(name: str) -> tuple[str, str | None]:
    """``tasks.csv.gz`` -> (``tasks.csv``, ``.gz``)."""
    lowered = name.lower()
    for ext in COMPRESSIONS:
        if lowered.endswith(ext):
            return name[: -len(ext)], ext
    return name, None


def format_of(name: str, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in FORMATS:
            raise SourceError(
                Message(
                    gettext_noop("unknown format %(format)r (known: %(known)s)"),
                    format=explicit,
                    known=", ".join(FORMATS),
                )
            )
        return explicit
    base, _ = split_name(name)
    lowered = base.lower()
    for ext, fmt in EXTENSIONS.items():
        if lowered.endswith(ext):
            return fmt
    raise SourceError(
        Message(
            gettext_noop(
                "cannot tell the format from the name; use .jsonl, .json, .csv, .tsv or .xlsx"
                " (optionally .gz, .bz2 or .zip), or give the format explicitly"
            )
        )
    )


def reader_for(fmt: str) -> Reader:
    return FORMATS[fmt]
