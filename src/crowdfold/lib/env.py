"""Typed readers for environment variables.

Every setting can also come from a file: ``FOO_FILE=/run/secrets/foo`` is read when ``FOO`` is unset,
which is how container secrets are usually mounted. Below both, values from an operator's PYBOSSA
``settings_local.py`` (``CROWDFOLD_PYBOSSA_SETTINGS``, see lib/pybossa_settings.py) fill the gaps.
"""

from __future__ import annotations

import json
import os

_TRUE = {"1", "true", "yes", "on", "y"}
_FALSE = {"0", "false", "no", "off", "n", ""}

# Environment-variable spellings of the values in the operator's PYBOSSA settings file.
_file_values: dict[str, str] = {}


def use_file_values(values: dict[str, str]) -> None:
    """Let values from a settings file stand in for environment variables that are not set."""
    _file_values.clear()
    _file_values.update(values)


def env(name: str, default: str | None = None) -> str | None:
    if name in os.environ:
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    return _file_values.get(name, default)


def env_str(name: str, default: str = "") -> str:
    value = env(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{name}={value!r} is not a boolean (use true/false)")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name}={value!r} is not an integer") from exc


def env_float(name: str, default: float) -> float:
    value = env(name)
    if value is None or value.strip() == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ValueError(f"{name}={value!r} is not a number") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_json(name: str, default: object = None) -> object:
    """A JSON value (dicts and lists of pairs from a PYBOSSA settings file arrive this way)."""
    value = env(name)
    if value is None or value.strip() == "":
        return default
    try:
        return json.loads(value)
    except ValueError as exc:
        raise ValueError(f"{name}={value!r} is not valid JSON") from exc
