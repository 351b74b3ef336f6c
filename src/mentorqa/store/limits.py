"""Limits that hand-written YAML never reaches and hostile YAML does (a 20,000-deep list, an
alias bomb, an escape that is not a character), each refused with its place in the file before
anything walks the data."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import MentorqaError, Problem

MAX_DEPTH = 100
MAX_EXPANDED = 1_000_000


def check_tree(root: Node, text: str, path: Path) -> None:
    """Refuse a tree too deep, or whose aliases expand too far."""
    if "*" in text:
        _check_tree(root, path)  # aliases: count what they expand to
    elif text.count("\n") < MAX_DEPTH * 20:
        _check_nesting(root, path)  # few lines: walk the collections (no alias to count)
    else:
        _check_depth(text, path)


def _too_deep(node: Node, path: Path) -> MentorqaError:
    return MentorqaError(
        Problem(
            f"nested more than {MAX_DEPTH} levels deep; a hand-written file never is",
            path,
            node.start_mark.line + 1,
            node.start_mark.column + 1,
        )
    )


def _check_nesting(root: Node, path: Path) -> None:
    """Refuse collections nested deeper than MAX_DEPTH; without aliases nothing else can grow
    past what the text holds, so only collections are walked (scalars cannot nest)."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(node, path)
        kind = type(node)
        if kind is MappingNode:
            for key, value in node.value:
                if type(key) is not ScalarNode:
                    stack.append((key, depth + 1))
                if type(value) is not ScalarNode:
                    stack.append((value, depth + 1))
        elif kind is SequenceNode:
            stack.extend((item, depth + 1) for item in node.value if type(item) is not ScalarNode)


def _check_tree(root: Node, path: Path) -> None:
    """Refuse trees nested deeper than MAX_DEPTH, or whose aliases would expand past
    MAX_EXPANDED nodes (an alias bomb), before anything walks the data."""
    expanded: dict[int, int] = {}
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(node, path)
        children = _children(node)
        if done:
            size = 1 + sum(expanded[id(child)] for child in children)
            if size > MAX_EXPANDED:
                raise MentorqaError(
                    Problem(
                        "aliases here expand to more than "
                        f"{MAX_EXPANDED:,} values; write the values out instead",
                        path,
                        node.start_mark.line + 1,
                        node.start_mark.column + 1,
                    )
                )
            expanded[id(node)] = size
        elif id(node) not in expanded:
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children)


_SURROGATE_ESCAPE = re.compile(r"\\(?:u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")


def refuse_surrogates(data: Any, text: str, path: Path) -> None:
    """A ``\\ud800`` escape makes a string no file or terminal can hold: refuse it on entry."""
    found = _SURROGATE_ESCAPE.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise MentorqaError(
                    Problem(
                        "this escape is not a character (a lone surrogate), so the text cannot "
                        "be saved or shown; remove it",
                        path,
                        line,
                        column,
                    )
                ) from None


def _check_depth(text: str, path: Path) -> None:
    """Without aliases, only depth can be hostile: a line indented past MAX_DEPTH levels of a
    few columns each, or deeply nested flow brackets (libyaml caps those itself)."""
    deepest = max((len(line) - len(line.lstrip(" ")) for line in text.split("\n")), default=0)
    if deepest > MAX_DEPTH * 8:
        line = next(
            n
            for n, text_line in enumerate(text.split("\n"), 1)
            if len(text_line) - len(text_line.lstrip(" ")) == deepest
        )
        raise MentorqaError(
            Problem(
                f"indented more than {MAX_DEPTH * 8} columns; a hand-written file never is",
                path,
                line,
                deepest + 1,
            )
        )


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []
