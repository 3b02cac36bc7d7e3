"""The shipped Spanish and Ukrainian catalogues are complete: nothing empty, fuzzy or stale."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

import crowdfold

LOCALE_DIR = Path(crowdfold.__file__).parent / "locale"


def entries(po_text: str) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr-block) for every entry except the header."""
    found = []
    for block in po_text.split("\n\n"):
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        msgid = re.search(r'^msgid (".*"(?:\n".*")*)', block, re.MULTILINE)
        if not msgid or msgid.group(1) == '""':
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? (".*"(?:\n".*")*)', block, re.MULTILINE)
        found.append((flags, msgid.group(1), strs))
    return found


@pytest.mark.parametrize("code", ["es", "uk"])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(code):
    po = (LOCALE_DIR / code / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    problems = [
        msgid for flags, msgid, strs in entries(po)
        if "fuzzy" in flags or not strs or any(s.replace('"', "").strip() == "" for s in strs)
    ]  # fmt: skip
    assert problems == []
    assert len(entries(po)) > 90  # the whole interface, not a stub


@pytest.mark.parametrize("code", ["es", "uk"])
def test_compiled_catalogue_matches_the_source(code):
    """The committed .mo holds every translation of the .po (a stale .mo would miss some)."""
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    po = (folder / "django.po").read_text(encoding="utf-8")
    for _flags, msgid, strs in entries(po):
        if len(strs) == 1:
            assert compiled.gettext(unquote(msgid)) == unquote(strs[0])


def unquote(block: str) -> str:
    return "".join(ast.literal_eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', block))
