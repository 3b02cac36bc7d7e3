"""Parsing query-string and payload values the way PYBOSSA accepts them, with our 4xx on bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from crowdfold.lib import jsonlimits
from crowdfold.lib.errors import DataError, InvalidValue

MAX_DB_INT = 2**63 - 1  # larger ids would overflow the database integer types (5xx), so refuse them
_TRUE = {"true", "yes", "on", "y", "1", "t"}
_FALSE = {"false", "no", "off", "n", "0", "f"}


def fuzzy_bool(value, *, name: str = "value") -> bool:
    """PYBOSSA's ``desc``/boolean-column literal: true/yes/on/y/1 vs false/no/off/n/0."""
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InvalidValue(f"invalid truth value {value!r} for {name}")


def lenient_int(value, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    """``limit``/``offset``: a non-integer falls back to the default, as in PYBOSSA."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    number = max(number, minimum)
    return min(number, maximum) if maximum is not None else min(number, MAX_DB_INT)


def strict_int(value, *, name: str) -> int:
    """An integer filter or id; anything else is PYBOSSA's 415 DataError (never a 500)."""
    if isinstance(value, bool):
        raise DataError(f"invalid input syntax for integer {name}: {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DataError(f"invalid input syntax for integer {name}: {value!r}") from exc
    if abs(number) > MAX_DB_INT:
        raise DataError(f"{name} out of range: {value!r}")
    return number


def strict_float(value, *, name: str) -> float:
    if isinstance(value, bool):
        raise DataError(f"invalid input syntax for number {name}: {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise DataError(f"invalid input syntax for number {name}: {value!r}") from exc


def loads_loose(value: str):
    """PYBOSSA's info filter value: JSON if it parses, else the bare string; numbers become strings
    (its documented quirk: quote numbers to match numbers)."""
    try:
        parsed = jsonlimits.loads(value)
    except ValueError:
        return value
    if isinstance(parsed, int | float) and not isinstance(parsed, bool):
        return str(value)
    return parsed


_PREFIX_FORMATS = (
    ("%Y", "year"),
    ("%Y-%m", "month"),
    ("%Y-%m-%d", "day"),
    ("%Y-%m-%dT%H", "hour"),
    ("%Y-%m-%dT%H:%M", "minute"),
    ("%Y-%m-%dT%H:%M:%S", "second"),
    ("%Y-%m-%dT%H:%M:%S.%f", "exact"),
)


def _next_month(start: datetime) -> datetime:
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )


def iso_prefix_range(prefix: str, *, name: str = "created") -> tuple[datetime, datetime]:
    """PYBOSSA matched ``created=2015-05`` as a prefix of the ISO text; with real timestamps that is
    the half-open range of the period the prefix names."""
    text = prefix.strip().replace(" ", "T")
    for fmt, unit in _PREFIX_FORMATS:
        try:
            start = datetime.strptime(text, fmt)
        except ValueError:
            continue
        end = {
            "year": lambda s: s.replace(year=s.year + 1),
            "month": _next_month,
            "day": lambda s: s + timedelta(days=1),
            "hour": lambda s: s + timedelta(hours=1),
            "minute": lambda s: s + timedelta(minutes=1),
            "second": lambda s: s + timedelta(seconds=1),
            "exact": lambda s: s + timedelta(microseconds=1),
        }[unit](start)
        return start.replace(tzinfo=UTC), end.replace(tzinfo=UTC)
    raise DataError(f"invalid timestamp prefix for {name}: {prefix!r}")


# -- payload coercers: (value, name) -> value, or PYBOSSA's 415 DataError ----------------------------
def text(max_length: int | None = None, *, null: bool = False):
    def coerce(value, name):
        if value is None and null:
            return None
        if not isinstance(value, str):
            raise DataError(f"{name} must be a string")
        if max_length is not None and len(value) > max_length:
            raise DataError(f"value too long for {name} (at most {max_length} characters)")
        return value

    return coerce


def link(*, null: bool = False):
    """A URL shown as a link or picture: http(s), or a path on this site (never ``javascript:``)."""
    as_text = text(2048, null=null)

    def coerce(value, name):
        value = as_text(value, name)
        if value is None or value == "" or value.startswith("/"):
            return value
        if urlsplit(value).scheme.lower() not in {"http", "https"}:
            raise DataError(f"{name} must be an http(s) URL or a path")
        return value

    return coerce


def integer(minimum: int | None = None, maximum: int | None = None):
    def coerce(value, name):
        number = strict_int(value, name=name)
        if minimum is not None and number < minimum:
            raise DataError(f"{name} must be at least {minimum}")
        if maximum is not None and number > maximum:
            raise DataError(f"{name} must be at most {maximum}")
        return number

    return coerce


def number(value, name):
    return strict_float(value, name=name)


def boolean(value, name):
    if not isinstance(value, bool):
        raise DataError(f"{name} must be true or false")
    return value


def any_json(value, name):
    return value


def json_object(value, name):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DataError(f"{name} must be a JSON object")
    return value
