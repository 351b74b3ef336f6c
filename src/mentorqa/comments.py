"""Change round-trip YAML without losing the user's comments.

ruamel.yaml hangs a comment line on a neighbouring node rather than on the line below it: the
comment above ``QIM-SV-A02:`` belongs to the last scalar of ``QIM-SV-A01``, the comment above
``eligibility:`` to the last date under ``dates:``. Depending on the shape around it, it may also
sit on the key it precedes (after a flow value such as ``[a, b]``), on a list's end, or on the
list it leads. Replacing, deleting or appending naively therefore drops such comments or moves
them into the wrong block. The operations here carry those comment lines over to wherever the
same place in the file is after the change. :func:`lost_comments` is the safety net that
:func:`mentorqa.workspace.edit` applies on top.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

Collection = CommentedMap | CommentedSeq
Slot = tuple[Collection, Any, int]  # a container, a key or index in it, a position in ca.items


def _block(value: Any) -> bool:
    """A non-empty block collection: comments after it hang on its own last value."""
    return (
        isinstance(value, (CommentedMap, CommentedSeq))
        and len(value) > 0
        and not value.fa.flow_style()
    )


def _position(container: Collection) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _keys(node: Collection) -> list[Any]:
    return list(node.keys()) if isinstance(node, CommentedMap) else list(range(len(node)))


def _slot_of(container: Collection, key: Any) -> Slot:
    """Where the comment after ``container[key]`` is kept: after its last scalar line."""
    value = container[key]
    if _block(value):
        return _slot_of(value, _keys(value)[-1])
    return (container, key, _position(container))


def _render(tokens: Sequence[Any]) -> str:
    lines = []
    for token in tokens:
        if isinstance(token, CommentToken):
            indent = " " * token.column
            lines += [indent + line.lstrip(" ") for line in token.value.splitlines()]
    return "".join(line + "\n" for line in lines)


def _detach(slot: Slot) -> str:
    """Remove and return the whole comment lines after a slot; an end-of-line comment stays."""
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
        value = container[key]
        # A flow value shares this token as its own comment: clear it there too.
        shared = value.ca.comment if isinstance(value, (CommentedMap, CommentedSeq)) else None
        if shared and shared[0] is token:
            shared[0] = None
    return rest


def _take_end(node: Collection) -> str:
    """Remove and return the comment lines ruamel keeps at the end of a collection."""
    tokens = list(node.ca.end or [])
    node.ca.end = []
    return _render(tokens)


def _detach_tail(node: Collection) -> str:
    """The whole comment lines after the last line of a block collection, detached."""
    chain = [node]
    while _block(chain[-1][_keys(chain[-1])[-1]]):
        chain.append(chain[-1][_keys(chain[-1])[-1]])
    innermost = chain[-1]
    text = _detach((innermost, _keys(innermost)[-1], _position(innermost)))
    return text + "".join(_take_end(n) for n in reversed(chain))


def _attach(slot: Slot, lines: str) -> None:
    """Put comment lines after a slot (after any end-of-line comment already there)."""
    if not lines:
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
    if entry and len(entry) > 3 and entry[3] is not None:
        found += [t for t in entry[3] if all(t is not f for f in found)]
        entry[3] = None  # an empty list here would still make ruamel print the value inline
    return _render(found)


def _key_lines(container: Collection, key: Any) -> str:
    """Detach the comment lines ruamel keeps on a key or item as coming just before it (it does
    so after a flow value such as ``[a, b]``)."""
    entry = container.ca.items.get(key)
    if not (entry and len(entry) > 1 and entry[1]):
        return ""
    tokens = entry[1]
    entry[1] = None
    return _render(tokens)


def _own_lines(node: Collection) -> str:
    """Detach the comment lines above the first entry of ``node`` (it is about to be empty)."""
    comment = node.ca.comment
    if not (comment and len(comment) > 1 and comment[1]):
        return ""
    tokens = list(comment[1])
    comment[1].clear()  # the same list may also hang on the parent's entry for this node
    comment[1] = None
    return _render(tokens)


def _lead(container: Collection, lines: str) -> None:
    """Put comment lines above the first entry of ``container`` (after any already there)."""
    if not lines:
        return
    if not container.ca.comment:
        container.ca.comment = [None, None]
    before = container.ca.comment[1] or []
    before.append(CommentToken(lines, CommentMark(0), None))
    container.ca.comment[1] = before


def _harvest(container: Collection, key: Any, *, with_key: bool = True) -> str:
    """Detach every whole comment line of ``container[key]``, in file order, for a value about to
    be deleted (``with_key``: also those just before the key) or replaced."""
    value = container[key]
    lines = _key_lines(container, key) if with_key else ""
    lines += _before_lines(container, key)
    if not _block(value):
        return lines + _detach((container, key, _position(container)))
    inner = "".join(_harvest(value, k) for k in _keys(value))
    return lines + inner + _take_end(value)


def update(mapping: CommentedMap, values: Mapping[str, Any]) -> None:
    """Make ``mapping`` hold exactly ``values``, key by key, so comments on kept keys stay."""
    for key, value in values.items():
        put(mapping, key, value)
    for key in [k for k in mapping if k not in values]:
        drop(mapping, key)


def put(mapping: CommentedMap, key: str, value: Any) -> None:
    """``mapping[key] = value``, keeping comments; a mapping replacing a mapping updates it."""
    old = mapping.get(key)
    if _block(old) and isinstance(old, CommentedMap) and isinstance(value, Mapping):
        update(old, value)
        return
    if key in mapping:
        tail = _harvest(mapping, key, with_key=False)
        mapping[key] = value
        _attach(_slot_of(mapping, key), tail)
    else:
        tail = _detach_tail(mapping) if len(mapping) else ""
        mapping[key] = value
        _attach(_slot_of(mapping, key), tail)


def drop(mapping: CommentedMap, key: str) -> str:
    """``del mapping[key]``; the comment lines that went with it now follow what came before.

    Returns the lines it could not place (the mapping is left empty), for the caller to put
    after the mapping itself.
    """
    if key not in mapping:
        return ""
    keys = list(mapping.keys())
    index = keys.index(key)
    tail = _harvest(mapping, key)
    if index == len(keys) - 1:
        tail += _take_end(mapping)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    if not len(mapping):
        return _own_lines(mapping) + tail
    if index > 0:
        _attach(_slot_of(mapping, keys[index - 1]), tail)
    else:
        _lead(mapping, tail)
    return ""


def find(document: CommentedMap, path: Sequence[str]) -> Any:
    """The value at ``path`` (keys of nested mappings), or None where the path breaks off."""
    node: Any = document
    for key in path:
        node = node.get(key) if isinstance(node, CommentedMap) else None
    return node


def _container(document: CommentedMap, path: Sequence[str]) -> tuple[Collection, Any] | None:
    """The collection holding the last key of ``path``, and that key."""
    node = find(document, path[:-1])
    if not isinstance(node, CommentedMap) or path[-1] not in node:
        return None
    return node, path[-1]


def _empty(parent: Collection, key: Any, lines: str) -> None:
    """``parent[key]`` is now empty: print it as ``{}`` or ``[]`` with ``lines`` after it (an
    empty block collection cannot carry comments)."""
    parent[key].fa.set_flow_style()
    entry = parent.ca.items.get(key)
    if entry and len(entry) > 3 and not entry[3]:
        entry[3] = None  # emptied by _own_lines; an empty list would still read as comments
    _attach((parent, key, _position(parent)), lines)


def drop_in(document: CommentedMap, path: Sequence[str]) -> None:
    """Delete the key at ``path``; a mapping it leaves empty stays, as ``{}``."""
    found = _container(document, path)
    if found is None:
        return
    mapping, key = found
    assert isinstance(mapping, CommentedMap)
    leftover = drop(mapping, key)
    if len(path) > 1:
        parent = _container(document, path[:-1])
        if parent is not None and len(mapping) == 0:
            _empty(parent[0], parent[1], leftover)


def remove_item(document: CommentedMap, path: Sequence[str], index: int) -> None:
    """Delete item ``index`` of the list at ``path``; a list left empty stays, as ``[]``."""
    found = _container(document, path)
    assert found is not None
    parent, key = found
    seq = parent[key]
    if len(seq) > 1:
        delete(seq, index)
        return
    lines = _own_lines(seq) + _harvest(seq, 0) + _take_end(seq)
    del seq[0]
    _empty(parent, key, lines)


def append(seq: CommentedSeq, item: Any) -> None:
    """``seq.append(item)``; comment lines after the list stay after it."""
    tail = _detach_tail(seq) if _block(seq) else ""
    seq.append(item)
    _attach(_slot_of(seq, len(seq) - 1), tail)


def delete(seq: CommentedSeq, index: int) -> None:
    """``del seq[index]`` in a list that keeps at least one item; the comment lines that went with
    the item now follow the one before (or lead the list)."""
    last = index == len(seq) - 1
    tail = _harvest(seq, index) + (_take_end(seq) if last else "")
    del seq[index]  # ruamel renumbers the comment entries of the items after it
    if index > 0:
        _attach(_slot_of(seq, index - 1), tail)
    else:
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
    node = find(document, path)
    if isinstance(node, CommentedSeq) and len(node):
        append(node, item)
        return len(node)
    put_in(document, path, CommentedSeq([item]))
    return 1


def comment_lines(text: str) -> Counter[str]:
    """The whole-line comments of a YAML text (end-of-line comments leave with their lines)."""
    return Counter(line.strip() for line in text.splitlines() if line.lstrip().startswith("#"))


def lost_comments(before: str, after: str) -> list[str]:
    """Whole-line comments of ``before`` that ``after`` no longer has."""
    return sorted((comment_lines(before) - comment_lines(after)).elements())
