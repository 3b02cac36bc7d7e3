"""Every user-visible string in our templates is marked for translation.

A static check, so it also covers pages no test renders: strip what the template language and
translation tags account for, then look for words left in text or in the attributes people read
(alt, title, aria-label, placeholder). Project content that owners replace (the demo project, the
presenter templates) is not interface text and is not checked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import crowdfold

PACKAGE = Path(crowdfold.__file__).parent
SKIPPED = ("demo/templates/",)  # sample project content, not the interface
# Words that read the same in every language: names of formats, protocols and brands.
UNTRANSLATABLE = {"API", "JSON", "CSV", "PYBOSSA", "UTC", "HTML", "Markdown", "s"}

TEMPLATE_SYNTAX = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(
        r"{%\s*(blocktranslate|blocktrans)\b.*?{%\s*end(blocktranslate|blocktrans)\s*%}", re.S
    ),
    re.compile(r"{#.*?#}", re.S),
    # CSS class names filled in by child templates
    re.compile(r"{%\s*block \w+_class\s*%}.*?{%\s*endblock", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}


class VisibleText(HTMLParser):
    """Text nodes and read attributes, outside script, style and code."""

    HIDDEN = {"script", "style", "code", "pre", "kbd"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.found.append(data)


def templates() -> list[Path]:
    found = sorted(PACKAGE.glob("*/templates/**/*.html")) + sorted(
        PACKAGE.glob("*/templates/**/*.txt")
    )
    return [p for p in found if not any(s in p.as_posix() for s in SKIPPED)]


def unmarked_words(source: str) -> list[str]:
    for pattern in TEMPLATE_SYNTAX:
        source = pattern.sub(" ", source)
    parser = VisibleText()
    parser.feed(source)
    words = []
    for text in parser.found:
        text = re.sub(r"\S*/\S*", " ", text)  # addresses and paths
        words += [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in UNTRANSLATABLE]
    return words


@pytest.mark.parametrize("path", templates(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_template_marks_every_visible_string(path):
    assert unmarked_words(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_unmarked_text_and_attributes():
    source = '{% load i18n %}<h1>{% translate "Fine" %}</h1><p title="Tip">Loose words</p>'
    assert unmarked_words(source) == ["Tip", "Loose", "words"]
    assert unmarked_words("{% blocktranslate %}All {{ n }} fine{% endblocktranslate %}") == []
