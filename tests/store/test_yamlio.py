"""The fast YAML reader must read every document exactly as ruamel.yaml's reference reader does."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mentorqa.errors import MentorqaError
from mentorqa.store.yamlio import _loader, load_safe, load_safe_pure

HERE = Path("test.yaml")
FAST = _loader()


def reference(text: str) -> tuple[str, Any]:
    try:
        return "ok", load_safe_pure(text, HERE)
    except MentorqaError as exc:
        return "error", str(exc.problems[0])


def test_the_fast_reader_is_available() -> None:
    # PyYAML wheels ship libyaml for every common platform; without it mentorqa still works,
    # only slower, but the test environment must exercise the fast path.
    from yaml._yaml import CParser

    assert issubclass(FAST, CParser)


# Plain scalars a person might type into a manifest, including YAML 1.1 traps.
TRICKY = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "true",
    "False",
    "null",
    "~",
    "",
    "010",
    "0o17",
    "0x1F",
    "1_000",
    "1:20",
    "12:30:00",
    "2026-03-01",
    "2026-3-1",
    "2026-03-01 10:00:00",
    ".inf",
    "-.5",
    "1e3",
    "+12",
    "-0",
    "0.5.1",
    "£120,000",
    "Mentee A",
    "2026-02-30",
    "NaN",
    ".nan",
    "0b101",
]


@pytest.mark.parametrize("scalar", TRICKY)
def test_tricky_scalars_read_the_same(scalar: str) -> None:
    text = f"value: {scalar}\nlist: [{scalar}]\n"
    expected = reference(text)
    if expected[0] == "ok":
        assert repr(load_safe(text, HERE)) == repr(expected[1])  # repr: nan == nan
        assert FAST is not None
        loader = FAST(text)
        assert repr(loader.get_single_data()) == repr(expected[1])
    else:
        with pytest.raises(MentorqaError):
            load_safe(text, HERE)


scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.integers().map(str),
    st.floats(allow_nan=False).map(str),
    st.dates().map(str),
)


@given(st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), scalars, max_size=6))
@example({"a": "1:20", "b": "no"})
@example({"a": "="})
@settings(max_examples=300, deadline=None)
def test_any_plain_mapping_reads_the_same(mapping: dict[str, str]) -> None:
    text = "".join(f"{key}: {value}\n" for key, value in mapping.items())
    expected = reference(text)
    if expected[0] == "ok":
        assert repr(load_safe(text, HERE)) == repr(expected[1])
    else:
        with pytest.raises(MentorqaError) as raised:
            load_safe(text, HERE)
        assert str(raised.value.problems[0]) == expected[1]


def test_duplicate_keys_are_refused_with_their_place() -> None:
    text = "service:\n  name: A\n  name: B\n"
    with pytest.raises(MentorqaError) as raised:
        load_safe(text, HERE)
    assert "duplicate key" in str(raised.value.problems[0])
    assert "test.yaml:3:" in str(raised.value.problems[0])


def test_an_impossible_date_is_located() -> None:
    text = "dates:\n  registration: 2026-02-30\n"
    with pytest.raises(MentorqaError) as raised:
        load_safe(text, HERE)
    assert str(raised.value.problems[0]).startswith("test.yaml:2:17: '2026-02-30' is not a real")


def test_tags_never_build_objects() -> None:
    text = "x: !!python/object/apply:os.system ['echo hacked']\n"
    with pytest.raises(MentorqaError):
        load_safe(text, HERE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!timestamp foo\n", "test.yaml:1:4: YAML syntax error: failed to construct timestamp"),
        ("a: !!bool x\n", "test.yaml:1:4: YAML syntax error: 'x' cannot be read as a boolean"),
        ("a:\n- !!bool maybe\n", "test.yaml:2:3: YAML syntax error: 'maybe' cannot be read as"),
        ("a: !!int \n", "test.yaml:1:4: YAML syntax error: '' cannot be read as a number"),
        ("a: !!float\n", "test.yaml:1:4: YAML syntax error: '' cannot be read as a number"),
    ],
)
def test_a_standard_tag_on_a_value_it_cannot_take_is_located(text: str, expected: str) -> None:
    """Found by the fuzzer: '!!timestamp foo' and '!!bool x' made both readers' constructors
    fail with AttributeError and KeyError, a traceback; '!!int' and '!!float' on nothing, with
    IndexError."""
    with pytest.raises(MentorqaError) as raised:
        load_safe(text, HERE)
    assert str(raised.value.problems[0]).startswith(expected)
    with pytest.raises(MentorqaError):
        load_safe_pure(text, HERE)  # the reference reader: an error, if less located
    assert load_safe("a: !!bool yes\nb: !!timestamp 2001-1-1\n", HERE) == {
        "a": True,
        "b": date(2001, 1, 1),
    }


# --- the 1.2 rules the fast reader applies are the reference reader's ----------------------------


def _ruamel_rules() -> dict[str, tuple[list[Any], set[str]]]:
    from ruamel.yaml.resolver import implicit_resolvers

    rules: dict[str, tuple[list[Any], set[str]]] = {}
    for versions, tag, pattern, first in implicit_resolvers:
        if (1, 2) in versions:
            found = rules.setdefault(tag.rsplit(":", 1)[-1], ([], set()))
            found[0].append(pattern)
            found[1].update(first)
    return rules


def test_the_core_rules_start_where_ruamels_do() -> None:
    from mentorqa.store.yamlrender import CORE_12

    theirs = _ruamel_rules()
    for name, _patterns, first in CORE_12:
        assert set(first) == theirs[name][1], name
    assert set(theirs) - {name for name, _, _ in CORE_12} == {"yaml"}  # '!', '&', '*' alone


PLAIN = st.text(alphabet="0123456789+-._eExXoObB:TtZz nNaAfFlLsSuUrRiI~<=\t", max_size=24)


@settings(max_examples=1500, deadline=None)
@given(PLAIN)
@example("2026-05-01")
@example("2026-5-1 10:00:00.5 +01:00")
@example("0o17")
@example("1_000.5e+3")
@example(".NaN")
@example("<<")
@example("")
def test_the_core_rules_take_what_ruamels_take(text: str) -> None:
    """Every plain scalar resolves to the tag ruamel.yaml gives it under YAML 1.2."""
    from mentorqa.store.yamlrender import CORE_12

    theirs = _ruamel_rules()
    for name, patterns, first in CORE_12:
        starts = text[:1] in first
        ours = starts and any(p.fullmatch(text) for p in patterns)
        reference_match = text[:1] in theirs[name][1] and any(
            p.match(text) for p in theirs[name][0]
        )
        assert ours == bool(reference_match), (name, text)
