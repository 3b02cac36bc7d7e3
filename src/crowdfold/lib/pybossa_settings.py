"""Read an operator's PYBOSSA ``settings_local.py`` without running it.

``CROWDFOLD_PYBOSSA_SETTINGS=/path/settings_local.py`` points Crowdfold at the file. We parse it with
:mod:`ast` and keep only top-level ``NAME = <literal>`` assignments (numbers, strings, lists, dicts,
arithmetic on numbers, and names assigned earlier in the same file, as in ``TIMEOUT = 20 * MINUTE``):
the file is never executed, so nothing in it can run code in our process.

Each PYBOSSA key we understand is turned into the environment variable that stands for it (see
``crowdfold.lib.pybossa_knobs``); real environment variables always win over the file. ``crowdfold
check`` reports the keys we do not understand, the ones we deliberately ignore, and the statements we
could not read.
"""

from __future__ import annotations

import ast
import json
import operator
from dataclasses import dataclass, field
from pathlib import Path

from crowdfold.lib.pybossa_knobs import KNOBS, Knob


class PybossaSettingsError(Exception):
    """The file named by CROWDFOLD_PYBOSSA_SETTINGS cannot be read at all."""


class _NotLiteral(Exception):
    pass


_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_}


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _literal(node: ast.AST, names: dict[str, object]) -> object:
    """Evaluate a literal expression; anything that could run code raises _NotLiteral."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = [_literal(elt, names) for elt in node.elts]
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):  # {**other}
            raise _NotLiteral
        return {
            _literal(k, names): _literal(v, names)
            for k, v in zip(node.keys, node.values, strict=True)
        }
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_literal(node.operand, names))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = _literal(node.left, names), _literal(node.right, names)
        # Numbers only (and string concatenation): "x" * 10**9 must not eat our memory.
        if (_number(left) and _number(right)) or (
            isinstance(node.op, ast.Add) and isinstance(left, str) and isinstance(right, str)
        ):
            try:
                return _BINOPS[type(node.op)](left, right)
            except ArithmeticError as exc:
                raise _NotLiteral from exc
        raise _NotLiteral
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    raise _NotLiteral


@dataclass
class PybossaSettings:
    """What we found in an operator's settings_local.py."""

    path: str = ""
    values: dict[str, object] = field(default_factory=dict)  # every readable UPPERCASE key
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (line, what) we skipped
    env: dict[str, str] = field(default_factory=dict)  # environment variables the file stands for

    def known(self) -> dict[str, Knob]:
        return {key: KNOBS[key] for key in self.values if key in KNOBS}

    def unknown(self) -> list[str]:
        return sorted(key for key in self.values if key not in KNOBS)


def _targets(stmt: ast.stmt) -> list[str] | None:
    if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
        return [t.id for t in stmt.targets]
    if (
        isinstance(stmt, ast.AnnAssign)
        and stmt.value is not None
        and isinstance(stmt.target, ast.Name)
    ):
        return [stmt.target.id]
    return None


def parse(source: str, path: str = "<settings>") -> PybossaSettings:
    """Collect the literal top-level assignments of a PYBOSSA settings file."""
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise PybossaSettingsError(f"{path}:{exc.lineno}: cannot parse: {exc.msg}") from exc
    found = PybossaSettings(path=path)
    names: dict[str, object] = {}
    for stmt in tree.body:
        targets = _targets(stmt)
        if targets is None:
            if not (
                isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            ):  # docstrings
                found.unreadable.append(
                    (stmt.lineno, f"{type(stmt).__name__.lower()} statement ignored")
                )
            continue
        try:
            value = _literal(stmt.value, names)
        except (_NotLiteral, RecursionError):
            for name in targets:
                names.pop(name, None)
                if name.isupper():
                    found.values.pop(name, None)
                    found.unreadable.append((stmt.lineno, f"{name}: not a literal value, ignored"))
            continue
        for name in targets:
            names[name] = value
            if name.isupper():  # Flask's from_pyfile reads only UPPERCASE names too
                found.values[name] = value
    found.env = to_environment(found.values)
    return found


def load(path: str) -> PybossaSettings:
    """Read the file named by CROWDFOLD_PYBOSSA_SETTINGS (an empty path reads nothing)."""
    if not path:
        return PybossaSettings()
    try:
        source = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PybossaSettingsError(f"CROWDFOLD_PYBOSSA_SETTINGS={path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise PybossaSettingsError(f"CROWDFOLD_PYBOSSA_SETTINGS={path}: not UTF-8 text") from exc
    return parse(source, path)


def as_env_string(value: object) -> str | None:
    """How a Python literal is written as an environment variable (None: leave it unset)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) and "," not in v for v in value):
        return ",".join(value)
    return json.dumps(value, ensure_ascii=False)


def to_environment(values: dict[str, object]) -> dict[str, str]:
    """Translate understood PYBOSSA keys into the environment variables Crowdfold reads."""
    env: dict[str, str] = {}
    for key, value in values.items():
        knob = KNOBS.get(key)
        if knob is None or not knob.env:
            continue
        converted = knob.convert(value) if knob.convert else value
        text = as_env_string(converted)
        if text is not None:
            env.setdefault(knob.env, text)
    return env
