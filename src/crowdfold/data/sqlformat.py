"""Export cells formatted by the database, byte for byte as the Python side would write them.

Formatting millions of values in Python (timestamps through ``datetime``, every cell through the
``csv`` module, which inspects each character) was most of a CSV export's time. The database does
it in C while it reads the rows: ``IsoTime`` for timestamps, and ``csv_head`` for the leading base
columns of a CSV row, joined and quoted as ``csv.writer`` (the default "excel" dialect) writes them.
Both have a PostgreSQL and a SQLite form, so the two databases export the same bytes.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Case, F, Func, TextField, Value, When
from django.db.models.functions import Cast, Coalesce

TIME_COLUMNS = {"created", "finish_time"}
_INTEGER_FIELDS = (models.IntegerField, models.AutoField, models.ForeignKey)  # Big/Positive too
_TEXT_FIELDS = (models.CharField, models.TextField)


class IsoTime(Func):
    """A timestamp as PYBOSSA writes it (``lib.timefmt.iso``: naive UTC, microseconds unless
    zero), formatted by the database: parsing millions of timestamps into Python datetimes only
    to print them again was a large share of an export's time."""

    output_field = TextField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            "(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
            " || CASE WHEN mod(date_part('microseconds', %(expressions)s)::bigint, 1000000) = 0"
            " THEN '' ELSE to_char(%(expressions)s AT TIME ZONE 'UTC', '.US') END)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores str(naive UTC datetime): "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return self.as_sql(compiler, connection, template="replace(%(expressions)s, ' ', 'T')")


class CsvQuoted(Func):
    """A text column as its CSV cell: quoted (inner quotes doubled) when it holds a comma, a
    quote, CR or LF, which is when ``csv.writer``'s minimal quoting quotes; NULL as ''."""

    output_field = TextField()
    arity = 1
    _template = (
        "CASE WHEN {x} IS NULL THEN ''"
        " WHEN {find}({x}, ',') + {find}({x}, '\"') + {find}({x}, {char}(10))"
        " + {find}({x}, {char}(13)) > 0"
        " THEN '\"' || replace({x}, '\"', '\"\"') || '\"' ELSE {x} END"
    )

    def as_postgresql(self, compiler, connection, **extra):
        template = self._template.format(x="%(expressions)s", find="strpos", char="chr")
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = self._template.format(x="%(expressions)s", find="instr", char="char")
        return self.as_sql(compiler, connection, template=template, **extra)


class _CsvJoin(Func):
    """Cells (never NULL) joined with commas into one line fragment."""

    output_field = TextField()
    template = "(%(expressions)s)"
    arg_joiner = " || ',' || "


def csv_cell(model: type[models.Model], name: str):
    """The column ``name`` as the text ``csv.writer`` writes for its Python value, or None when
    the database cannot format it identically (floats, JSON): those stay with Python."""
    field = model._meta.get_field(name)
    column = F(name)
    if name in TIME_COLUMNS:
        return Coalesce(IsoTime(column), Value(""), output_field=TextField())
    if isinstance(field, models.BooleanField):
        return Case(
            When(**{name: True}, then=Value("True")),
            When(**{name: False}, then=Value("False")),
            default=Value(""),
            output_field=TextField(),
        )
    if isinstance(field, _INTEGER_FIELDS):
        return Coalesce(Cast(column, TextField()), Value(""), output_field=TextField())
    if isinstance(field, _TEXT_FIELDS):
        return CsvQuoted(column)
    return None


def csv_head(model: type[models.Model], columns: tuple[str, ...]) -> tuple[Func | None, int]:
    """The longest run of leading ``columns`` the database can format, as one expression giving
    their cells joined with commas, and how many columns it covers (None, 0 when none can)."""
    cells = []
    for name in columns:
        cell = csv_cell(model, name)
        if cell is None:
            break
        cells.append(cell)
    if not cells:
        return None, 0
    return _CsvJoin(*cells), len(cells)
