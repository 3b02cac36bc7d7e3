"""PYBOSSA's full-text search over ``info`` keys (reference §2.4.2):
``?info=key::terms&fulltextsearch=1``. Matching rows gain ``headline`` (matched words in
``<b>…</b>``) and ``rank``, and come best first.

PostgreSQL: ``to_tsvector(info->>key) @@ to_tsquery(terms)`` in ``FULLTEXTSEARCH_LANGUAGE``, ranked
by ``ts_rank_cd(…, 4)`` as PYBOSSA does. SQLite has no full text here: every word of the terms must
appear in the value (case-insensitive), rank is the number of words found.
"""

from __future__ import annotations

import html
import re

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F, Q, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from crowdfold.lib.errors import BadRequest

_WORDS = re.compile(r"[^\s&|!():*<>]+")


def search(qs, fulltext: dict, offset: int, limit: int) -> list:
    """The page of ``qs`` matching every ``key: terms`` pair, best first, each object carrying
    ``ft_headline`` and ``ft_rank``."""
    if connection.vendor == "postgresql":
        qs = _postgres(qs, fulltext)
    else:
        qs = _substring(qs, fulltext)
    try:
        objs = list(qs.order_by(F("ft_rank").desc(), "id")[offset : offset + limit])
    except DatabaseError as exc:  # to_tsquery refuses malformed terms such as "cat dog"
        raise BadRequest(f"fulltextsearch: malformed search terms ({exc})", target="info") from exc
    if connection.vendor != "postgresql":
        key, terms = next(iter(fulltext.items()))
        for obj in objs:
            obj.ft_headline = _bold(str((obj.info or {}).get(key, "")), terms)
    return objs


def _text(key: str):
    return Cast(KeyTextTransform(key, "info"), TextField())


def _postgres(qs, fulltext: dict):
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    lang = settings.FULLTEXTSEARCH_LANGUAGE
    rank = None
    for i, (key, terms) in enumerate(fulltext.items()):
        vector = SearchVector(_text(key), config=lang)
        query = SearchQuery(terms, config=lang, search_type="raw")
        qs = qs.annotate(**{f"ft_vector_{i}": vector}).filter(**{f"ft_vector_{i}": query})
        this = SearchRank(vector, query, cover_density=True, normalization=Value(4))
        rank = this if rank is None else rank + this
        if i == 0:
            qs = qs.annotate(
                ft_headline=SearchHeadline(
                    _text(key), query, config=lang, start_sel="<b>", stop_sel="</b>"
                )
            )
    return qs.annotate(ft_rank=rank)


def _substring(qs, fulltext: dict):
    clauses = Q()
    for key, terms in fulltext.items():
        for word in _WORDS.findall(terms):
            clauses &= Q(**{f"info__{key}__icontains": word})
    words = sum(len(_WORDS.findall(terms)) for terms in fulltext.values())
    return qs.filter(clauses).annotate(ft_rank=Value(float(words)))


def _bold(text: str, terms: str) -> str:
    words = _WORDS.findall(terms)
    escaped = html.escape(text)
    if not words:
        return escaped
    pattern = re.compile("|".join(re.escape(html.escape(w)) for w in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"<b>{m.group(0)}</b>", escaped)
