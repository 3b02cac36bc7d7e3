"""``crowdfold load`` given garbage: random bytes under every extension, broken archives, binary
files with a text extension, bad encodings. It must never crash with a traceback: either the file
happens to be readable (exit 0) or it fails with one ``Error: …`` line, exit status 1 and nothing
stored."""

from __future__ import annotations

import bz2
import gzip
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crowdfold.tasks.models import Task

EXTENSIONS = [
    "csv",
    "tsv",
    "json",
    "jsonl",
    "xlsx",
    "csv.gz",
    "json.bz2",
    "jsonl.zip",
    "xlsx.gz",
]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def assert_clean_outcome(result, project) -> None:
    """Loaded, or refused with one error line and nothing stored; never a traceback."""
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        assert result.output.strip().startswith("Error: "), result.output
        assert Task.objects.filter(project=project).count() == 0


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(extension=st.sampled_from(EXTENSIONS), content=st.binary(max_size=512))
def test_random_bytes_under_any_extension_fail_cleanly(run, project, tmp_path, extension, content):
    Task.objects.filter(project=project).delete()
    path = tmp_path / f"garbage.{extension}"
    path.write_bytes(content)
    assert_clean_outcome(run("load", project.short_name, path), project)


GARBAGE = {
    "a picture named csv": ("t.csv", PNG),
    "a picture named xlsx": ("t.xlsx", PNG),
    "a zip that is not a workbook": ("t.xlsx", _zip({"hello.txt": b"hi"})),
    "a workbook with a broken sheet": (
        "t.xlsx",
        _zip({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"\x00\xff"}),
    ),
    "truncated gzip": ("t.jsonl.gz", gzip.compress(b'{"a": 1}\n' * 100)[:40]),
    "truncated bz2": ("t.csv.bz2", bz2.compress(b"a,b\n1,2\n" * 100)[:30]),
    "truncated zip": ("t.json.zip", _zip({"t.json": b'[{"a": 1}]'})[:25]),
    "an empty zip": ("t.csv.zip", _zip({})),
    "a zip of a picture": ("t.csv.zip", _zip({"p.png": PNG})),
    "gzip of a picture": ("t.json.gz", gzip.compress(PNG)),
    "invalid UTF-8 in CSV": ("t.csv", b"name,n\n\xff\xfe\xfa,1\n"),
    "NUL bytes in CSV": ("t.csv", b"a,b\n\x00\x00,1\n"),
    "invalid UTF-8 in JSON": ("t.json", b'[{"a": "\xff"}]'),
    "a JSON scalar": ("t.json", b"42"),
    "deeply nested JSON": ("t.json", b"[" * 100_000 + b"]" * 100_000),
    "deeply nested JSON line": ("t.jsonl", b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n"),
    "a JSON line that is a string": ("t.jsonl", b'"just text"\n'),
    "an empty file": ("t.jsonl", b""),
    "only a CSV header": ("t.csv", b"a,b\n"),
    "a UTF-16 CSV": ("t.csv", "a,b\n1,2\n".encode("utf-16")),
}


@pytest.mark.parametrize("name", list(GARBAGE))
def test_garbage_file_fails_cleanly(run, project, tmp_path, name):
    filename, content = GARBAGE[name]
    path = tmp_path / filename
    path.write_bytes(content)
    assert_clean_outcome(run("load", project.short_name, path), project)


def test_a_directory_or_an_unreadable_file_is_a_clear_error(run, project, tmp_path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    result = run("load", project.short_name, folder)
    assert result.exit_code == 1 and "no such file" in result.output
