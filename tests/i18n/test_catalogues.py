"""The shipped Spanish and Ukrainian catalogues are complete: nothing empty, fuzzy or stale.

Every catalogue of the project counts: the interface (``locale/``, domains ``django`` and
``djangojs``) and any app's own (``ops/locale/``). The compiled ``.mo`` files are committed (a clean
clone needs no gettext tools), so they must hold exactly what the ``.po`` files say; ``make
messages`` re-extracts and recompiles both.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

import crowdfold

PACKAGE = Path(crowdfold.__file__).parent
LANGUAGES = ["es", "uk"]
CATALOGUES = sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdrfi%]")


def entries(po_text: str) -> list[tuple[str, str, list[str]]]:
    """(flags, msgid block, msgstr blocks) for every entry except the header."""
    found = []
    for block in po_text.split("\n\n"):
        block = "\n".join(line for line in block.splitlines() if not line.startswith("#~"))
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        msgid = re.search(r'^msgid (".*"(?:\n".*")*)', block, re.MULTILINE)
        if not msgid or msgid.group(1) == '""':
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? (".*"(?:\n".*")*)', block, re.MULTILINE)
        found.append((flags, msgid.group(1), strs))
    return found


def unquote(block: str) -> str:
    return "".join(ast.literal_eval(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', block))


def label(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def test_every_language_has_both_interface_catalogues():
    for code in LANGUAGES:
        for domain in ("django", "djangojs"):
            assert (PACKAGE / "locale" / code / "LC_MESSAGES" / f"{domain}.po").exists()
    assert {p.parent.parent.name for p in CATALOGUES} == set(LANGUAGES)


@pytest.mark.parametrize("path", CATALOGUES, ids=label)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(path):
    found = entries(path.read_text(encoding="utf-8"))
    problems = [
        msgid for flags, msgid, strs in found
        if "fuzzy" in flags or not strs or any(unquote(s).strip() == "" for s in strs)
    ]  # fmt: skip
    assert found and problems == []


@pytest.mark.parametrize("path", CATALOGUES, ids=label)
def test_translations_keep_every_placeholder(path):
    """``%(name)s`` and friends survive translation (a lost one raises at render time)."""
    for _flags, msgid, strs in entries(path.read_text(encoding="utf-8")):
        wanted = sorted(PLACEHOLDER.findall(unquote(msgid)))
        for msgstr in strs:
            assert sorted(PLACEHOLDER.findall(unquote(msgstr))) == wanted or len(strs) > 1, msgid


@pytest.mark.parametrize("path", CATALOGUES, ids=label)
def test_compiled_catalogue_matches_the_source(path):
    """The committed .mo holds every translation of the .po (a stale .mo would miss some)."""
    with open(path.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    po = path.read_text(encoding="utf-8")
    assert entries(po)
    for _flags, msgid, strs in entries(po):
        if len(strs) == 1:
            assert compiled.gettext(unquote(msgid)) == unquote(strs[0])


def test_large_catalogues_cover_the_whole_interface():
    """Not a stub: the interface has hundreds of strings."""
    for code in LANGUAGES:
        po = (PACKAGE / "locale" / code / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        assert len(entries(po)) > 300
