"""Plain SQL for the few queries that run on every contribution request.

Building a query through the ORM costs about a millisecond of CPU, five times what running it
costs (profiled on the newtask → taskrun cycle). These helpers keep the ORM's models and column
lists but skip the query compiler: the SQL is built once per model and condition.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connection, models


@lru_cache(maxsize=64)
def _select_sql(model: type[models.Model], where: str) -> tuple[str, tuple[str, ...]]:
    fields = tuple(f.attname for f in model._meta.concrete_fields)
    columns = ", ".join(f'"{f.column}"' for f in model._meta.concrete_fields)
    return f'SELECT {columns} FROM "{model._meta.db_table}" WHERE {where} LIMIT 1', fields


@lru_cache(maxsize=64)
def _converters(model: type[models.Model], vendor: str) -> tuple:
    """Per column, the backend's conversion from database value to Python (JSON, dates on SQLite,
    UUIDs…), as the ORM would apply it; None where nothing is needed."""
    out = []
    for field in model._meta.concrete_fields:
        convs = connection.ops.get_db_converters(field.cached_col) + field.get_db_converters(
            connection
        )
        out.append((tuple(convs), field.cached_col) if convs else None)
    return tuple(out)


def select_one(model: type[models.Model], where: str, params: list):
    """The first row of ``model`` matching the SQL condition ``where``, as a model instance."""
    sql, _ = _select_sql(model, where)
    found = instances(model, sql, params)
    return found[0] if found else None


def columns(model: type[models.Model], alias: str) -> str:
    """The model's columns in the order :func:`instances` expects, qualified by a table alias."""
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def _cursor():
    """PostgreSQL: a prepared, server-bound cursor (crowdfold.lib.postgresql); else the usual."""
    bound = getattr(connection, "bound_cursor", None)
    return bound() if bound is not None else connection.cursor()


def instances(model: type[models.Model], sql: str, params: list) -> list:
    """Run ``sql``, which selects the model's :func:`columns`, and build model instances as the ORM
    would (``Model.from_db``, the backend's and fields' value converters)."""
    with _cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    if not rows:
        return []
    fields = tuple(f.attname for f in model._meta.concrete_fields)
    converters = _converters(model, connection.vendor)
    return [model.from_db(connection.alias, fields, _convert(row, converters)) for row in rows]


def _convert(row, converters) -> list:
    values = []
    for value, conversion in zip(row, converters, strict=True):
        if conversion is not None:
            convs, column = conversion
            for conv in convs:
                value = conv(value, column, connection)
        values.append(value)
    return values


def row(sql: str, params: list):
    """The first row of a plain SQL statement (SELECT, or a write with RETURNING), or None."""
    with _cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()


@lru_cache(maxsize=16)
def _insert_sql(model: type[models.Model]) -> tuple[str, tuple]:
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    cols = ", ".join(f'"{f.column}"' for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f'INSERT INTO "{model._meta.db_table}" ({cols}) VALUES ({marks}) RETURNING id', fields


def insert(obj: models.Model) -> int:
    """INSERT one model instance (values prepared by its fields, as ``Model.save`` would; no
    signals). Returns the new id. RETURNING needs SQLite 3.35 or later."""
    sql, fields = _insert_sql(type(obj))
    return row(sql, [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields])[0]
