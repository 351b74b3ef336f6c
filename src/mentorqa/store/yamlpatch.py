"""Changing a hand-edited YAML file by patching text spans, never by dumping the document again.

A rewrite compares the file's node tree with the new data and replaces only the spans of the
nodes whose value changed, so every other byte (comments, blank lines, quoting, the spelling of
numbers such as ``180_000.50``, document markers, directives) stays exactly as the user wrote it.
New content is rendered in block style at the file's own indentation; scalars are rendered on
one line, so that no value can smuggle in a second line of YAML (:mod:`.yamlrender`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .yamlrender import (
    Layout,
    both_nan,
    filled,
    freeze,
    freeze_key,
    plain_value,
    render_flow,
    same,
)
from .yamlrender import render_scalar as render_scalar

__all__ = ["Layout", "PatchError", "layout_of", "render_scalar", "rewrite"]


class PatchError(Exception):
    """A change whose shape cannot be patched into the text safely; the message says why."""


_PREFIX = re.compile(r"(?:[!&]\S*\s+)*")
_ANCHORS = "uses YAML anchors or aliases; edit it by hand"


def _nodes(node: Node) -> Iterator[Node]:
    """``node`` and every node below it (aliased nodes once per use), as they are reached: a
    caller that stops early does not walk the rest of the tree."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        if isinstance(current, MappingNode):
            todo.extend(part for pair in current.value for part in pair)
        elif isinstance(current, SequenceNode):
            todo.extend(current.value)


# Sequence items to delete, and runs of new values, each with the index it is inserted before.
_Matched = tuple[set[int], list[tuple[int, list[Any]]]]
_Opcodes = Sequence[tuple[str, int, int, int, int]]  # difflib's
# Beyond this many pairs of equal values, a list's items are lined up by values found once only
# (difflib would weigh each pair: 8,000 equal items took 10 s).
_PAIRS_WEIGHED = 200_000


@dataclass(frozen=True)
class _Ctx:
    """Where a node sits: its owner's column and the index just after its ``:`` or ``-``."""

    kind: str  # "root", "value" (of a block mapping), "item" (of a block sequence), "flow"
    col: int = 0
    anchor: int = -1  # -1: no usable ':' or '-' (found out only if an edit needs it)


class _Patcher:
    def __init__(
        self, text: str, root: Node, old: object = None, layout: Layout | None = None
    ) -> None:
        self.text = text
        self.edits: list[tuple[int, int, str]] = []
        # What each node loads as: seeded from the reader's own data where the caller has it, so
        # an unchanged branch is recognised by one comparison instead of being rebuilt.
        self.values: dict[int, object] = {} if old is None else {id(root): old}
        self.tainted = self._tainted(root) if "&" in text else set()
        self.layout = Layout.measure(_nodes(root)) if layout is None else layout

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

    def _value(self, node: Node) -> object:
        """The value ``node`` loads as (YAML 1.2 core), cached per node."""
        if id(node) not in self.values:
            self.values[id(node)] = self._construct(node)
        return self.values[id(node)]

    def _construct(self, node: Node) -> object:
        if isinstance(node, SequenceNode):
            return [self._value(item) for item in node.value]
        if isinstance(node, MappingNode):
            return self._construct_mapping(node)
        assert isinstance(node, ScalarNode)
        prefix = _PREFIX.match(self.text, node.start_mark.index)
        tagged = prefix is not None and "!" in prefix.group()
        if tagged and not node.tag.endswith(":str"):
            return plain_value(node.value)
        return node.value if tagged or node.style not in (None, "") else plain_value(node.value)

    def _construct_mapping(self, node: MappingNode) -> dict[Any, object]:
        out: dict[Any, object] = {}
        merged: dict[Any, object] = {}
        for key, value in node.value:
            if self._is_merge(key):  # '<<' merges, where the mapping's own keys win
                for base in value.value if isinstance(value, SequenceNode) else [value]:
                    for k, v in dict(self._value(base)).items():  # type: ignore[call-overload]
                        merged.setdefault(k, v)
            else:
                out[freeze_key(self._value(key))] = self._value(value)
        return {**merged, **out}

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
        if self._holds_anchors(node):
            raise PatchError(f"line {node.start_mark.line + 1}: this value {_ANCHORS}")

    def _holds_anchors(self, node: Node) -> bool:
        """Whether ``node`` or anything in it is anchored or aliased (it cannot be rewritten)."""
        # (no anchor or alias in the file: nothing to walk for)
        return bool(self.tainted) and any(id(inner) in self.tainted for inner in _nodes(node))

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

    # --- diffing

    def _seed(self, node: MappingNode | SequenceNode) -> None:
        """Pass what a collection is known to load as down to its entries."""
        known = self.values.get(id(node))
        if isinstance(node, MappingNode) and isinstance(known, dict):
            for key, value in node.value:
                name = self._value(key)
                if isinstance(key, ScalarNode) and not self._is_merge(key) and name in known:
                    self.values.setdefault(id(value), known[name])
        elif (
            isinstance(node, SequenceNode)
            and isinstance(known, list)
            and len(known) == len(node.value)
        ):
            for item, value in zip(node.value, known, strict=True):
                self.values.setdefault(id(item), value)

    def _unchanged(self, node: Node, new: object) -> bool:
        # One C-speed comparison first; only an equal pair is walked again, typed.
        old = self._value(node)
        return (bool(old == new) and same(old, new)) or both_nan(old, new)

    def diff(self, node: Node, new: object, ctx: _Ctx) -> None:
        """Record the edits that make ``node``'s text load as ``new``."""
        if self._unchanged(node, new):
            return
        if isinstance(node, MappingNode | SequenceNode):
            self._seed(node)
        if id(node) in self.tainted:
            raise PatchError(f"line {node.start_mark.line + 1}: this value {_ANCHORS}")
        if isinstance(node, MappingNode) and isinstance(new, dict):
            self._diff_mapping(node, new, ctx)
        elif isinstance(node, SequenceNode) and isinstance(new, list | tuple):
            self._diff_sequence(node, list(new), ctx)
        else:
            self._replace(node, new, ctx)

    def _diff_mapping(self, node: MappingNode, new: dict[Any, Any], ctx: _Ctx) -> None:
        if any(self._is_merge(key) for key, _ in node.value):
            raise PatchError(f"line {node.start_mark.line + 1}: this mapping {_ANCHORS}")
        if not node.flow_style:
            return self._diff_block_mapping(node, new, ctx)
        # A flow mapping is patched value by value only while its keys stay the same.
        keys = [self._value(key) for key, _ in node.value]
        if not node.value or {freeze(k) for k in keys} != {freeze(k) for k in new}:
            return self._replace(node, new, ctx)
        for (_, value), key in zip(node.value, keys, strict=True):
            self.diff(value, new[key], _Ctx("flow"))
        return None

    def _diff_sequence(self, node: SequenceNode, new: list[Any], ctx: _Ctx) -> None:
        if not node.flow_style:
            return self._diff_block_sequence(node, new, ctx)
        # A flow sequence is patched item by item only while its length stays the same.
        if not node.value or len(node.value) != len(new):
            return self._replace(node, new, ctx)
        for item, value in zip(node.value, new, strict=True):
            self.diff(item, value, _Ctx("flow"))
        return None

    def _diff_block_mapping(self, node: MappingNode, new: dict[Any, Any], ctx: _Ctx) -> None:
        if not new:
            return self._empty(node, "{}", ctx)
        wanted = {freeze(k): k for k in new}  # typed, so that key 1 is not key True
        names = [freeze(self._value(key)) for key, _ in node.value]
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
            return self._edit(starts[0], ends[-1], self.layout.inline(new, col))
        if added:
            self._insert_after(ends[-1], self.layout.block(added, col))
        return None

    def _diff_block_sequence(self, node: SequenceNode, new: list[Any], ctx: _Ctx) -> None:
        if not new:
            return self._empty(node, "[]", ctx)
        starts, ends = self._entries(node)
        col = node.start_mark.column
        gone, inserts = self._match_items(node, new, starts)
        lead = self._drop(starts, ends, gone)
        if lead is None:  # a compact sequence lost every old item
            return self._edit(starts[0], ends[-1], self.layout.inline(new, col))
        for i, values in inserts:
            if i <= lead:
                self._insert_before(starts[0], self.layout.block(values, col), col)
            else:
                self._insert_after(ends[i - 1], self.layout.block(values, col))
        return None

    def _match_items(self, node: SequenceNode, new: list[Any], starts: list[int]) -> _Matched:
        """Line the old items up with ``new`` and edit the changed ones that keep their shape.
        Returns the items to delete, and runs of values to insert before the old item given."""
        items: list[Node] = node.value
        col = node.start_mark.column
        opcodes = self._alignment(items, new, starts)
        gone: set[int] = set()
        inserts: list[tuple[int, list[Any]]] = []
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                continue
            # As many items as line up are edited in place (comments and the spelling of what
            # they keep survive); only the rest are deleted, or added after them.
            kept = _in_place(tag, items[i1:i2], new[j1:j2])
            for k in range(kept):
                self.diff(items[i1 + k], new[j1 + k], _Ctx("item", col, starts[i1 + k] + 1))
            i1, j1 = i1 + kept, j1 + kept
            for item in items[i1:i2]:
                self._guard(item)
            gone.update(range(i1, i2))
            if j2 > j1:
                inserts.append((i1, new[j1:j2]))
        return gone, inserts

    def _alignment(self, items: list[Node], new: list[Any], starts: list[int]) -> _Opcodes:
        """How the old items line up with the new values (difflib's opcodes), losing as little
        as can be: an item deleted is written anew, if at all, without its comments.

        difflib aligns on the longest runs of equal values. Where a value is found more than
        once (two '[]' items), an item that merely equals another may pull the alignment, and
        the items between are deleted and written anew; the alignment anchored on values found
        once only avoids that, but may lose items among repeated ones. Of the two, the one that
        loses fewer comment lines, then fewer items, is taken (the usual one on a tie), and
        never one that would delete an anchored or aliased item (that write is refused)."""
        olds = [freeze(self._value(item)) for item in items]
        news = [freeze(value) for value in new]
        counted = Counter(olds), Counter(news)
        if all(n == 1 for count in counted for n in count.values()):
            return SequenceMatcher(None, olds, news, autojunk=False).get_opcodes()
        repeated = {v for count in counted for v, n in count.items() if n > 1}
        anchored = SequenceMatcher(repeated.__contains__, olds, news, autojunk=False)
        # difflib weighs every pair of equal values: with many repeats, quadratic work.
        if sum(n * counted[1][v] for v, n in counted[0].items()) > _PAIRS_WEIGHED:
            return anchored.get_opcodes()
        usual = SequenceMatcher(None, olds, news, autojunk=False).get_opcodes()
        return min((usual, anchored.get_opcodes()), key=lambda o: self._lost(o, items, new, starts))

    def _lost(
        self, opcodes: _Opcodes, items: list[Node], new: list[Any], starts: list[int]
    ) -> tuple[float, int]:
        """What an alignment loses: the comment lines and the number of the old items it
        deletes (as _match_items deletes them); infinite where the write would be refused."""
        comments, deleted = 0.0, 0
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                continue
            for k in range(i1 + _in_place(tag, items[i1:i2], new[j1:j2]), i2):
                if self._holds_anchors(items[k]):
                    return float("inf"), deleted
                span = self.text[starts[k] : self._line_after(self._end(items[k]))]
                comments += sum(1 for line in span.split("\n") if "#" in line)
                deleted += 1
        return comments, deleted

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
        stays_flow = not block and filled(node.value) and filled(new)
        if ctx.kind == "flow" or stays_flow or not filled(new):
            if block or start == end:  # after the ':' or '-': a block collection or nothing
                anchor = self._anchor(ctx)
                return self._edit(anchor, end, " " + render_flow(new))
            return self._edit(start, end, render_flow(new))
        if ctx.kind == "item":
            if start == end:  # nothing after the '-': the new lines start on its line
                anchor = self._anchor(ctx)
                return self._edit(anchor, anchor, " " + self.layout.inline(new, ctx.col + 2))
            return self._edit(start, end, self.layout.inline(new, node.start_mark.column))
        lines = self.layout.block(new, ctx.col + self.layout.step(new))
        if block:
            return self._edit(self._line_start(start), end, "\n".join(lines))
        rest = self.text[end : self._line_after(end)].rstrip("\n")
        keep = rest if rest.strip().startswith("#") else ""  # a comment after the old value
        return self._edit(self._anchor(ctx), end + len(keep), keep + "\n" + "\n".join(lines))


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _in_place(tag: str, items: list[Node], new: list[Any]) -> int:
    """How many of an opcode's old items are edited in place, from the first: all that line up
    with a new value, where each keeps its shape; none otherwise (they are deleted)."""
    pairs = list(zip(items, new, strict=False))
    return len(pairs) if tag == "replace" and all(_alike(*p) for p in pairs) else 0


def _alike(node: Node, new: object) -> bool:
    """Whether a replaced sequence item is edited in place rather than deleted and re-added."""
    if isinstance(node, MappingNode):
        return isinstance(new, dict)
    if isinstance(node, SequenceNode):
        return isinstance(new, list | tuple)
    return not isinstance(new, dict | list | tuple)


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


def layout_of(root: Node) -> Layout:
    """The block style new lines of this document take (see :class:`Layout`)."""
    return Layout.measure(_nodes(root))


def rewrite(
    text: str, root: Node, new: object, old: object = None, layout: Layout | None = None
) -> str:
    """Return ``text`` changed so that it loads as ``new``, touching only the spans of changed
    nodes. ``root`` is the node tree of ``text`` (``yaml.compose``, character offsets); ``old``,
    when given, is what ``text`` loads as, which spares rebuilding it from the nodes;
    ``layout``, that of the whole document when ``text`` is a part of it."""
    if root is None:
        raise PatchError("the file holds no YAML document; write it out whole instead")
    patcher = _Patcher(text, root, old, layout)
    patcher.diff(root, new, _Ctx("root"))
    return _apply(text, patcher.edits)
