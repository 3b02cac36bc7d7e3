"""Messages that speak English to the API and the reader's language on pages.

PYBOSSA's API answers in English (clients and scripts match on its messages), while a page should
show the same domain error in the reader's language. A service raises its error with a ``Message``:
a plain ``str`` holding the English text, which also remembers its msgid and parameters, so a view
can call ``localize()`` on it. Mark the msgid with ``gettext_noop`` so makemessages extracts it::

    raise NotFound(Message(gettext_noop("No user named %(name)s"), name=name))
"""

from __future__ import annotations

from django.utils.translation import gettext


class Message(str):
    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> Message:
        text = super().__new__(cls, msgid % params if params else msgid)
        text.msgid = msgid
        text.params = params
        return text

    def localized(self) -> str:
        translated = gettext(self.msgid)
        return translated % self.params if self.params else translated


def localize(text: str | None) -> str | None:
    """``text`` in the active language: a ``Message`` through its msgid, any other string as a
    msgid itself (unchanged when the catalogue does not know it)."""
    if not text:
        return text
    if isinstance(text, Message):
        return text.localized()
    return gettext(str(text))
