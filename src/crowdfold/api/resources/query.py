"""The collection GET of every resource: PYBOSSA's list parameters, column and info filters,
ordering and keyset/offset pagination (reference §2.4)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import JSONField, Q, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.db.models.lookups import Exact

from crowdfold.api.resources.values import (
    fuzzy_bool,
    iso_prefix_range,
    lenient_int,
    loads_loose,
    strict_float,
    strict_int,
)
from crowdfold.lib.errors import InvalidAttribute

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Parameters every collection understands; anything else must name a column.
CONTROL_PARAMS = {
    "limit",
    "offset",
    "last_id",
    "orderby",
    "desc",
    "all",
    "related",
    "api_key",
    "fulltextsearch",
}


@dataclass(frozen=True)
class Column:
    """A filterable/orderable attribute: its ORM path and how a query-string value is read."""

    path: str
    kind: str = "str"  # str | int | float | bool | datetime | json | ids | m2m | ignored
    orderable: bool = True


@dataclass
class ListParams:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    last_id: int | None = None
    orderby: str = "id"
    desc: bool = False
    all: bool = False
    related: bool = False
    filters: dict = field(default_factory=dict)
    extras: dict = field(default_factory=dict)  # resource-specific params (stats, participated…)
    # fulltextsearch=1 with info=key::terms: {key: terms}, searched instead of compared (§2.4.2)
    fulltext: dict = field(default_factory=dict)


def no_attribute(resource, name: str) -> InvalidAttribute:
    return InvalidAttribute(
        f"type object '{resource.label}' has no attribute '{name}'", target=resource.name
    )


def parse_list_params(query, resource) -> ListParams:
    """Read the query string; an unknown parameter or orderby column is PYBOSSA's 415 AttributeError."""
    params = ListParams()
    for name in query:
        if name in CONTROL_PARAMS:
            continue
        if name in resource.extra_params:
            params.extras[name] = query.get(name)
        elif name in resource.columns:
            params.filters[name] = query.get(name)
        else:
            raise no_attribute(resource, name)
    params.limit = lenient_int(query.get("limit"), DEFAULT_LIMIT, minimum=0, maximum=MAX_LIMIT)
    params.offset = lenient_int(query.get("offset"), 0)
    if query.get("last_id") not in (None, ""):
        params.last_id = strict_int(query.get("last_id"), name="last_id")
    orderby = query.get("orderby") or "id"
    column = resource.columns.get(orderby)
    if column is None or not column.orderable:
        raise no_attribute(resource, orderby)
    params.orderby = orderby
    if query.get("desc") not in (None, ""):
        params.desc = fuzzy_bool(query.get("desc"), name="desc")
    params.all = query.get("all", "").strip().lower() in {"1", "true", "yes", "on", "y"}
    params.related = bool(query.get("related"))
    fulltext = query.get("fulltextsearch", "").strip().lower() in {"1", "true", "yes", "on", "y"}
    raw_info = params.filters.get("info")
    if fulltext and raw_info and "::" in raw_info and resource.columns["info"].kind == "json":
        del params.filters["info"]
        params.fulltext = _key_values(raw_info)
    return params


def _key_values(raw: str) -> dict:
    """PYBOSSA's ``k1::v1|k2::v2``."""
    pairs = {}
    for pair in raw.split("|"):
        key, _, value = pair.partition("::")
        pairs[key] = value
    return pairs


def _info_filter(path: str, raw: str) -> Q:
    if "::" in raw:
        clauses = Q()
        for key, value in _key_values(raw).items():
            clauses &= _text_equals(path, key, value)
        return clauses
    return json_contains(path, loads_loose(raw))


def info_filter_keys(raw: str) -> set[str]:
    """The top-level ``info`` keys an ``info`` filter compares (read as ``_info_filter`` reads it).
    A JSON document that is not an object compares the whole ``info`` with a scalar or a list, which
    never matches an object: no key is compared."""
    if "::" in raw:
        return set(_key_values(raw))
    document = loads_loose(raw)
    return set(document) if isinstance(document, dict) else set()


def private_criteria(params: ListParams, public_info_keys: set[str], private_columns=()) -> list:
    """What in ``params`` compares values the public view of a row does not show: ``info`` keys
    outside ``public_info_keys`` (filters and full-text search), sorting by the whole ``info`` (it
    compares every key) and ``private_columns`` (filters and sorting). A filter on a private value
    is an oracle: the rows it returns tell the value without showing it."""
    keys = set(params.fulltext)
    if "info" in params.filters:
        keys |= info_filter_keys(params.filters["info"])
    named = [f"info.{key}" for key in sorted(keys - public_info_keys)]
    if params.orderby == "info":
        named.append("orderby=info")
    named += [c for c in private_columns if c in params.filters or c == params.orderby]
    return named


def _text_equals(path: str, key: str, value: str) -> Q:
    """``info->>'key' = 'value'`` on both databases (the Cast makes SQLite compare numbers as text)."""
    return Q(Exact(Cast(KeyTextTransform(key, path), TextField()), value))


def json_contains(path: str, value) -> Q:
    """JSON containment (PostgreSQL's ``@>``). SQLite has no containment operator, so a dict is
    matched leaf by leaf with key paths (nested dicts work; a list leaf must match exactly)."""
    if value is None:  # the JSON null document, not SQL NULL
        return Q(**{path: Value(None, JSONField())})
    if connection.vendor == "postgresql":
        return Q(**{f"{path}__contains": value})
    if isinstance(value, dict):
        return _leaf_clauses(path, value) if value else Q()
    return Q(**{path: value})


def _leaf_clauses(prefix: str, value: dict) -> Q:
    clauses = Q()
    for key, item in value.items():
        lookup = f"{prefix}__{key}"
        if isinstance(item, dict) and item:
            clauses &= _leaf_clauses(lookup, item)
        else:
            clauses &= Q(**{lookup: item})
    return clauses


_DIGITS = re.compile(r"\d+")


def column_filter(resource, name: str, raw: str) -> Q:
    column = resource.columns[name]
    kind, path = column.kind, column.path
    if kind == "ignored":
        return Q()
    if kind == "ids":  # PYBOSSA: every run of digits is an alternative (project_id=[1,2,3])
        ids = [strict_int(d, name=name) for d in _DIGITS.findall(raw)]
        return Q(**{f"{path}__in": ids})
    if kind in {"int", "m2m"}:
        return Q(**{path: strict_int(raw, name=name)})
    if kind == "float":
        return Q(**{path: strict_float(raw, name=name)})
    if kind == "bool":
        return Q(**{path: fuzzy_bool(raw, name=name)})
    if kind == "datetime":
        start, end = iso_prefix_range(raw, name=name)
        return Q(**{f"{path}__gte": start, f"{path}__lt": end})
    if kind == "json":
        return _info_filter(path, raw)
    return Q(**{path: raw})


def apply_filters(qs, resource, params: ListParams):
    clauses = Q()
    for name, raw in params.filters.items():
        clauses &= column_filter(resource, name, raw)
    qs = qs.filter(clauses)
    if any(resource.columns[n].kind == "m2m" for n in params.filters):
        qs = qs.distinct()
    return qs


def order_and_slice(qs, resource, params: ListParams):
    path = resource.columns[params.orderby].path
    if params.last_id is not None:
        # Keyset pagination: ascending by id from the last one seen; offset is ignored.
        qs = (
            qs.filter(pk__gt=params.last_id).order_by(path, "id")
            if path != "id"
            else qs.filter(pk__gt=params.last_id).order_by("id")
        )
        return list(qs[: params.limit])
    prefix = "-" if params.desc else ""
    ordering = [f"{prefix}{path}"] + ([f"{prefix}id"] if path != "id" else [])
    return list(qs.order_by(*ordering)[params.offset : params.offset + params.limit])
