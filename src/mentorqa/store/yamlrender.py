"""Rendering new YAML for :mod:`mentorqa.store.yamlpatch`, and reading plain scalars back.

Scalars are rendered on one line, so that no value can smuggle in a second line of YAML, and a
string stays plain only when no YAML 1.1 or 1.2 reader could take it for anything else. New
collections are rendered in block style (or flow style, on one line) at a given indentation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "UNKNOWN",
    "Layout",
    "both_nan",
    "filled",
    "freeze",
    "freeze_key",
    "plain_value",
    "render_flow",
    "render_scalar",
    "same",
]

# YAML 1.2 core schema, as the project's reader (ruamel.yaml's resolver) applies it.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT = re.compile(r"[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+")
_FLOAT = re.compile(
    r"[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)
# The same rules as the reader applies them (yamlio's loader): each tag of the core schema, the
# whole plain scalars it takes, and the first characters they can start with ('' for empty).
# They are ruamel.yaml's resolver's for YAML 1.2; tests/store/test_yamlio.py holds them to it.
CORE_12: tuple[tuple[str, tuple[re.Pattern[str], ...], tuple[str, ...]], ...] = (
    ("bool", (_BOOL,), tuple("tTfF")),
    ("float", (_FLOAT,), tuple("-+0123456789.")),
    ("int", (_INT,), tuple("-+0123456789")),
    ("merge", (re.compile("<<"),), ("<",)),
    ("null", (_NULL,), ("~", "n", "N", "")),
    ("timestamp", (_DATE, _TIMESTAMP), tuple("0123456789")),
    ("value", (re.compile("="),), ("=",)),
)
# No ',', ':', '#', brackets, quotes or outer spaces: such text is plain in block and flow.
_PLAIN = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9 _./()'&+-]*[A-Za-z0-9_./()'&+-])?")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
# YAML's printable characters, less \x85, \u2028 and \u2029: line breaks to YAML 1.1 readers
# and to str.splitlines. Everything else is escaped, so a value never spans two lines. (Ranges
# of code points: as a pattern, this class took 6 ms of every write to compile.)
KEPT = (
    (0x20, 0x7E),
    (0xA0, 0x2027),
    (0x202A, 0xD7FF),
    (0xE000, 0xFEFE),
    (0xFF00, 0xFFFD),
    (0x10000, 0x10FFFF),
)
UNKNOWN = object()  # an old value that cannot be constructed: it equals nothing
_V11 = yaml.resolver.Resolver()


def plain_value(text: str) -> object:
    """The value of a plain scalar under the YAML 1.2 core schema (``UNKNOWN`` if invalid)."""
    try:
        if _NULL.fullmatch(text):
            return None
        if _BOOL.fullmatch(text):
            return text.lower() == "true"
        if _INT.fullmatch(text):
            digits = text.replace("_", "").lstrip("+-")
            sign = -1 if text.startswith("-") else 1
            base = {"0b": 2, "0o": 8, "0x": 16}.get(digits[:2], 10)
            return sign * int(digits[2:] if base != 10 else digits, base)
        if _FLOAT.fullmatch(text):
            return SafeConstructor().construct_yaml_float(ScalarNode("", text))
        if _DATE.fullmatch(text):
            return date.fromisoformat(text)
        if _TIMESTAMP.fullmatch(text):
            return SafeConstructor().construct_yaml_timestamp(ScalarNode("", text))
    except ValueError:
        return UNKNOWN
    return text


def _resolves(text: str) -> bool:
    """Whether plain ``text`` would be read as something other than a string (YAML 1.1 or 1.2)."""
    if not isinstance(plain_value(text), str):
        return True
    tag: str = _V11.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag != "tag:yaml.org,2002:str"


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if any(low <= code <= high for low, high in KEPT):
        return char
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _render_str(text: str) -> str:
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        raise ValueError(f"{text!r} holds a lone surrogate and cannot be saved as UTF-8")
    if _PLAIN.fullmatch(text) and not _resolves(text):
        return text
    return '"' + "".join(_escape(char) for char in text) + '"'


def render_scalar(value: object) -> str:
    """One YAML 1.2 scalar, safe to put after ``key: `` or in a flow collection.

    Strings stay plain only when no YAML 1.1 or 1.2 reader could take them for anything else;
    otherwise they are double-quoted with every line break and control character escaped.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)  # an IntEnum would print its name
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number and cannot be saved")
        return float.__repr__(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return _render_str(str.__str__(value))
    raise TypeError(f"cannot write a {type(value).__name__} to YAML")


def freeze(value: object) -> object:
    """A hashable form of plain data in which ``True``, ``1`` and ``1.0`` differ, key order not.

    Raises TypeError, as :func:`render_scalar` does, for data that cannot be written to YAML.
    """
    if isinstance(value, dict):
        return ("map", frozenset((freeze(k), freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("seq", tuple(freeze(item) for item in value))
    if value is None or value is UNKNOWN:
        return ("id", id(value))
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)  # an unchanged .nan must compare equal, or it would be re-rendered
    if isinstance(value, bool | int | float | str | date):
        return (type(value).__name__, value)
    raise TypeError(f"cannot write a {type(value).__name__} to YAML")


def freeze_key(key: object) -> Any:
    """``key`` as a dict key: itself if hashable plain data, else its :func:`freeze` form."""
    return key if isinstance(key, str | int | float | bool | date | None) else freeze(key)


def filled(value: object) -> bool:
    """Whether ``value`` is a non-empty collection (the only kind rendered in block style)."""
    return isinstance(value, dict | list | tuple) and bool(value)


def render_flow(value: object) -> str:
    """``value`` on one line: flow collections and one-line scalars."""
    if isinstance(value, dict):
        pairs = (f"{render_scalar(k)}: {render_flow(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(render_flow(item) for item in value) + "]"
    return render_scalar(value)


@dataclass(frozen=True)
class Layout:
    """A file's block style, so that new lines match old ones: how far right of their parent
    key a nested mapping's keys (``mapping``) and a nested sequence's dashes (``offset``) sit."""

    mapping: int = 2
    offset: int = 2

    @classmethod
    def measure(cls, nodes: Iterable[Node]) -> Layout:
        """The layout of the first nested block collections among ``nodes`` (else 2 and 2)."""
        mapping: int | None = None
        offset: int | None = None
        for node in nodes:
            if not isinstance(node, MappingNode) or node.flow_style:
                continue
            for key, value in node.value:
                if not value.value or getattr(value, "flow_style", True):
                    continue
                gap = value.start_mark.column - key.start_mark.column
                if isinstance(value, MappingNode) and mapping is None and gap > 0:
                    mapping = gap
                elif isinstance(value, SequenceNode) and offset is None and gap >= 0:
                    offset = gap
            if mapping is not None and offset is not None:
                break  # both found: the rest of the file cannot change them
        return cls(mapping or 2, 2 if offset is None else offset)

    def step(self, value: object) -> int:
        """How far right of its key a nested ``value`` starts."""
        return self.mapping if isinstance(value, dict) else self.offset

    def block(self, value: object, indent: int) -> list[str]:
        """Block-style lines for a non-empty dict or list, the first at ``indent``."""
        pad, out = " " * indent, []
        if isinstance(value, dict):
            for key, item in value.items():
                head = pad + render_scalar(key)
                if not filled(item):
                    out.append(f"{head}: {render_flow(item)}")
                    continue
                out.append(head + ":")
                out.extend(self.block(item, indent + self.step(item)))
            return out
        for item in value:  # type: ignore[attr-defined]
            if filled(item):
                # A compact item: the nested collection starts on the dash's own line.
                inner = self.block(item, indent + 2)
                out.append(f"{pad}- {inner[0].lstrip(' ')}")
                out.extend(inner[1:])
            else:
                out.append(f"{pad}- {render_flow(item)}")
        return out

    def inline(self, value: object, indent: int) -> str:
        """:meth:`block`'s lines as text whose first line starts where it is put, after a dash
        or in an old entry's place, so it does not take the indent of its own."""
        return "\n".join(self.block(value, indent)).lstrip(" ")


def same(old: object, new: object) -> bool:
    """Equal and of the same types all the way down: 1 is not True, and 1.0 is not 1."""
    if type(old) is not type(new) and not (
        isinstance(old, list | tuple) and isinstance(new, list | tuple)
    ):
        return False
    if isinstance(old, dict):
        assert isinstance(new, dict)
        return old.keys() == new.keys() and all(same(old[k], new[k]) for k in old)
    if isinstance(old, list | tuple):
        assert isinstance(new, list | tuple)
        return len(old) == len(new) and all(same(a, b) for a, b in zip(old, new, strict=True))
    return old == new or both_nan(old, new)


def both_nan(old: object, new: object) -> bool:
    """NaN is never equal to itself, yet an unchanged ``.nan`` is unchanged."""
    return isinstance(old, float) and isinstance(new, float) and old != old and new != new
