"""Changing a hand-edited YAML file by patching text spans, never by dumping the document again.

A rewrite compares the file's node tree with the new data and replaces only the spans of the
nodes whose value changed, so every other byte (comments, blank lines, quoting, the spelling of
numbers such as ``180_000.50``, document markers, directives) stays exactly as the user wrote it.
New content is rendered in block style at the file's own indentation; scalars are rendered on
one line, so that no value can smuggle in a second line of YAML.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["PatchError", "render_scalar", "rewrite"]


class PatchError(Exception):
    """A change whose shape cannot be patched into the text safely; the message says why."""


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
# No ',', ':', '#', brackets, quotes or outer spaces: such text is plain in block and flow.
_PLAIN = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9 _./()'&+-]*[A-Za-z0-9_./()'&+-])?")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
# YAML's printable characters, less \x85, \u2028 and \u2029: line breaks to YAML 1.1 readers
# and to str.splitlines. Everything else is escaped, so a value never spans two lines.
_KEEP = re.compile(
    "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_PREFIX = re.compile(r"(?:[!&]\S*\s+)*")
_UNKNOWN = object()  # an old value that cannot be constructed: it equals nothing
_ANCHORS = "uses YAML anchors or aliases; edit it by hand"
_V11 = yaml.resolver.Resolver()


def _plain_value(text: str) -> object:
    """The value of a plain scalar under the YAML 1.2 core schema."""
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
        return _UNKNOWN
    return text


def _resolves(text: str) -> bool:
    """Whether plain ``text`` would be read as something other than a string (YAML 1.1 or 1.2)."""
    if not isinstance(_plain_value(text), str):
        return True
    tag: str = _V11.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag != "tag:yaml.org,2002:str"


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if _KEEP.fullmatch(char):
        return char
    code = ord(char)
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


def _freeze(value: object) -> object:
    """A hashable form of plain data in which ``True``, ``1`` and ``1.0`` differ, key order not."""
    if isinstance(value, dict):
        return ("map", frozenset((_freeze(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return ("seq", tuple(_freeze(item) for item in value))
    if value is None or value is _UNKNOWN:
        return ("id", id(value))
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)  # an unchanged .nan must compare equal, or it would be re-rendered
    if isinstance(value, bool | int | float | str | date):
        return (type(value).__name__, value)
    raise TypeError(f"cannot write a {type(value).__name__} to YAML")


def _filled(value: object) -> bool:
    return isinstance(value, dict | list | tuple) and bool(value)


def _flow(value: object) -> str:
    """``value`` on one line: flow collections and one-line scalars."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return render_scalar(value)


def _nodes(node: Node) -> list[Node]:
    """``node`` and every node below it (aliased nodes once per use)."""
    out, todo = [], [node]
    while todo:
        current = todo.pop()
        out.append(current)
        if isinstance(current, MappingNode):
            todo.extend(part for pair in current.value for part in pair)
        elif isinstance(current, SequenceNode):
            todo.extend(current.value)
    return out


@dataclass(frozen=True)
class _Ctx:
    """Where a node sits: its owner's column and the index just after its ``:`` or ``-``."""

    kind: str  # "root", "value" (of a block mapping), "item" (of a block sequence), "flow"
    col: int = 0
    anchor: int = -1  # -1: no usable ':' or '-' (found out only if an edit needs it)


class _Patcher:
    def __init__(self, text: str, root: Node) -> None:
        self.text = text
        self.edits: list[tuple[int, int, str]] = []
        self.values: dict[int, object] = {}
        self.tainted = self._tainted(root) if "&" in text else set()
        self.mapping, self.offset = self._indents(root)

    # --- reading the tree

    def _tainted(self, root: Node) -> set[int]:
        """Ids of nodes that are anchored, aliased, or inside such a node."""
        seen: dict[int, int] = {}
        for node in _nodes(root):
            seen[id(node)] = seen.get(id(node), 0) + 1
        out: set[int] = set()
        for node in _nodes(root):
            prefix = _PREFIX.match(self.text, node.start_mark.index)
            anchored = prefix is not None and "&" in prefix.group()
            if seen[id(node)] > 1 or anchored:
                out.update(id(inner) for inner in _nodes(node))
        return out

    def _indents(self, root: Node) -> tuple[int, int]:
        """The file's nested-key indent and list-dash offset (default 2 and 2)."""
        mapping: int | None = None
        offset: int | None = None
        for node in _nodes(root):
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
        return (mapping or 2, 2 if offset is None else offset)

    def _value(self, node: Node) -> object:
        """The value ``node`` loads as (YAML 1.2 core), cached per node."""
        if id(node) not in self.values:
            self.values[id(node)] = self._construct(node)
        return self.values[id(node)]

    def _construct(self, node: Node) -> object:
        if isinstance(node, SequenceNode):
            return [self._value(item) for item in node.value]
        if isinstance(node, MappingNode):
            out: dict[Any, object] = {}
            merged: dict[Any, object] = {}
            for key, value in node.value:
                if self._is_merge(key):
                    for base in value.value if isinstance(value, SequenceNode) else [value]:
                        for k, v in dict(self._value(base)).items():  # type: ignore[call-overload]
                            merged.setdefault(k, v)
                else:
                    out[_freeze_key(self._value(key))] = self._value(value)
            return {**merged, **out}
        assert isinstance(node, ScalarNode)
        prefix = _PREFIX.match(self.text, node.start_mark.index)
        tagged = prefix is not None and "!" in prefix.group()
        if tagged and not node.tag.endswith(":str"):
            return _plain_value(node.value)
        return node.value if tagged or node.style not in (None, "") else _plain_value(node.value)

    def _is_merge(self, key: Node) -> bool:
        return isinstance(key, ScalarNode) and key.style in (None, "") and key.value == "<<"

    def _end(self, node: Node) -> int:
        """Where ``node``'s own content ends (block collections' end marks run on too far)."""
        if isinstance(node, ScalarNode):
            if node.style in ("|", ">"):
                start = node.start_mark.index
                return start + len(self.text[start : node.end_mark.index].rstrip())
            return int(node.end_mark.index)
        assert isinstance(node, MappingNode | SequenceNode)
        if node.flow_style or not node.value:
            return int(node.end_mark.index)
        last = node.value[-1]
        return self._end(last[1] if isinstance(node, MappingNode) else last)

    def _dash(self, item: Node) -> int:
        """The index of the ``-`` that introduces a block sequence item."""
        i = item.start_mark.index - 1
        while i >= 0:  # only blanks and comments lie between a '-' and its item
            hash_at = self.text.find("#", self._line_start(i), i + 1)
            if self.text[i] in " \t\n" or hash_at >= 0:
                i = i - 1 if hash_at < 0 else hash_at - 1
            elif self.text[i] == "-":
                return i
            else:
                break
        raise PatchError(f"line {item.start_mark.line + 1}: no '-' found for this item")

    def _colon(self, key: Node) -> int:
        i = key.end_mark.index
        while i < len(self.text) and self.text[i] in " \t":
            i += 1
        return i + 1 if i < len(self.text) and self.text[i] == ":" else -1

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _line_after(self, index: int) -> int:
        end = self.text.find("\n", index)
        return len(self.text) if end < 0 else end + 1

    def _compact(self, index: int) -> bool:
        """Whether the entry at ``index`` shares its line with its parent's ``-``."""
        return bool(self.text[self._line_start(index) : index].strip())

    def _entries(self, node: Node) -> tuple[list[int], list[int]]:
        if isinstance(node, MappingNode):
            pairs = node.value
            return [k.start_mark.index for k, _ in pairs], [self._end(v) for _, v in pairs]
        return [self._dash(item) for item in node.value], [self._end(i) for i in node.value]

    # --- recording edits

    def _edit(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, new))

    def _guard(self, node: Node) -> None:
        if any(id(inner) in self.tainted for inner in _nodes(node)):
            raise PatchError(f"line {node.start_mark.line + 1}: this value {_ANCHORS}")

    def _anchor(self, ctx: _Ctx) -> int:
        if ctx.anchor < 0:
            raise PatchError("this value's key is written in a form that cannot be patched")
        return ctx.anchor

    def _insert_after(self, index: int, lines: list[str]) -> None:
        at = self._line_after(index)
        if at == len(self.text) and not self.text.endswith("\n"):
            self._edit(at, at, "\n" + "\n".join(lines))
        else:
            self._edit(at, at, "\n".join(lines) + "\n")

    def _insert_before(self, index: int, lines: list[str], col: int) -> None:
        if self._compact(index):  # after a parent's '-': the new entries take over its line
            self._edit(index, index, "\n".join(lines).lstrip(" ") + "\n" + " " * col)
        else:
            at = self._line_start(index)
            self._edit(at, at, "\n".join(lines) + "\n")

    def _drop(self, starts: list[int], ends: list[int], gone: set[int]) -> int | None:
        """Delete the entries ``gone``, line by line. Returns how many leading entries went in
        one span (the first shared its line with a dash), or None if all of those went."""
        lead = 0
        if 0 in gone and self._compact(starts[0]):
            kept = [i for i in range(len(starts)) if i not in gone]
            lead = kept[0] if kept else len(starts)
            # Comment lines between the dropped entries belong to none of them: they move up
            # above the dash's line, as the span below is deleted or rewritten in one piece.
            gaps = [self.text[ends[i] : starts[i + 1]] for i in range(min(lead, len(starts) - 1))]
            notes = [line for gap in gaps for line in gap.split("\n")[1:] if _is_comment(line)]
            if notes:
                at = self._line_start(starts[0])
                self._edit(at, at, "\n".join(notes) + "\n")
            if not kept:
                return None
            self._edit(starts[0], starts[lead], "")  # the next kept entry moves onto the line
        for i in sorted(gone):
            if i >= lead:
                self._edit(self._line_start(starts[i]), self._line_after(ends[i]), "")
        return lead

    # --- rendering

    def _block(self, value: object, indent: int) -> list[str]:
        """Block-style lines for a non-empty dict or list, the first at ``indent``."""
        pad, out = " " * indent, []
        if isinstance(value, dict):
            for key, item in value.items():
                head = pad + render_scalar(key)
                if not _filled(item):
                    out.append(f"{head}: {_flow(item)}")
                    continue
                out.append(head + ":")
                out.extend(self._block(item, indent + self._step(item)))
            return out
        for item in value:  # type: ignore[attr-defined]
            if _filled(item):
                inner = self._block(item, indent + 2)
                out.append(f"{pad}- {inner[0].lstrip(' ')}")
                out.extend(inner[1:])
            else:
                out.append(f"{pad}- {_flow(item)}")
        return out

    def _step(self, value: object) -> int:
        return self.mapping if isinstance(value, dict) else self.offset

    # --- diffing

    def diff(self, node: Node, new: object, ctx: _Ctx) -> None:
        if _freeze(self._value(node)) == _freeze(new):
            return
        if id(node) in self.tainted:
            raise PatchError(f"line {node.start_mark.line + 1}: this value {_ANCHORS}")
        flow = isinstance(node, MappingNode | SequenceNode) and bool(node.flow_style)
        if isinstance(node, MappingNode) and isinstance(new, dict):
            if any(self._is_merge(key) for key, _ in node.value):
                raise PatchError(f"line {node.start_mark.line + 1}: this mapping {_ANCHORS}")
            if not flow:
                return self._diff_mapping(node, new, ctx)
            keys = [self._value(key) for key, _ in node.value]
            if node.value and {_freeze(k) for k in keys} == {_freeze(k) for k in new}:
                for (_, value), key in zip(node.value, keys, strict=True):
                    self.diff(value, new[key], _Ctx("flow"))
                return None
        elif isinstance(node, SequenceNode) and isinstance(new, list | tuple):
            if not flow:
                return self._diff_sequence(node, list(new), ctx)
            if node.value and len(node.value) == len(new):
                for item, value in zip(node.value, new, strict=True):
                    self.diff(item, value, _Ctx("flow"))
                return None
        return self._replace(node, new, ctx)

    def _diff_mapping(self, node: MappingNode, new: dict[Any, Any], ctx: _Ctx) -> None:
        if not new:
            return self._empty(node, "{}", ctx)
        wanted = {_freeze(k): k for k in new}  # typed, so that key 1 is not key True
        names = [_freeze(self._value(key)) for key, _ in node.value]
        gone: set[int] = set()
        col = node.value[0][0].start_mark.column
        for i, ((key, value), name) in enumerate(zip(node.value, names, strict=True)):
            if name in wanted:
                self.diff(value, new[wanted[name]], _Ctx("value", col, self._colon(key)))
            else:
                self._guard(key)
                self._guard(value)
                gone.add(i)
        old = set(names)
        added = {k: new[k] for name, k in wanted.items() if name not in old}
        starts, ends = self._entries(node)
        if self._drop(starts, ends, gone) is None:  # a compact mapping lost every old key
            return self._edit(starts[0], ends[-1], "\n".join(self._block(new, col)).lstrip(" "))
        if added:
            self._insert_after(ends[-1], self._block(added, col))
        return None

    def _diff_sequence(self, node: SequenceNode, new: list[Any], ctx: _Ctx) -> None:
        if not new:
            return self._empty(node, "[]", ctx)
        items: list[Node] = node.value
        starts, ends = self._entries(node)
        col = node.start_mark.column
        olds = [_freeze(self._value(item)) for item in items]
        matcher = SequenceMatcher(None, olds, [_freeze(value) for value in new], autojunk=False)
        gone: set[int] = set()
        inserts: list[tuple[int, list[Any]]] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = list(zip(items[i1:i2], new[j1:j2], strict=False))
            if tag == "replace" and i2 - i1 == j2 - j1 and all(_alike(*p) for p in pairs):
                for k, (item, value) in enumerate(pairs):  # edit in place: comments survive
                    self.diff(item, value, _Ctx("item", col, starts[i1 + k] + 1))
                continue
            for item in items[i1:i2]:
                self._guard(item)
            gone.update(range(i1, i2))
            if j2 > j1:
                inserts.append((i1, new[j1:j2]))
        lead = self._drop(starts, ends, gone)
        if lead is None:  # a compact sequence lost every old item
            return self._edit(starts[0], ends[-1], "\n".join(self._block(new, col)).lstrip(" "))
        for i, values in inserts:
            if i <= lead:
                self._insert_before(starts[0], self._block(values, col), col)
            else:
                self._insert_after(ends[i - 1], self._block(values, col))
        return None

    def _empty(self, node: Node, empty: str, ctx: _Ctx) -> None:
        """A non-empty block collection becomes ``{}`` / ``[]``; comment lines among it stay."""
        self._guard(node)
        starts, ends = self._entries(node)
        first = 0
        if self._compact(starts[0]):
            self._edit(starts[0], ends[0], empty)
            first = 1
        for i in range(first, len(starts)):
            self._edit(self._line_start(starts[i]), self._line_after(ends[i]), "")
        if first:
            return
        if ctx.kind == "root":
            self._edit(self._line_start(starts[0]), self._line_start(starts[0]), empty + "\n")
        else:
            anchor = self._anchor(ctx)
            self._edit(anchor, anchor, " " + empty)

    def _replace(self, node: Node, new: object, ctx: _Ctx) -> None:
        """``node`` is rewritten whole: a changed scalar, or a change of shape."""
        self._guard(node)
        if ctx.kind == "root":
            raise PatchError("the document's top level is not a block mapping; edit it by hand")
        start, end = node.start_mark.index, self._end(node)
        block = isinstance(node, MappingNode | SequenceNode) and not node.flow_style
        stays_flow = not block and _filled(node.value) and _filled(new)
        if ctx.kind == "flow" or stays_flow or not _filled(new):
            if block or start == end:  # after the ':' or '-': a block collection or nothing
                anchor = self._anchor(ctx)
                return self._edit(anchor, end, " " + _flow(new))
            return self._edit(start, end, _flow(new))
        if ctx.kind == "item":
            if start == end:
                start, end = self._anchor(ctx), self._anchor(ctx)
                lines = self._block(new, ctx.col + 2)
                return self._edit(start, end, " " + "\n".join(lines).lstrip(" "))
            lines = self._block(new, node.start_mark.column)
            return self._edit(start, end, "\n".join(lines).lstrip(" "))
        lines = self._block(new, ctx.col + self._step(new))
        if block:
            return self._edit(self._line_start(start), end, "\n".join(lines))
        rest = self.text[end : self._line_after(end)].rstrip("\n")
        keep = rest if rest.strip().startswith("#") else ""  # a comment after the old value
        return self._edit(self._anchor(ctx), end + len(keep), keep + "\n" + "\n".join(lines))


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _alike(node: Node, new: object) -> bool:
    """Whether a replaced sequence item is edited in place rather than deleted and re-added."""
    if isinstance(node, MappingNode):
        return isinstance(new, dict)
    if isinstance(node, SequenceNode):
        return isinstance(new, list | tuple)
    return not isinstance(new, dict | list | tuple)


def _freeze_key(key: object) -> Any:
    return key if isinstance(key, str | int | float | bool | date | None) else _freeze(key)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    position = 0
    # A stable sort keeps insertions at one place in the order they were made.
    for start, end, new in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        if start < position:
            raise PatchError("two changes overlap in the text; edit the file by hand")
        out += [text[position:start], new]
        position = end
    out.append(text[position:])
    return "".join(out)


def rewrite(text: str, root: Node, new: object) -> str:
    """Return ``text`` changed so that it loads as ``new``, touching only the spans of changed
    nodes. ``root`` is the node tree of ``text`` (``yaml.compose``, character offsets)."""
    if root is None:
        raise PatchError("the file holds no YAML document; write it out whole instead")
    patcher = _Patcher(text, root)
    patcher.diff(root, new, _Ctx("root"))
    return _apply(text, patcher.edits)
