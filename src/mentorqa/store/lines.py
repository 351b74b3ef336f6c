"""Where a value is in ``mentorqa.yaml``, from the tree of lines kept in the cache: pure data,
so a cached command gives a finding its line without importing a YAML parser."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal


def line_of(tree: Any, loc: Sequence[str | int]) -> int | Literal[False] | None:
    """The line ``yamlio.locate`` gives for ``loc``, from a ``yamlio.line_tree``; ``False``
    where the tree was cut short before ``loc`` ends (the file must then be parsed)."""
    if tree is None:
        return None
    node, found = tree, tree[0]
    for part in loc:
        if len(node) == 1:
            break  # a scalar: locate stops here too
        children = node[1]
        if children is None:
            return False
        if isinstance(children, dict):
            pair = children.get(str(part))
            if pair is None:
                continue
            found, node = pair[0], pair[1]
        else:
            index = int(part) if str(part).isdigit() else -1
            if not 0 <= index < len(children):
                continue
            node = children[index]
            found = node[0]
    return int(found)
