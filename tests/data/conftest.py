"""Helpers for the data tests: run the ``crowdfold`` command in-process, write input files."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from crowdfold.cli import cli


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas' Argon2 hashing dominated these tests' set-up; hashing is not under test here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run(db):
    """Invoke ``crowdfold ARGS…``; returns click's Result (exit_code, stdout, stderr)."""

    def invoke(*args: str):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


def compress(path: Path, data: bytes, kind: str | None) -> Path:
    """Write ``data`` to ``path`` plain or compressed (``gz``, ``bz2``, ``zip``); returns the path."""
    if kind is None:
        path.write_bytes(data)
        return path
    target = path.with_name(path.name + "." + kind)
    if kind == "gz":
        target.write_bytes(gzip.compress(data))
    elif kind == "bz2":
        target.write_bytes(bz2.compress(data))
    elif kind == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(path.name, data)
        target.write_bytes(buffer.getvalue())
    return target


def jsonl(rows) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def write_xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def stand_in(settings):
    """A local HTTP stand-in; private addresses are allowed so importers may reach it."""
    from tests.data.stand_ins import StandIn

    settings.CROWDFOLD_ALLOW_PRIVATE_URLS = True
    server = StandIn()
    yield server
    server.close()
