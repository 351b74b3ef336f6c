"""Comment-keeping edits of round-trip YAML, on any shape of manifest and any sequence of edits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap

from mentorqa.comments import append_in, drop_in, lost_comments, put_in, remove_item
from mentorqa.yamlio import dump_roundtrip, load_roundtrip, load_safe

HERE = Path("manifest.yaml")

scalars = st.integers(min_value=0, max_value=99)
# Leaves are numbers or flow lists such as [1, 2], which ruamel treats differently for comments.
leaves = st.one_of(scalars, st.lists(scalars, min_size=1, max_size=2))
leaf_maps = st.dictionaries(st.sampled_from("abc"), leaves, min_size=1, max_size=3)
values = st.one_of(
    scalars,
    leaf_maps,
    st.lists(leaf_maps, min_size=1, max_size=3),
)
documents = st.dictionaries(st.sampled_from(["k1", "k2", "k3", "k4"]), values, min_size=1)


def leaf(value: int | list[int]) -> str:
    """A leaf as written by hand: a flow list carries an end-of-line comment."""
    if isinstance(value, int):
        return str(value)
    return "[" + ", ".join(map(str, value)) + "]  # flow"


def commented(data: dict[str, Any], offset: int) -> str:
    """Hand-written-looking YAML with a unique comment line above every key and list item."""
    lines: list[str] = []
    count = 0

    def comment(indent: int) -> None:
        nonlocal count
        count += 1
        lines.append(" " * indent + f"# c{count}")

    # Like a manifest, the file starts with a key that no edit removes (a mapping left with no
    # key at all has nowhere to keep comment lines).
    comment(0)
    lines.append("framework: qim")
    for key, value in data.items():
        comment(0)
        if isinstance(value, int):
            lines.append(f"{key}: {value}")
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            for sub, inner in value.items():
                comment(2)
                lines.append(f"  {sub}: {leaf(inner)}")
        else:
            lines.append(f"{key}:")
            for item in value:
                comment(offset)
                for n, (sub, inner) in enumerate(item.items()):
                    if n:
                        comment(offset + 2)
                    lead = "- " if n == 0 else "  "
                    lines.append(" " * offset + f"{lead}{sub}: {leaf(inner)}")
    comment(0)  # a last comment, at the end of the file
    return "\n".join(lines) + "\n"


def comments_of(text: str) -> list[str]:
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


def without_empty(data: Any) -> Any:
    if isinstance(data, dict):
        kept = {k: without_empty(v) for k, v in data.items()}
        return {k: v for k, v in kept.items() if v not in ({}, [])}
    if isinstance(data, list):
        return [without_empty(v) for v in data]
    return data


edits = st.lists(
    st.tuples(
        st.sampled_from(["put", "put_in", "append", "remove", "drop", "drop_in"]),
        st.sampled_from(["k1", "k2", "k3", "k4", "k5"]),
        st.sampled_from("abcd"),
        st.integers(min_value=0, max_value=3),
    ),
    max_size=8,
)


def apply(doc: CommentedMap, model: dict[str, Any], edit: tuple[str, str, str, int]) -> None:
    """One edit on the round-trip document and the same edit on a plain model of it."""
    op, key, sub, number = edit
    current = model.get(key)
    if op == "put":
        put_in(doc, (key,), number)
        model[key] = number
    elif op == "put_in" and (current is None or isinstance(current, dict)):
        put_in(doc, (key, sub), number)
        model.setdefault(key, {})[sub] = number
    elif op == "append" and (current is None or isinstance(current, list)):
        append_in(doc, (key,), CommentedMap([(sub, number)]))
        model.setdefault(key, []).append({sub: number})
    elif op == "remove" and isinstance(current, list) and number < len(current):
        remove_item(doc, (key,), number)
        del current[number]
    elif op == "drop" and key in model:
        drop_in(doc, (key,))
        del model[key]
    elif op == "drop_in" and isinstance(current, dict) and sub in current:
        drop_in(doc, (key, sub))
        del current[sub]


@settings(max_examples=150, deadline=None)
@given(documents, st.sampled_from([0, 2]), edits)
def test_edits_keep_every_comment_line_and_the_layout(
    data: dict[str, Any], offset: int, changes: list[tuple[str, str, str, int]]
) -> None:
    text = commented(data, offset)
    doc = load_roundtrip(text, HERE)
    model: dict[str, Any] = {k: v for k, v in load_safe(text, HERE).items()}
    for change in changes:
        apply(doc, model, change)
    out = dump_roundtrip(doc, like=text)
    # Still valid YAML, holding exactly what the edits made of the data ...
    assert without_empty(load_safe(out, HERE) or {}) == without_empty(model)
    # ... and not one of the user's comment lines lost.
    assert comments_of(out) == comments_of(text)
    # Without edits, a rewrite is the file as written, byte for byte.
    if not changes:
        assert out == text


def test_lost_comments_names_whole_lines_only() -> None:
    before = "# keep\nx: 1  # end of line\n# gone\ny: 2\n"
    assert lost_comments(before, "# keep\nx: 1\ny: 2\n") == ["# gone"]
    assert lost_comments(before, before) == []
