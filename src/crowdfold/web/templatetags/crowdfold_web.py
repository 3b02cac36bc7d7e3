"""Template filters of the web pages."""

from __future__ import annotations

from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def http_url(value) -> str:
    """``value`` if it is an http(s) URL or a path on this site, else "": links and pictures
    whose address someone else typed (helping material, thumbnails, avatars) never run
    ``javascript:`` or open ``data:`` documents."""
    text = str(value or "").strip()
    if text.startswith("/") or urlsplit(text).scheme.lower() in {"http", "https"}:
        return text
    return ""


@register.filter
def markdown(text: str) -> str:
    """Owner-written Markdown as HTML, sanitised (owners must not inject scripts into our pages)."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"])
    return mark_safe(nh3.clean(html))  # noqa: S308 - nh3 output is safe by construction
