"""CSV and TSV with a header row. Cells stay strings; empty cells are "" (never NaN, PYBOSSA #1050)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from django.utils.translation import gettext_noop

from crowdfold.data.importers.base import SourceError, check_header, tabular_row
from crowdfold.lib.i18n import Message

csv.field_size_limit(64 << 20)


def read_csv(stream: BinaryIO) -> Iterator[tuple[int, dict]]:
    return _read(stream, csv.excel)


def read_tsv(stream: BinaryIO) -> Iterator[tuple[int, dict]]:
    return _read(stream, csv.excel_tab)


def _read(stream: BinaryIO, dialect) -> Iterator[tuple[int, dict]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, dialect)
    end = 0
    try:
        header = None
        for record in reader:
            start, end = end + 1, reader.line_num
            if not record or (len(record) == 1 and record[0] == "" and header is not None):
                continue
            if header is None:
                header = check_header(record)
                continue
            if len(record) != len(header):
                raise SourceError(
                    Message(
                        gettext_noop(
                            "this row has %(found)s fields but the header names %(named)s"
                        ),
                        found=len(record),
                        named=len(header),
                    ),
                    line=start,
                )
            yield start, tabular_row(header, record)
        if header is None:
            raise SourceError(
                Message(
                    gettext_noop("the file is empty; a header row naming the columns is required")
                ),
                line=1,
            )
    except csv.Error as exc:
        raise SourceError(
            Message(gettext_noop("malformed CSV: %(problem)s"), problem=exc),
            line=reader.line_num or 1,
        ) from exc
    except UnicodeDecodeError as exc:
        raise SourceError(Message(gettext_noop("not valid UTF-8 text")), line=end + 1) from exc
