"""Recording new evidence without reading the whole workspace again: the new entries' lines are
spliced into ``mentorqa.yaml`` after the indicator's last entry, and their lines into the
evidence table, so ``evidence add`` costs what it adds, not what is already recorded.

It applies only where the answer is certain: a manifest whose validated form and line tree came
from the cache (so its text was validated as it is), version 2, an indicator that already lists
evidence in block style, files not yet recorded for it, and paths and values that need nothing
but the scalar renderer. The indicator's list, spliced, is parsed again on its own and must read
as the old list plus the new entries. Anything else returns None, and the caller takes the
general write (parse, patch, validate everything).
"""

from __future__ import annotations

import re
from typing import Any

from .evidence_table import HEADER, Facts, record_line
from .yamlrender import render_scalar

# A block sequence item that is a block mapping starting on the dash's line: "  - file: x".
_ITEM = re.compile(r"( *)-( +)[^\s#&*!|>'\"\[{%@`,?:-][^#]*?:(?: |$)")
_KEEP = re.compile(r"[|>][1-9]?\+|[|>]\+")  # "|+", ">2+": a block scalar keeping blank lines
# An anchor or an alias anywhere (or what might be one): the list could be shared with another
# place, which the cache would not know; the general write refuses such files.
_SHARED = re.compile(r"(?:^|[\s,\[{:-])[&*][^\s,\[\]{}]")


def patchable(text: str) -> bool:
    """Whether lines of ``text`` can be patched on their own: no tab or carriage return, and
    no anchor or alias (or what might be one: the plain search for their two characters
    first, as the pattern takes 60 ms over a manifest of 50,000 entries)."""
    if "\t" in text or "\r" in text:
        return False
    return not (("&" in text or "*" in text) and _SHARED.search(text) is not None)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def evidence_list(lines: Any, indicator: str) -> tuple[int, list[Any]] | None:
    """The line of the indicator's ``evidence:`` key and its items' line nodes, from a cached
    line tree (see ``yamlio.line_tree``)."""
    try:
        record = lines[1]["indicators"][1][1][indicator][1]
        key_line, sequence = record[1]["evidence"]
        items = sequence[1]
    except (TypeError, KeyError, IndexError):
        return None
    if not isinstance(key_line, int) or not isinstance(items, list) or not items:
        return None
    return key_line, items


def splice(
    text: str,
    key_line: int,
    last_item: int,
    entries: list[dict[str, Any]],
    files: list[str],
) -> tuple[str, list[int], int] | None:
    """``text`` with ``entries`` appended to the block sequence whose key is on ``key_line``,
    whose last item starts on ``last_item`` (lines from 1) and whose entries record ``files``;
    with the line each new entry starts on and the number of lines added. None where this
    cannot be done for certain."""
    if not patchable(text):
        return None
    lines = text.split("\n")
    if not 1 <= key_line < last_item <= len(lines):
        return None
    key_indent = _indent(lines[key_line - 1])
    first = _ITEM.match(lines[last_item - 1])
    if first is None or len(first.group(1)) < key_indent:
        return None
    dash, gap = len(first.group(1)), " " * len(first.group(2))
    end = _after_item(lines, last_item, dash, key_indent)
    if end is None:
        return None
    new_lines, starts = _entry_lines(entries, dash, gap, end)
    spliced = lines[:end] + new_lines + lines[end:]
    # The list's key, its last entry and the new ones, on their own: they must read as that
    # entry and then the new ones. (Entries before the last end before it starts: text after
    # them cannot change them.)
    region = [lines[key_line - 1], *lines[last_item - 1 : end], *new_lines]
    if end == len(lines) or not _reads_as(region, key_indent, len(new_lines), files, entries):
        return None  # (at the end of a file without a final line break, a value would change)
    return "\n".join(spliced), starts, len(new_lines)


def _after_item(lines: list[str], last_item: int, dash: int, key_indent: int) -> int | None:
    """The index of the line after the last item's last line of content, where new entries
    go; None where what follows the item makes that uncertain."""
    end = at = last_item
    while at < len(lines):
        line = lines[at]
        if _content(line):
            if _indent(line) <= dash:
                break
            end = at + 1
        at += 1
    if any(_KEEP.search(line) for line in lines[last_item - 1 : end]):
        return None  # a block scalar that keeps its trailing blank lines: they would move
    if any(line.strip() and _indent(line) > dash for line in lines[end:at]):
        return None  # a deeper line that looks like a comment may be a block scalar's text
    if at < len(lines):  # what follows the list: a key of the record, or a line further out
        following = lines[at]
        if _indent(following) > key_indent or following.lstrip(" ").startswith("-"):
            return None
    return end


def _entry_lines(
    entries: list[dict[str, Any]], dash: int, gap: str, end: int
) -> tuple[list[str], list[int]]:
    """The new entries' lines, laid out as the last one is, and the line each starts on."""
    new_lines: list[str] = []
    starts: list[int] = []
    for entry in entries:
        starts.append(end + len(new_lines) + 1)
        for n, (key, value) in enumerate(entry.items()):
            lead = " " * dash + "-" + gap if n == 0 else " " * (dash + 1 + len(gap))
            new_lines.append(f"{lead}{key}: {render_scalar(value)}")
    return new_lines, starts


def _reads_as(
    region: list[str], indent: int, added: int, files: list[str], entries: list[dict[str, Any]]
) -> bool:
    """Whether the list in ``region`` (its key's line, its last entry, then the new ones) reads
    as that entry, the same as without the new lines and recording the last of ``files``, then
    ``entries``."""
    if any(_content(line) and _indent(line) < indent for line in region):
        return False
    old = _listed(region[: len(region) - added], indent)
    new = _listed(region, indent)
    if old is None or new is None or len(old) != 1 or new[:1] != old:
        return False
    return [i.get("file") if isinstance(i, dict) else None for i in old] == files[-1:] and (
        new[len(old) :] == entries
    )


def _listed(region: list[str], indent: int) -> list[Any] | None:
    from pathlib import Path

    from ..errors import MentorqaError
    from .yamlio import load_safe

    fragment = "\n".join(line[indent:] if _content(line) else "" for line in region) + "\n"
    try:
        data = load_safe(fragment, Path("fragment"))
    except (MentorqaError, ValueError, TypeError, RecursionError):
        return None
    if not isinstance(data, dict) or list(data) != ["evidence"]:
        return None
    listed = data["evidence"]
    return listed if isinstance(listed, list) else None


def table_with(table_text: str | None, new: dict[str, Facts]) -> str | None:
    """The evidence table's text with lines for ``new`` added in path order; None if one of
    them is listed already with other facts (the general write keeps such facts inline).
    Each place is found by bisecting the text's sorted lines, not by splitting it."""
    text = table_text if table_text is not None else HEADER + "\n"
    if not text.startswith(HEADER + "\n") or not text.endswith("\n"):
        return None
    for file, facts in sorted(new.items()):
        line = record_line(file, facts) + "\n"
        at = _place(text, file)
        if text.startswith(f"{file}\t", at):
            if not text.startswith(line, at):
                return None
            continue
        text = text[:at] + line + text[at:]
    return text


def _place(text: str, file: str) -> int:
    """Where the line of ``file`` is, or belongs, among the text's sorted lines: the offset of
    the first line whose path is not less than ``file``."""
    low, high = len(HEADER) + 1, len(text)  # both always at the start of a line
    while low < high:
        middle = (low + high) // 2
        start = text.rfind("\n", low - 1, middle) + 1
        end = text.index("\n", start)
        tab = text.find("\t", start, end)
        if text[start : tab if tab >= 0 else end] < file:
            low = end + 1
        else:
            high = start
    return low


def shift(node: Any, after: int, by: int) -> None:
    """Move every line of a line tree past ``after`` down by ``by`` lines, in place."""
    if not isinstance(node, list) or not node:
        return
    if isinstance(node[0], int) and node[0] > after:
        node[0] += by
    if len(node) < 2:
        return
    child = node[1]
    if isinstance(child, dict):
        for pair in child.values():
            if isinstance(pair, list) and pair and isinstance(pair[0], int) and pair[0] > after:
                pair[0] += by
            if isinstance(pair, list) and len(pair) > 1:
                shift(pair[1], after, by)
    elif isinstance(child, list):
        for item in child:
            if len(item) == 1 or item[1] is None:  # a leaf (most are: evidence entries)
                if item[0] > after:
                    item[0] += by
            else:
                shift(item, after, by)
