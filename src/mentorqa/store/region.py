"""Changing one indicator's record without reading the whole workspace again: the record's
lines are cut out, patched on their own by the same patcher as a whole file (with the whole
file's layout), read back, and put back, so ``mark`` costs what it changes, not what is
already recorded.

It applies only where the answer is certain: a manifest whose validated form and line tree came
from the cache, an ``indicators`` mapping in block style that already holds a record, and no
tab, carriage return, anchor or alias anywhere. The record's lines run from its key to the next
record's key (or the next key of the file, or its end), so the patched part ends where it did
in the whole file. Anything else returns None, and the caller takes the general write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import MentorqaError
from ..plain import copied
from .append import patchable as is_patchable
from .append import shift

_HEAD = "indicators:\n"  # the key the record's lines are read under, on their own
_BLOCK = re.compile(r"indicators:[ ]*(?:#[^\n]*)?\n(?:[ ]*(?:#[^\n]*)?\n)*")


class Region:
    """The lines of one record (or, for a record still to come, of the last one)."""

    def __init__(
        self,
        text: str,
        lines: Any,
        indicator: str,
        starts: list[int] | None = None,
        patchable: bool = False,
    ) -> None:
        """``starts``: where ``text``'s lines start, if known (up to the record's end at least:
        an upgrade patching records from the last keeps those of the original text);
        ``patchable``: the text is known to be (see ``append.patchable``; a whole-text look)."""
        self.ok = False
        self.indicator = indicator
        if not (patchable or is_patchable(text)) or not text.endswith("\n"):
            return
        try:
            top = lines[1]
            key_line, records = top["indicators"]
            children = records[1]
            layout = lines[2]
        except (TypeError, KeyError, IndexError):
            return
        if not isinstance(children, dict) or not children or not isinstance(key_line, int):
            return
        ids = list(children)
        self.new = indicator not in children
        self.at = ids[-1] if self.new else indicator  # the record whose lines are cut out
        place = ids.index(self.at)
        self.start = children[self.at][0]
        starts = line_starts(text) if starts is None else starts
        if place + 1 < len(ids):
            self.end = children[ids[place + 1]][0]
        else:  # the last record: up to the file's next key, or its end
            after = [pair[0] for name, pair in top.items() if pair[0] > key_line]
            self.end = min(after) if after else len(starts)
        if not 1 < self.start < self.end <= len(starts):
            return
        self.first, self.last = starts[self.start - 1], starts[self.end - 1]
        self.layout = layout
        self.text = text
        # A block mapping: nothing after 'indicators:' on its line but a comment, nothing
        # between it and its first record but comments, and the records indented under it.
        head = text[starts[key_line - 1] : starts[children[ids[0]][0] - 1]]
        self.ok = text[self.first] == " " and _BLOCK.fullmatch(head) is not None

    def patched(
        self, change: Callable[[dict[str, Any]], bool]
    ) -> tuple[str, dict[str, Any], dict[str, Any] | None, Any] | None:
        """The whole text with the record changed by ``change`` (given the record's data as
        the file holds it, or an empty mapping for a new record; False: leave it to the
        general write), the new record's data, the old one's (None for a new record) and the
        line tree of the patched lines; None where the lines cannot be patched for certain."""
        from . import yamlpatch
        from .yamlio import parse_document

        fragment = _HEAD + self.text[self.first : self.last]
        try:
            before = parse_document(fragment, Path("fragment"))
        except (MentorqaError, ValueError, RecursionError):
            return None
        if before.root is None or not isinstance(before.data, dict):
            return None
        records = before.data.get("indicators")
        if list(before.data) != ["indicators"] or not isinstance(records, dict):
            return None
        if list(records) != [self.at] or not isinstance(records[self.at], dict):
            return None
        old = None if self.new else records[self.at]
        record: dict[str, Any] = {} if old is None else copied(old)
        if not change(record):
            return None
        wanted = {"indicators": {**records, self.indicator: record}}
        layout = yamlpatch.Layout(self.layout[0], self.layout[1])
        try:
            new_fragment = yamlpatch.rewrite(fragment, before.root, wanted, before.data, layout)
            after = parse_document(new_fragment, Path("fragment"))
        except (yamlpatch.PatchError, MentorqaError, ValueError, RecursionError):
            return None
        if not new_fragment.startswith(_HEAD) or after.data != wanted or after.root is None:
            return None
        part = new_fragment[len(_HEAD) :]
        self.added = part.count("\n") - (self.end - self.start)  # lines added (or taken away)
        text = self.text[: self.first] + part + self.text[self.last :]
        return text, record, old, after.root

    def shifted(self, lines: Any, fragment_root: Any) -> Any:
        """The document's line tree after the patch: the record's lines from the patched part,
        every line after it moved by the lines the patch added or took away."""
        from .yamlio import line_tree

        added = line_tree(fragment_root)[1]["indicators"][1][1]
        shift(lines, self.end - 1, self.added)
        children = lines[1]["indicators"][1][1]
        offset = self.start - 2  # the part's second line is the record's key line
        for name, pair in added.items():
            pair[0] += offset
            shift(pair[1], 0, offset)
            children[name] = pair
        return lines


def line_starts(text: str) -> list[int]:
    """The offset where each line starts (and one past the end, for the line after the last)."""
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts
