"""A write on a manifest read from the cache is judged without pydantic (conform.py): whatever
conform accepts, pydantic accepts with the very same JSON dump; anything uncertain goes to
pydantic, which words the error."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

import mentorqa
from mentorqa import manifest as plain_models
from mentorqa.conform import REQUIRED, Unsure, dump, patched
from mentorqa.spec import manifest as spec
from mentorqa.store.manifest_file import read_manifest

MODELS: dict[str, type[BaseModel]] = {
    name: model
    for name, model in vars(spec).items()
    if isinstance(model, type)
    and issubclass(model, BaseModel)
    and model.__module__ == spec.__name__
    and not name.startswith("_")
}


def form_of(name: str) -> tuple[Any, ...]:
    form: tuple[Any, ...] = getattr(plain_models, f"_{name}_form")
    return form


def pydantic_dump(model: type[BaseModel], value: Any) -> Any:
    return model.model_validate(value).model_dump(mode="json", by_alias=True)


# Values of every kind a file's reader gives, the awkward ones included.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(["", "met", "2026-05-01", "self_", "x\x00y", "1"]),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(2300, 1, 1)),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def shaped(form: tuple[Any, ...], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values mostly of ``form``'s shape, with junk mixed in at every level (about one in
    eight), so that both what conform accepts and what it leaves to pydantic are drawn."""
    if depth > 3:
        return JUNK
    return _mostly(_shaped(form, depth), JUNK)


def _mostly(usual: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``usual`` seven times in eight (``one_of`` would draw each branch as often)."""
    return st.integers(0, 7).flatmap(lambda n: rare if n == 0 else usual)


def _shaped(form: tuple[Any, ...], depth: int) -> st.SearchStrategy[Any]:
    kind = form[0]
    if kind == "model":
        fields = form[1]
        required = {
            key: shaped(sub, depth + 1) for key, sub, default in fields if default is REQUIRED
        }
        optional = {
            key: shaped(sub, depth + 1) for key, sub, default in fields if default is not REQUIRED
        }
        model = st.fixed_dictionaries(required, optional=optional)
        extra = st.tuples(st.sampled_from(["extra", "self_", "1"]), JUNK)
        return _mostly(model, st.tuples(model, extra).map(lambda p: {**p[0], p[1][0]: p[1][1]}))
    if kind == "union":
        return st.one_of(*(shaped(choice, depth + 1) for choice in form[1]))
    if kind == "tuple":
        return st.lists(shaped(form[1], depth + 1), max_size=3)
    if kind == "dict":
        keys = st.one_of(st.sampled_from(["QIM-SV-A01", "a", ""]), st.integers(0, 3))
        return st.dictionaries(keys, shaped(form[2], depth + 1), max_size=3)
    if kind == "none":
        return st.none()
    if kind == "literal":
        return st.sampled_from(form[1])
    scalars: dict[str, st.SearchStrategy[Any]] = {
        "str": st.text(max_size=4),
        "int": st.integers(min_value=-1500, max_value=1500),
        "float": st.one_of(st.integers(-10, 10**25), st.floats()),
        "bool": st.booleans(),
        "date": st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2300, 1, 1)),
    }
    return scalars[kind]


def agrees(model: type[BaseModel], value: Any, certified: Any) -> None:
    """What conform certified, pydantic accepts, with the same dump (as JSON text, which is
    what the cache keeps)."""
    try:
        expected = pydantic_dump(model, value)
    except ValidationError as exc:
        pytest.fail(f"conform accepted what pydantic refuses: {value!r}: {exc}")
    assert json.dumps(certified) == json.dumps(expected)  # 1.0 is not 1, and in the same order


@pytest.mark.parametrize("name", sorted(MODELS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_whatever_conform_accepts_pydantic_accepts_with_the_same_dump(
    name: str, data: st.DataObject
) -> None:
    value = data.draw(shaped(form_of(name)))
    try:
        certified = dump(form_of(name), value)
    except Unsure:
        return
    agrees(MODELS[name], value, certified)


VALID = {
    "mentorqa": 2,
    "framework": "qim",
    "service": {"name": "Riverside", "turnover": 120000},
    "dates": {"registration": dt.date(2026, 3, 1)},
    "indicators": {
        "QIM-SV-A01": {"self": {"status": "met", "note": "plan", "date": dt.date(2026, 4, 1)}},
        "QIM-SV-A02": {"assessor": {"status": "not-met", "rating": 2}},
    },
    "interviews": [{"role": "mentee", "pseudonym": "Mentee A", "minutes": 18}],
    "plan": {"priorities": [{"goal": "More mentors"}]},
}


def changed(base: dict[str, Any], path: list[str], value: Any) -> dict[str, Any]:
    new: dict[str, Any] = json.loads(json.dumps(base, default=str))  # a deep copy...
    new["dates"] = dict(base["dates"])  # ...with the dates kept as dates
    for key in ("indicators",):
        new[key] = {k: {who: dict(j) for who, j in rec.items()} for k, rec in base[key].items()}
    node = new
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(node.get(key), dict | None) else node
    node[path[-1]] = value
    return new


PATHS = st.sampled_from(
    [
        ["indicators", "QIM-SV-A01", "self"],
        ["indicators", "QIM-SV-A03", "self"],
        ["indicators", "QIM-SV-A02", "assessor", "rating"],
        ["indicators", "QIM-SV-A01", "self", "note"],
        ["service", "turnover"],
        ["service", "name"],
        ["dates", "first_area_uploaded"],
        ["eligibility"],
        ["mentorqa"],
        ["plan", "strengths"],
        ["privacy", "names_consent"],
        ["statement"],
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    path=PATHS,
    value=st.one_of(
        JUNK,
        shaped(form_of("Judgement")),
        st.text(min_size=1, max_size=5),
        st.integers(0, 10**6),
        st.dates(dt.date(1890, 1, 1), dt.date(2210, 1, 1)),
        st.dictionaries(st.sampled_from(["membership", "full_cycle"]), st.booleans()),
    ),
)
def test_a_change_is_judged_on_what_it_changes_as_pydantic_judges_the_whole(
    path: list[str], value: Any
) -> None:
    old_json = pydantic_dump(spec.Manifest, VALID)
    new = changed(VALID, path, value)
    try:
        certified = patched(plain_models.FORM, VALID, new, old_json)
    except Unsure:
        return
    agrees(spec.Manifest, new, certified)


def test_what_conform_leaves_to_pydantic() -> None:
    judgement = form_of("Judgement")
    assert dump(judgement, {"status": "met", "date": dt.date(2026, 5, 1)}) == {
        "status": "met",
        "rating": None,
        "note": "",
        "date": "2026-05-01",
    }
    for unsure in (
        {"status": "met", "rating": 1001},  # out of range
        {"status": 5},  # pydantic refuses a number for text
        {"status": "met", "rating": True},  # a bool where a number belongs
        {"status": "met", "rating": 2.0},  # pydantic converts it; conform does not
        {"status": "met", "date": "2026-05-01"},  # a quoted date: pydantic parses it
        {"status": "met", "date": dt.datetime(2026, 5, 1)},
        {"status": "met", "date": dt.date(1066, 10, 14)},  # implausible
        {"status": "met", "colour": "red"},  # an unknown key
        {"rating": 3},  # the status is required
    ):
        with pytest.raises(Unsure):
            dump(judgement, unsure)
    service = form_of("Service")
    for turnover in (10**400, math.inf, math.nan, -1):
        with pytest.raises(Unsure):
            dump(service, {"name": "R", "turnover": turnover})
    assert dump(service, {"name": "R", "turnover": 120000})["turnover"] == 120000.0
    evidence = form_of("EvidenceFile")
    with pytest.raises(Unsure):  # the facts live in the table: the general path merges them
        dump(evidence, {"file": "evidence/a.pdf"})
    with pytest.raises(Unsure):
        dump(evidence, {"file": "a\x00b", "sha256": "0", "size": 1, "recorded": dt.date.today()})


def test_a_write_on_a_cached_manifest_caches_what_pydantic_would(tmp_path: Path) -> None:
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside", turnover=90_000)
    ws.mark("QIM-SV-A01", "met", note="first")  # a read from the cache comes first...
    again = mentorqa.open_workspace(ws.root)
    again.mark("QIM-SV-A02", "partly-met", rating=None, note="second")
    again.mark("QIM-SV-A01", "met", by="assessor", note="third")
    cached = read_manifest(ws.root)
    assert cached._document is None  # ...and each write left a cache entry for its text
    afresh = read_manifest(ws.root, cache=False)
    assert cached.manifest == afresh.manifest
    assert afresh.manifest.indicators["QIM-SV-A01"].assessor is not None


def test_an_upgraded_manifest_is_cached_at_its_new_layout(tmp_path: Path) -> None:
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside")
    manifest = ws.root / "mentorqa.yaml"
    (ws.root / "evidence" / "a.txt").write_text("hello", encoding="utf-8")
    digest = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    version_1 = "\n".join(
        [
            "indicators:",
            "  QIM-SV-A01:",
            "    evidence:",
            "      - file: evidence/a.txt",
            f"        sha256: {digest}",
            "        size: 5",
            "        recorded: 2026-01-25",
            "",
        ]
    )
    text = manifest.read_text(encoding="utf-8").replace("mentorqa: 2", "mentorqa: 1")
    manifest.write_text(text.replace("indicators: {}\n", version_1), encoding="utf-8")
    (ws.root / "mentorqa.evidence.tsv").unlink()
    assert read_manifest(ws.root).manifest.mentorqa == 1  # read, and cached as it is
    for indicator in ("QIM-SV-A02", "QIM-SV-A03"):  # the upgrade, then a write judged by conform
        mentorqa.open_workspace(ws.root).mark(indicator, "met")
        cached, afresh = read_manifest(ws.root), read_manifest(ws.root, cache=False)
        assert cached._document is None and cached.manifest == afresh.manifest
        assert cached.manifest.mentorqa == 2


def test_evidence_the_model_refuses_is_never_spliced_in(tmp_path: Path) -> None:
    """Through the library a value may come unchecked: the general write refuses it, and the
    cache never holds it."""
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside")
    for name in ("a", "b"):
        (ws.root / "evidence" / f"{name}.txt").write_text(name, encoding="utf-8")
    ws.add_evidence("QIM-SV-A01", ws.root / "evidence" / "a.txt")
    before = (ws.root / "mentorqa.yaml").read_bytes()
    again = mentorqa.open_workspace(ws.root)
    with pytest.raises(mentorqa.MentorqaError, match="2500-01-01 is outside"):
        again.add_evidence(
            "QIM-SV-A01", ws.root / "evidence" / "b.txt", valid_until=dt.date(2500, 1, 1)
        )
    assert (ws.root / "mentorqa.yaml").read_bytes() == before
    mentorqa.open_workspace(ws.root).mark("QIM-SV-A02", "met")
    assert read_manifest(ws.root).manifest == read_manifest(ws.root, cache=False).manifest


def test_a_cache_entry_cut_short_is_not_used(tmp_path: Path) -> None:
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside")
    ws.mark("QIM-SV-A01", "met")
    ws.mark("QIM-SV-A02", "met")
    (entry,) = (Path(os.environ["XDG_CACHE_HOME"]) / "mentorqa" / "manifests").glob("*.json")
    lines = entry.read_text(encoding="utf-8").split("\n")
    entry.write_text("\n".join([*lines[:-2], ""]), encoding="utf-8")  # the last record lost
    found = read_manifest(ws.root)
    assert set(found.manifest.indicators) == {"QIM-SV-A01", "QIM-SV-A02"}
    assert entry.read_text(encoding="utf-8").split("\n") == lines  # read afresh, kept whole


def test_defaults_are_never_shared_between_dumps() -> None:
    first = dump(form_of("Plan"), {})
    first["strengths"].append("changed")
    assert dump(form_of("Plan"), {})["strengths"] == []


def test_the_generator_refuses_what_conform_would_judge_otherwise() -> None:
    from pydantic import ConfigDict, Field, field_validator

    from mentorqa.spec.generate import _judged_alike

    class Stripped(BaseModel):
        model_config = ConfigDict(str_strip_whitespace=True)
        name: str

    class Checked(BaseModel):
        name: str

        @field_validator("name")
        @classmethod
        def upper(cls, value: str) -> str:
            return value.upper()

    class Renamed(BaseModel):
        name: str = Field(validation_alias="title")

    for model in (Stripped, Checked, Renamed):
        with pytest.raises(TypeError):
            _judged_alike(model)
    _judged_alike(spec.Manifest)
