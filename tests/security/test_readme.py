"""tests/security/README.md names the tests behind each security claim; every name must exist, so
the list cannot silently drift from the suite."""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REFERENCE = re.compile(r"`((?:tests/[\w/]+/)?test_\w+\.py)((?:::\w+)?)`|`::(test_\w+)")


def references() -> list[tuple[str, str]]:
    """(file, test name or "") for each reference; ``::name`` alone belongs to the file before it."""
    found, current = [], ""
    for match in REFERENCE.finditer((HERE / "README.md").read_text(encoding="utf-8")):
        path, name, bare = match.groups()
        if path:
            current = path if path.startswith("tests/") else f"tests/security/{path}"
            found.append((current, name.lstrip(":")))
        else:
            found.append((current, bare))
    return found


def test_every_test_the_readme_names_exists():
    missing = []
    for path, name in references():
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name and not re.search(rf"^(def|async def) {name}\(", file.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert missing == []
    assert len(references()) > 40
