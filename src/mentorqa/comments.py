"""Change round-trip YAML without losing the user's comments.

ruamel.yaml keeps a comment line with the value printed just above it: the comment above
``QIM-SV-A02:`` belongs to the last scalar of ``QIM-SV-A01``, and the comment above ``eligibility:``
to the last date under ``dates:``. Replacing, deleting or appending naively therefore drops such
comments or moves them into the wrong block. The four operations here carry those comment lines
(the "tail" of a node) over to wherever the same place in the file is after the change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

Collection = CommentedMap | CommentedSeq
Slot = tuple[Collection, Any, int]  # a container, a key or index in it, a position in ca.items


def _slot_of(container: Collection, key: Any) -> Slot:
    """Where the comment after ``container[key]`` is kept: after its last scalar."""
    value = container[key]
    if isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        return _last_slot(value)
    return (container, key, 2 if isinstance(container, CommentedMap) else 0)


def _last_slot(node: Collection) -> Slot:
    last = list(node.keys())[-1] if isinstance(node, CommentedMap) else len(node) - 1
    return _slot_of(node, last)


def _detach(slot: Slot | None) -> str:
    """Remove and return the whole comment lines after a slot; an end-of-line comment stays."""
    if slot is None:
        return ""
    container, key, position = slot
    entry = container.ca.items.get(key)
    token = entry[position] if entry and len(entry) > position else None
    if not isinstance(token, CommentToken):
        return ""
    head, newline, rest = token.value.partition("\n")
    if not rest:
        return ""
    if head.strip():
        token.value = head + newline
    else:
        entry[position] = None
    return rest


def _attach(slot: Slot | None, lines: str) -> None:
    """Put comment lines after a slot (after any end-of-line comment already there)."""
    if not lines or slot is None:
        return
    container, key, position = slot
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) <= position:
        entry.append(None)
    token = entry[position]
    if isinstance(token, CommentToken):
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + lines
    else:
        entry[position] = CommentToken("\n" + lines, CommentMark(0), None)


def _before_lines(container: Collection, key: Any) -> str:
    """Detach the comment lines between ``key:`` and the first entry of its collection value.

    ruamel keeps them on the value (``ca.comment[1]``) and, when loaded, also on the key's entry
    in the container (``ca.items[key][3]``), as the same list.
    """
    value = container[key]
    found: list[Any] = []
    comment = value.ca.comment if isinstance(value, (CommentedMap, CommentedSeq)) else None
    if comment and len(comment) > 1 and comment[1]:
        found += comment[1]
        comment[1] = None
    entry = container.ca.items.get(key)
    if entry and len(entry) > 3 and entry[3]:
        found += [t for t in entry[3] if all(t is not f for f in found)]
        entry[3] = None
    return _render(found)


def _own_lines(node: Collection) -> str:
    """Detach the comment lines above the first entry of ``node`` (it is about to be empty)."""
    comment = node.ca.comment
    if not (comment and len(comment) > 1 and comment[1]):
        return ""
    tokens = list(comment[1])
    comment[1].clear()  # the same list may also hang on the parent's entry for this node
    comment[1] = None
    return _render(tokens)


def _render(tokens: list[Any]) -> str:
    lines = []
    for token in tokens:
        if isinstance(token, CommentToken):
            indent = " " * token.column
            lines += [indent + line.lstrip(" ") for line in token.value.splitlines()]
    return "".join(line + "\n" for line in lines)


def _lead(container: Collection, lines: str) -> None:
    """Put comment lines above the first entry of ``container`` (after any already there)."""
    if not lines:
        return
    if not container.ca.comment:
        container.ca.comment = [None, None]
    before = container.ca.comment[1] or []
    before.append(CommentToken(lines, CommentMark(0), None))
    container.ca.comment[1] = before


def _harvest(container: Collection, key: Any) -> str:
    """Detach every whole comment line from ``container[key]`` down, in file order (for a value
    about to be deleted or replaced); end-of-line comments go with their lines."""
    value = container[key]
    lines = _before_lines(container, key)
    if not (isinstance(value, (CommentedMap, CommentedSeq)) and len(value)):
        return lines + _detach((container, key, 2 if isinstance(container, CommentedMap) else 0))
    inner = list(value.keys()) if isinstance(value, CommentedMap) else range(len(value))
    return lines + "".join(_harvest(value, k) for k in inner)


def update(mapping: CommentedMap, values: Mapping[str, Any]) -> None:
    """Make ``mapping`` hold exactly ``values``, key by key, so comments on kept keys stay."""
    for key, value in values.items():
        put(mapping, key, value)
    for key in [k for k in mapping if k not in values]:
        drop(mapping, key)


def put(mapping: CommentedMap, key: str, value: Any) -> None:
    """``mapping[key] = value``, keeping comments; a mapping replacing a mapping updates it."""
    old = mapping.get(key)
    if isinstance(old, CommentedMap) and len(old) and isinstance(value, Mapping):
        update(old, value)
        return
    if key in mapping:
        tail = _harvest(mapping, key)
        mapping[key] = value
        _attach(_slot_of(mapping, key), tail)
    else:
        tail = _detach(_last_slot(mapping)) if len(mapping) else ""
        mapping[key] = value
        _attach(_last_slot(mapping), tail)


def drop(mapping: CommentedMap, key: str) -> str:
    """``del mapping[key]``; the comment lines that followed it now follow what came before.

    Returns the lines it could not place (the mapping is left empty), for the caller to put
    after the mapping itself.
    """
    if key not in mapping:
        return ""
    keys = list(mapping.keys())
    index = keys.index(key)
    tail = _harvest(mapping, key)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if not len(mapping):
        tail = _own_lines(mapping) + tail
    if not tail:
        return ""
    if index > 0:
        _attach(_slot_of(mapping, keys[index - 1]), tail)
        return ""
    if not len(mapping):
        return tail
    _lead(mapping, tail)
    return ""


def drop_in(document: CommentedMap, path: Sequence[str]) -> None:
    """Delete the key at ``path``; comment lines it leaves go after the nearest block above."""
    parents: list[CommentedMap] = [document]
    for key in path[:-1]:
        below = parents[-1].get(key)
        if not isinstance(below, CommentedMap):
            return
        parents.append(below)
    leftover = drop(parents[-1], path[-1])
    # A mapping left empty cannot carry comment lines after it (ruamel would print them between
    # the key and its '{}'), so it goes too and its lines move up to what came before it.
    depth = len(parents) - 1
    while leftover and depth > 0:
        parent, key = parents[depth - 1], path[depth - 1]
        leftover = _reattach(parent, key, leftover)
        depth -= 1


def _reattach(parent: CommentedMap, key: str, lines: str) -> str:
    """Drop the now-empty ``parent[key]`` and place ``lines`` where it was."""
    _attach(_slot_of(parent, key), lines)  # parked on the key, then moved by drop()
    return drop(parent, key)


def remove_item(document: CommentedMap, path: Sequence[str], index: int) -> None:
    """Delete item ``index`` of the list at ``path``. A list left empty is dropped with its key
    (an empty block list cannot carry comments); its comment lines move to what came before."""
    node: Any = document
    for key in path:
        node = node[key]
    if len(node) == 1:
        drop_in(document, path)
    else:
        delete(node, index)


def append(seq: CommentedSeq, item: Any) -> None:
    """``seq.append(item)``; comment lines after the list stay after it."""
    tail = _detach(_last_slot(seq)) if len(seq) else ""
    seq.append(item)
    _attach(_last_slot(seq), tail)


def delete(seq: CommentedSeq, index: int) -> None:
    """``del seq[index]`` in a list that keeps at least one item; the comment lines that followed
    the item now follow the one before (or lead the list)."""
    tail = _harvest(seq, index)
    del seq[index]
    if index > 0:
        _attach(_slot_of(seq, index - 1), tail)
    elif len(seq):
        _lead(seq, tail)


def put_in(document: CommentedMap, path: Sequence[str], value: Any) -> None:
    """Set ``document[path[0]]...[path[-1]] = value``, creating the mappings on the way."""
    node = document
    for depth, key in enumerate(path[:-1]):
        below = node.get(key)
        if not (isinstance(below, CommentedMap) and len(below)):
            # Build the missing branch whole, so that it is placed (with comments) in one step.
            built = value
            for inner in reversed(path[depth + 1 :]):
                built = CommentedMap([(inner, built)])
            put(node, key, built)
            return
        node = below
    put(node, path[-1], value)


def append_in(document: CommentedMap, path: Sequence[str], item: Any) -> int:
    """Append ``item`` to the list at ``path`` (created when missing); returns the new length."""
    node: Any = document
    for key in path:
        node = node.get(key) if isinstance(node, CommentedMap) else None
    if isinstance(node, CommentedSeq) and len(node):
        append(node, item)
        return len(node)
    put_in(document, path, CommentedSeq([item]))
    return 1
