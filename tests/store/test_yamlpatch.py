"""Tests for patching YAML text span by span (mentorqa.store.yamlpatch)."""

from __future__ import annotations

import copy
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorqa.store.yamlpatch import PatchError, render_scalar, rewrite

try:
    from mentorqa.store.yamlio import load_safe
except ImportError:
    from mentorqa.yamlio import load_safe


def load(text: str) -> Any:
    return load_safe(text, Path("m.yaml"))


def norm(value: Any) -> Any:
    """Tuples become lists, and every scalar carries its type (so ``True`` is not ``1``)."""
    if isinstance(value, dict):
        return {k: norm(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [norm(v) for v in value]
    return (type(value).__name__, value)


def patch(text: str, new: Any) -> str:
    out = rewrite(text, yaml.compose(text, Loader=yaml.CSafeLoader), new)
    assert norm(load(out)) == norm(new), out
    # Given what the text loads as (as the workspace passes it), the result is the same.
    seeded = rewrite(text, yaml.compose(text, Loader=yaml.CSafeLoader), new, load(text))
    assert seeded == out
    return out


def edited(text: str, change: Any) -> str:
    """Apply ``change`` (a function editing the loaded data in place) through ``rewrite``."""
    data = load(text)
    change(data)
    return patch(text, data)


MANIFEST = """\
%YAML 1.2
---
# mentorqa manifest
framework: qim  # the award
budget:
  total: 180_000.50
  tiny: 1e-400
  mask: 0x1F
  label: 'quoted'
  title: "dq"
  answer: yes

evidence:
  # first item
  - file: a.pdf
    # checksum below
    sha256: abc
    size: 3
  - {file: b.pdf, size: 4}
  - c.txt
indicators: {}
tags: [a, b]
notes:
  # keep me
  - one
# trailing comment
...
"""


def replaced(old: str, new: str, text: str = MANIFEST) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_untouched_document_is_identical() -> None:
    assert patch(MANIFEST, load(MANIFEST)) == MANIFEST


def test_set_nested_scalar_changes_only_its_span() -> None:
    out = edited(MANIFEST, lambda d: d["budget"].update(label="changed"))
    assert out == replaced("label: 'quoted'", "label: changed")


def test_set_top_scalar_keeps_end_of_line_comment() -> None:
    out = edited(MANIFEST, lambda d: d.update(framework="nqms"))
    assert out == replaced("framework: qim  #", "framework: nqms  #")


def test_scalar_type_change_is_rewritten() -> None:
    out = edited(MANIFEST, lambda d: d["budget"].update(total=True, answer="no"))
    assert out == replaced("answer: yes", 'answer: "no"', replaced("180_000.50", "true"))


def test_equal_float_keeps_its_spelling() -> None:
    # 1e-400 reads as 0.0: writing 0.0 back must not respell it
    out = edited(MANIFEST, lambda d: d["budget"].update(tiny=0.0, total=180000.5, mask=31))
    assert out == MANIFEST


def test_add_key_to_nested_block_mapping() -> None:
    out = edited(MANIFEST, lambda d: d["budget"].update(extra=1))
    assert out == replaced("  answer: yes\n", "  answer: yes\n  extra: 1\n")


def test_add_keys_to_empty_flow_mapping() -> None:
    out = edited(MANIFEST, lambda d: d["indicators"].update({"1.1": "met", "2": {"x": [1]}}))
    expected = 'indicators:\n  "1.1": met\n  "2":\n    x:\n      - 1\n'
    assert out == replaced("indicators: {}\n", expected)


def test_add_key_at_top_level_goes_after_last_entry() -> None:
    out = edited(MANIFEST, lambda d: d.update(owner="Zoë"))
    assert out == replaced("  - one\n", '  - one\nowner: "Zoë"\n')


@pytest.mark.parametrize(
    ("key", "old"),
    [
        ("tiny", "  tiny: 1e-400\n"),
        ("answer", "  answer: yes\n"),
        ("total", "  total: 180_000.50\n"),
    ],
)
def test_delete_key(key: str, old: str) -> None:
    out = edited(MANIFEST, lambda d: d["budget"].pop(key))
    assert out == replaced(old, "")


def test_delete_only_key_leaves_empty_mapping() -> None:
    text = "a:\n  # about b\n  b: 1\nc: 2\n"
    assert edited(text, lambda d: d["a"].clear()) == "a: {}\n  # about b\nc: 2\n"


def test_delete_every_top_level_key() -> None:
    text = "---\n# head\na: 1\nb: [1]\n...\n"
    assert patch(text, {}) == "---\n# head\n{}\n...\n"


def test_delete_entry_with_block_scalar() -> None:
    text = "a: |\n  hello\n  world\n\n# about b\nb: 1\n"
    assert edited(text, lambda d: d.pop("a")) == "\n# about b\nb: 1\n"


def test_append_insert_remove_block_list() -> None:
    out = edited(MANIFEST, lambda d: d["evidence"].append("d.txt"))
    assert out == replaced("  - c.txt\n", "  - c.txt\n  - d.txt\n")
    out = edited(MANIFEST, lambda d: d["evidence"].insert(0, {"file": "z", "size": 1}))
    assert out == replaced("  - file: a.pdf\n", "  - file: z\n    size: 1\n  - file: a.pdf\n")
    out = edited(MANIFEST, lambda d: d["evidence"].remove("c.txt"))
    assert out == replaced("  - c.txt\n", "")
    out = edited(MANIFEST, lambda d: d["evidence"].pop(0))
    assert out == replaced(
        "  - file: a.pdf\n    # checksum below\n    sha256: abc\n    size: 3\n", ""
    )


def test_remove_only_item_keeps_comments() -> None:
    out = edited(MANIFEST, lambda d: d["notes"].clear())
    assert out == replaced("notes:\n  # keep me\n  - one\n", "notes: []\n  # keep me\n")


def test_flow_list_edits_stay_flow() -> None:
    assert edited(MANIFEST, lambda d: d["tags"].append("c")) == replaced("[a, b]", "[a, b, c]")
    assert edited(MANIFEST, lambda d: d["tags"].remove("a")) == replaced("[a, b]", "[b]")
    assert edited(MANIFEST, lambda d: d["tags"].clear()) == replaced("[a, b]", "[]")
    assert edited(MANIFEST, lambda d: d["tags"].__setitem__(1, "x y")) == replaced(
        "[a, b]", "[a, x y]"
    )


def test_rerecord_entry_keeps_comments_inside() -> None:
    out = edited(MANIFEST, lambda d: d["evidence"][0].update(sha256="def", size=5))
    assert out == replaced("sha256: abc\n    size: 3", "sha256: def\n    size: 5")


def test_items_that_line_up_are_edited_in_place_when_others_are_added_or_removed() -> None:
    """An entry loses its facts as another is added (or two become one): the entries that
    line up are edited in place, so what they keep keeps its spelling and its comments."""
    text = (
        "evidence:\n  - file: a.pdf  # the plan\n    sha256: ab\n    note: 'it''s p.3'\n"
        "  - file: b.pdf\n    note: >-\n      two\n      lines\n"
    )
    grown = {
        "evidence": [
            {"file": "a.pdf", "note": "it's p.3"},
            {"file": "b.pdf", "note": "two lines", "size": 3},
            {"file": "c.pdf"},
        ]
    }
    out = patch(text, grown)
    assert "  - file: a.pdf  # the plan\n    note: 'it''s p.3'\n" in out
    assert "    note: >-\n      two\n      lines\n" in out and out.endswith("  - file: c.pdf\n")
    shrunk = patch(text, {"evidence": [{"file": "a.pdf", "note": "it's p.3"}]})
    assert shrunk == "evidence:\n  - file: a.pdf  # the plan\n    note: 'it''s p.3'\n"


def test_an_item_equal_to_another_does_not_pull_the_alignment() -> None:
    """Two '[]' items: the first is filled and the mapping after it loses a key. Lined up
    with the second '[]', the mapping would have been deleted and written anew, taking a
    comment inside its untouched list with it (found by the property test below)."""
    text = (
        "list:\n- []\n- '': [null]\n  size: 1\n  sha256:\n  - a\n  # kept\n  - b\n- []\n"
        "size: null\n"
    )
    new = {"list": [[None], {"size": 1, "sha256": ["a", "b"]}, []], "size": None}
    out = patch(text, new)
    assert out == (
        "list:\n- - null\n- size: 1\n  sha256:\n  - a\n  # kept\n  - b\n- []\nsize: null\n"
    )
    # Items all alike still line up by what they are: one deleted, the rest untouched...
    assert patch("l:\n- x  # 1\n- x  # 2\n- y  # 3\n", {"l": ["x", "y"]}).count("#") == 2
    # ...and an item put before repeated ones is an insertion, not a rewrite of them all.
    same = "l:\n- a  # 1\n- a  # 2\n- a  # 3\n"
    assert patch(same, {"l": [{"k": 1}, "a", "a", "a"]}) == f"l:\n- k: 1\n{same[3:]}"
    assert patch(same, {"l": ["b", "a", "a", "a"]}) == f"l:\n- b\n{same[3:]}"


def test_of_two_alignments_the_one_that_loses_fewer_comments_is_taken() -> None:
    """Deleting the mapping (one item, three comments) or the two 'a's (two items, two
    comments): the 'a's go. An anchored item is never the one deleted (that write would be
    refused); and a long list of equal items is lined up in linear time."""
    text = "l:\n- a  #c0\n- a  #c1\n- k: 1  #c2\n  m: 1  #c3\n  n: 1  #c4\n- c  #c5\n"
    out = patch(text, {"l": [{"k": 1, "m": 1, "n": 1}, "a", "a", "c"]})
    assert out == "l:\n- k: 1  #c2\n  m: 1  #c3\n  n: 1  #c4\n- a\n- a\n- c  #c5\n"
    anchored = "l:\n- a  #c0\n- a  #c1\n- &x\n  k: 1  #c2\n- c  #c5\nm: *x\n"
    out = rewrite(
        anchored,
        yaml.compose(anchored, Loader=yaml.CSafeLoader),
        {"l": [{"k": 1}, "a", "a", "c"], "m": {"k": 1}},
    )
    assert "- &x\n  k: 1  #c2\n" in out and out.endswith("m: *x\n")
    many = "l:\n" + "- a\n" * 8000  # (difflib alone weighs every pair: some 10 s)
    assert patch(many, {"l": ["b"] + ["a"] * 8000}) == f"l:\n- b\n{many[3:]}"


def test_flow_mapping_item_stays_flow() -> None:
    out = edited(MANIFEST, lambda d: d["evidence"][1].update(size=5))
    assert out == replaced("{file: b.pdf, size: 4}", "{file: b.pdf, size: 5}")
    out = edited(MANIFEST, lambda d: d["evidence"][1].update(sha256="x"))
    assert out == replaced("{file: b.pdf, size: 4}", "{file: b.pdf, size: 4, sha256: x}")


def test_scalar_becomes_block_collection() -> None:
    text = "meta: null  # later\nitems:\n  - a\nempty:\n"
    out = edited(text, lambda d: d.update(meta={"a": 1}, empty=["x"]))
    assert out == "meta:  # later\n  a: 1\nitems:\n  - a\nempty:\n  - x\n"
    out = edited(text, lambda d: d["items"].__setitem__(0, {"file": "a", "tags": ["t"]}))
    assert out == "meta: null  # later\nitems:\n  - file: a\n    tags:\n      - t\nempty:\n"


def test_block_collection_becomes_scalar() -> None:
    text = "a:\n  b: 1\n  c: 2\nd: 3\n"
    assert edited(text, lambda d: d.update(a="x")) == "a: x\nd: 3\n"
    assert edited(text, lambda d: d.update(a=[1, 2])) == "a:\n  - 1\n  - 2\nd: 3\n"


def test_scalar_item_replaced_in_place_keeps_comment() -> None:
    text = "l:\n  - a  # note\n  - b\n"
    assert edited(text, lambda d: d["l"].__setitem__(0, "z")) == "l:\n  - z  # note\n  - b\n"


def test_follows_file_indentation() -> None:
    text = "a:\n    b: 1\nl:\n- x\nm: {}\nn: []\n"
    out = edited(text, lambda d: d.update(m={"k": {"j": 1}}, n=[{"p": [2]}]))
    assert out == "a:\n    b: 1\nl:\n- x\nm:\n    k:\n        j: 1\nn:\n- p:\n  - 2\n"


def test_compact_item_loses_first_key() -> None:
    text = "l:\n  - file: a\n    # about size\n    size: 3\n"
    assert edited(text, lambda d: d["l"][0].pop("file")) == "l:\n    # about size\n  - size: 3\n"
    out = edited(text, lambda d: d["l"].__setitem__(0, {"other": 1}))
    assert out == "l:\n    # about size\n  - other: 1\n"


def test_nested_compact_sequences() -> None:
    text = "l:\n  - - a\n    - b\n  - - c\n"
    assert edited(text, lambda d: d["l"][0].pop(0)) == "l:\n  - - b\n  - - c\n"
    assert (
        edited(text, lambda d: d["l"][0].insert(0, "z"))
        == "l:\n  - - z\n    - a\n    - b\n  - - c\n"
    )
    assert edited(text, lambda d: d["l"][1].clear()) == "l:\n  - - a\n    - b\n  - []\n"


def test_text_without_final_newline() -> None:
    assert edited("a: 1", lambda d: d.update(b=[1])) == "a: 1\nb:\n  - 1"
    assert edited("a: 1\nb: 2", lambda d: d.pop("b")) == "a: 1\n"


def test_block_scalar_value() -> None:
    text = "a: |\n  one\n  two\n\n# about b\nb: >\n  folded\n"
    assert edited(text, lambda d: d.update(a="x")) == "a: x\n\n# about b\nb: >\n  folded\n"
    assert edited(text, lambda d: d.update(c=1)) == text + "c: 1\n"


def test_unchanged_nan_and_non_string_keys_stay() -> None:
    text = "a: .NaN\n1: one\nb: 1\n"
    new = {"a": float("nan"), 1: "one", "b": 2}
    out = rewrite(text, yaml.compose(text, Loader=yaml.CSafeLoader), new)
    assert out == "a: .NaN\n1: one\nb: 2\n"


def test_comments_between_dash_and_item() -> None:
    text = "l:\n  - # first-\n    # more-\n    a: 1\n  -  # second\n    b\n"
    assert edited(text, lambda d: d["l"].append("c")) == text + "  - c\n"
    assert edited(text, lambda d: d["l"].pop(0)) == "l:\n  -  # second\n    b\n"
    assert edited(text, lambda d: d["l"][0].clear()) == text.replace(
        "- # first", "- {} # first", 1
    ).replace("    a: 1\n", "")


def test_non_ascii_before_the_edit() -> None:
    text = "name: Zoë 😀 ünïcödé\n# ça va\nx: 1\n"
    assert edited(text, lambda d: d.update(x=2)) == "name: Zoë 😀 ünïcödé\n# ça va\nx: 2\n"


def test_dates_and_tuples() -> None:
    text = "due: 2026-01-01\nl: [1]\n"
    out = patch(text, {"due": date(2026, 2, 1), "l": (1, 2)})
    assert out == "due: 2026-02-01\nl: [1, 2]\n"


NASTY = [
    "two\nlines",
    "X\nstatement: {name: Forged}",
    "has # hash",
    "a: b",
    " leading",
    "trailing ",
    "[x]",
    "{y}",
    "a, b",
    "ctrl\x00\x07\x1b\x7f",
    "line\u2028sep\u2029\x85",
    "emoji 😀",
    "tab\there",
    "quote\"'\\",
    "",
    "- dash",
    "yes",
    "0o12",
    "~",
    "\ufeffbom",
]


@pytest.mark.parametrize("value", NASTY)
def test_nasty_strings_round_trip_on_one_line(value: str) -> None:
    out = edited(MANIFEST, lambda d: d.update(framework=value))
    assert len(out.splitlines()) == len(MANIFEST.splitlines())
    assert "statement" not in load(out)


@pytest.mark.parametrize(
    "value",
    ["yes", "on", "No", "1_000", "0o12", "2026-01-01", ".inf", "null", "~", "010", "1e3", "1:20"],
)
def test_render_scalar_quotes_what_a_reader_would_convert(value: str) -> None:
    assert render_scalar(value).startswith('"')
    assert load(f"k: {render_scalar(value)}") == {"k": value}


@pytest.mark.parametrize("value", ["hello world", "a.pdf", "O'Brien", "Smith & Co", "v1.2.3-rc"])
def test_render_scalar_keeps_safe_text_plain(value: str) -> None:
    assert render_scalar(value) == value


def test_render_scalar_other_types() -> None:
    assert [render_scalar(v) for v in (None, True, False, 7, -2, 1.5, 1e16)] == [
        "null", "true", "false", "7", "-2", "1.5", "1e+16"
    ]  # fmt: skip
    assert render_scalar(date(2026, 1, 2)) == "2026-01-02"
    assert render_scalar("a\nb") == '"a\\nb"'
    assert render_scalar("\u2028") == '"\\u2028"'
    for bad in (float("nan"), float("inf"), "lone \ud800"):
        with pytest.raises(ValueError):
            render_scalar(bad)


def test_anchors_and_aliases_refuse_to_change() -> None:
    text = "base: &b {x: 1}\nother: *b\nplain: 1\nm:\n  <<: *b\n  y: 2\n"
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    # the project's reader refuses merge keys, so the data is spelled out here
    old = {"base": {"x": 1}, "other": {"x": 1}, "plain": 1, "m": {"x": 1, "y": 2}}
    assert rewrite(text, root, {**old, "plain": 2}) == text.replace("plain: 1", "plain: 2")
    for new in (
        {**old, "other": {"x": 2}},
        {k: v for k, v in old.items() if k != "base"},
        {**old, "m": {"x": 1, "y": 3}},
    ):
        with pytest.raises(PatchError, match="anchors or aliases"):
            rewrite(text, root, new)


def test_root_that_is_not_a_mapping() -> None:
    text = "- a\n"
    with pytest.raises(PatchError):
        rewrite(text, yaml.compose(text, Loader=yaml.CSafeLoader), {"a": 1})


# --- property test: random manifests, written with comments, then one random edit


KEYS = st.one_of(
    st.sampled_from(["file", "size", "sha256", "name", "yes", "1.1", "tags", "x y"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=6),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.sampled_from(["a.pdf", "met", "180_000.50", "no", "", "x: y", "# z"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=10),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
DOCS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=5)


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return render_scalar(value)


class Writer:
    """Writes data in block style, with whole-line comments and blank lines before some
    entries and end-of-line comments after some lines."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.comments: dict[str, tuple[Any, ...]] = {}  # comment text -> path of its entry
        self.mapping = draw(st.sampled_from([2, 4]))  # the indent of nested keys
        self.offset = draw(st.sampled_from([0, 2]))  # the indent of '-' under its key

    def comment(self, indent: int, path: tuple[Any, ...], allowed: bool) -> list[str]:
        kind = self.draw(st.integers(0, 3)) if allowed else 0
        lines = [""] if kind >= 2 else []
        if kind % 2:
            text = f"# c{len(self.comments)}"
            self.comments[text] = path
            lines.append(" " * indent + text)
        return lines

    def tail(self) -> str:
        return "  # eol" if self.draw(st.integers(0, 3)) == 0 else ""

    def value(self, head: str, value: Any, indent: int, path: tuple[Any, ...]) -> list[str]:
        if not value or not isinstance(value, dict | list) or self.draw(st.integers(0, 4)) == 0:
            return [f"{head} {flow(value)}{self.tail()}"]
        if head.endswith("-"):
            inner = self.block(value, indent + 2, path, compact=True)
            return [f"{head} {inner[0].lstrip()}", *inner[1:]]
        step = self.mapping if isinstance(value, dict) else self.offset
        return [head + self.tail(), *self.block(value, indent + step, path, compact=False)]

    def block(self, data: Any, indent: int, path: tuple[Any, ...], compact: bool) -> list[str]:
        lines: list[str] = []
        pad = " " * indent
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for n, (key, value) in enumerate(items):
            lines += self.comment(indent, (*path, key), not (compact and n == 0))
            head = f"{pad}{render_scalar(key)}:" if isinstance(data, dict) else f"{pad}-"
            lines += self.value(head, value, indent, (*path, key))
        return lines


def containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if isinstance(data, dict | list) else []
    if isinstance(data, dict | list):
        for key, value in data.items() if isinstance(data, dict) else enumerate(data):
            found += containers(value, (*path, key))
    return found


def at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def change(draw: Any, new: Any) -> list[tuple[Any, ...]]:
    """Make one random change in ``new``; returns the paths whose comments may go with it."""
    path = draw(st.sampled_from(containers(new)))
    box = at(new, path)
    if isinstance(box, dict):
        op = draw(st.sampled_from(["set", "add", "delete"] if box else ["add"]))
        key = draw(KEYS) if op == "add" else draw(st.sampled_from(list(box)))
        if op == "delete":
            del box[key]
        else:
            box[key] = draw(VALUES)
        return [(*path, key)]
    op = draw(st.sampled_from(["set", "append", "insert", "remove"] if box else ["append"]))
    index = draw(st.integers(0, max(len(box) - 1, 0)))
    size = len(box)
    if op == "append":
        box.append(draw(VALUES))
    elif op == "insert":
        box.insert(index, draw(VALUES))
    elif op == "set":
        box[index] = draw(VALUES)
    else:
        del box[index]
    # Equal items are interchangeable to the alignment, so any of them may be the one replaced.
    return [(*path, i) for i in range(size + 3)]


@st.composite
def edit(draw: Any, data: dict[str, Any]) -> tuple[Any, list[tuple[Any, ...]]]:
    """A copy of ``data`` with one to three random changes, and the paths whose comments may go."""
    new = copy.deepcopy(data)
    may_go: list[tuple[Any, ...]] = []
    for _ in range(draw(st.integers(1, 3))):
        may_go += change(draw, new)
    return new, may_go


EXAMPLES = int(os.environ.get("MENTORQA_HYPOTHESIS_EXAMPLES", "100"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_edits_load_as_new_and_keep_comments(data: Any) -> None:
    old = data.draw(DOCS)
    writer = Writer(data.draw)
    text = "\n".join(writer.block(old, 0, (), compact=False)) + "\n"
    if data.draw(st.booleans()):
        text = f"%YAML 1.2\n---\n{text}...\n"
    assert norm(load(text)) == norm(old), text
    new, may_go = data.draw(edit(old))
    out = patch(text, new)
    kept = [line.strip() for line in out.splitlines() if re.fullmatch(r"\s*# c\d+", line)]
    expected = [c for c, p in writer.comments.items() if not any(p[: len(g)] == g for g in may_go)]
    assert [c for c in kept if c in expected] == expected, out
    assert kept == sorted(kept, key=lambda c: int(c[3:])), out
    if text.startswith("%YAML"):
        assert out.startswith("%YAML 1.2\n---\n") and out.endswith("\n...\n"), out


_EDGES = (  # the ends of the kept ranges, and the characters just outside them
    "\x1f\x20\x7e\x7f\x85\x9f\xa0\u2027\u2028\u2029\u202a\ud7ff\ue000\ufefe\ufeff"
    "\uff00\ufffd\ufffe\U00010000\U0010ffff"
)


@settings(max_examples=800, deadline=None)
@given(st.one_of(st.characters(), st.sampled_from(list(_EDGES))))
def test_the_kept_characters_are_yamls_printable_ones_less_line_breaks(char: str) -> None:
    """What the renderer writes as it is: YAML's printable set without \\x85, U+2028, U+2029."""
    from mentorqa.store.yamlrender import KEPT

    printable = re.compile(
        "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    )
    code = ord(char)
    assert any(low <= code <= high for low, high in KEPT) == bool(printable.fullmatch(char))
