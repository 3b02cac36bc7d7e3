"""Local files (and uploaded file objects), plain or compressed with gzip, bzip2 or zip.

Progress is measured on the compressed bytes read from disk, so the ETA holds for archives too.
"""

from __future__ import annotations

import bz2
import gzip
import os
import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.utils.translation import gettext_noop

from crowdfold.data.importers.base import SourceError
from crowdfold.data.importers.registry import format_of, reader_for, split_name
from crowdfold.lib.i18n import Message


class StreamSource:
    """Rows from an open binary stream whose name tells (or ``fmt`` gives) the format."""

    def __init__(
        self, stream: BinaryIO, name: str, fmt: str | None = None, size: int | None = None
    ):
        self.stream = stream
        self.name = name
        self.fmt = fmt
        self.size = size

    def progress(self) -> tuple[int, int | None]:
        try:
            return (self.stream.tell() if self.stream is not None else 0), self.size
        except (OSError, ValueError):
            return 0, self.size

    def rows(self) -> Iterator[tuple[int, Any]]:
        _, compression = split_name(self.name)
        try:
            if compression == ".zip":
                yield from self._zip_rows()
                return
            fmt = format_of(self.name, self.fmt)
            yield from _located(reader_for(fmt)(_decompress(self.stream, compression)), self.name)
        except SourceError as exc:
            exc.located(self.name)
            raise
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise SourceError(
                Message(gettext_noop("cannot read the file: %(problem)s"), problem=exc),
                where=self.name,
            ) from exc

    def _zip_rows(self) -> Iterator[tuple[int, Any]]:
        inner_default, _ = split_name(self.name)
        with zipfile.ZipFile(self.stream) as archive:
            members = sorted(
                (m for m in archive.infolist() if not m.is_dir() and not _hidden(m.filename)),
                key=lambda m: m.filename,
            )
            if not members:
                raise SourceError(Message(gettext_noop("the zip archive holds no files")))
            for member in members:
                where = f"{self.name}/{member.filename}"
                try:
                    fmt = self.fmt or format_of(member.filename)
                except SourceError:
                    fmt = format_of(inner_default)
                with archive.open(member) as handle:
                    try:
                        yield from _located(reader_for(fmt)(handle), where)
                    except SourceError as exc:
                        exc.located(where)
                        raise


def _hidden(path: str) -> bool:
    return any(part.startswith((".", "__MACOSX")) for part in path.split("/"))


def _located(rows: Iterator[tuple[int, Any]], where: str) -> Iterator[tuple[int, Any]]:
    try:
        yield from rows
    except SourceError as exc:
        exc.located(where)
        raise


def _decompress(stream: BinaryIO, compression: str | None) -> BinaryIO:
    if compression == ".gz":
        return gzip.GzipFile(fileobj=stream, mode="rb")
    if compression == ".bz2":
        return bz2.BZ2File(stream, mode="rb")
    return stream


class FileSource(StreamSource):
    """A file on disk."""

    def __init__(self, path: str | os.PathLike, fmt: str | None = None):
        self.path = os.fspath(path)
        try:
            size = os.path.getsize(self.path)
        except OSError as exc:
            raise SourceError(
                Message(gettext_noop("cannot open: %(problem)s"), problem=exc.strerror),
                where=self.path,
            ) from exc
        super().__init__(None, self.path, fmt, size)  # type: ignore[arg-type]

    def rows(self) -> Iterator[tuple[int, Any]]:
        try:
            self.stream = open(self.path, "rb", buffering=1 << 20)  # noqa: SIM115  (closed below)
        except OSError as exc:
            raise SourceError(
                Message(gettext_noop("cannot open: %(problem)s"), problem=exc.strerror),
                where=self.path,
            ) from exc
        try:
            yield from super().rows()
        finally:
            self.stream.close()
