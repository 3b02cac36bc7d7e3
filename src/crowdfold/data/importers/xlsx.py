"""Excel workbooks (.xlsx): the first sheet, its first row naming the columns.

Cells keep Excel's types (numbers stay numbers); dates become ISO strings; empty cells are "".
openpyxl's read-only mode streams rows, but needs a seekable file, so compressed input is spooled to a
temporary file first.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.utils.translation import gettext_noop

from crowdfold.data.importers.base import SourceError, check_header, tabular_row
from crowdfold.lib.i18n import Message


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _seekable(stream: BinaryIO) -> BinaryIO:
    if getattr(stream, "seekable", lambda: False)():
        return stream
    spool = tempfile.SpooledTemporaryFile(max_size=16 << 20)
    shutil.copyfileobj(stream, spool, 1 << 20)
    spool.seek(0)
    return spool


def read(stream: BinaryIO) -> Iterator[tuple[int, dict]]:
    from openpyxl import load_workbook

    # openpyxl raises a dozen kinds of exception on a malformed file (zip, XML, missing parts,
    # bad values), before and while rows are read: each is the file's fault, so a clean 4xx.
    try:
        book = load_workbook(_seekable(stream), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise _unreadable(exc) from exc
    try:
        yield from _rows(book)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _unreadable(exc) from exc
    finally:
        book.close()


def _unreadable(exc: Exception) -> SourceError:
    return SourceError(
        Message(gettext_noop("not a readable .xlsx workbook (%(problem)s)"), problem=exc)
    )


def _rows(book) -> Iterator[tuple[int, dict]]:
    if not book.worksheets:
        raise SourceError(Message(gettext_noop("the workbook has no sheet")))
    sheet = book.worksheets[0]
    header = None
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        cells = [_cell(v) for v in values]
        if header is None:
            while cells and cells[-1] == "":
                cells.pop()  # Excel pads rows to the widest column
            header = check_header(cells)
            continue
        if all(c == "" for c in cells):
            continue
        cells = (cells + [""] * len(header))[: len(header)] if len(cells) <= len(header) else cells
        if len(cells) > len(header) and any(c != "" for c in cells[len(header) :]):
            raise SourceError(
                Message(gettext_noop("this row has values beyond the named columns")),
                line=number,
            )
        yield number, tabular_row(header, cells[: len(header)])
    if header is None:
        raise SourceError(
            Message(
                gettext_noop("the sheet is empty; a header row naming the columns is required")
            ),
            line=1,
        )
