"""The first write on a version 1 manifest upgrades it one record at a time, in memory, and
writes the upgrade with its change (store/manifest_file.py ``upgraded``): whatever the layout,
both files are byte for byte those the general write gives, and the cache it leaves equals a
fresh read."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import mentorqa
from mentorqa.store.manifest_file import read_manifest, upgraded
from tests.store._both_ways import both_ways
from tests.store.test_append import HEAD as APPEND_HEAD

# The evidence splice's manifest head, as version 1 (with a comment above, and after the version)
HEAD = "# mentorqa workspace\n" + APPEND_HEAD.replace(
    "mentorqa: 2\n", "mentorqa: 1{version_comment}\n"
)
SHA = {"a": "ab" * 32, "b": "cd" * 32}


def entry(file: str, sha: str, style: str) -> str:
    facts = f"sha256: {SHA[sha]}", "size: 12", "recorded: 2026-04-01"
    if style == "flow":
        return f"      - {{file: {file}, {', '.join(facts)}}}\n"
    lines = [f"file: {file}", *facts]
    if style == "noted":
        lines.insert(2, "note: p.3")
    if style == "quoted":  # untouched values keep their spelling, whichever way is taken
        lines.append("note: 'it''s p.3'")
    if style == "folded":
        lines.insert(2, "note: >-\n          two\n          lines")
    if style == "commented":
        lines.insert(1, "# the checksum below")
    return "      - " + "\n        ".join(lines) + "\n"


_ENTRY = st.tuples(
    st.sampled_from(["evidence/one.pdf", "evidence/two.pdf", "evidence/three.pdf"]),
    st.sampled_from(["a", "a", "b"]),  # the same file with other facts: the general write
    st.sampled_from(["block", "block", "block", "noted", "quoted", "folded", "commented", "flow"]),
)
_JUDGEMENT = st.sampled_from(
    [
        "",
        "    self:\n      status: met\n",
        "    self:\n      status: met\n",
        "    self: {status: met}\n",
    ]
)
_RECORD = st.tuples(_JUDGEMENT, st.lists(_ENTRY, max_size=3))
_AFTER = st.sampled_from(["", "# interviews next\n", "interviews: []\n"])
_IDS = ["QIM-SV-A01", "QIM-SV-A02", "QIM-SV-A03"]


def version_1(
    root: Path,
    records: list[tuple[str, list[tuple[str, str, str]]]],
    after: str,
    version_comment: str = "",
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    body = ""
    for ind, (judgement, entries) in zip(_IDS, records, strict=False):
        if not judgement and not entries:
            continue
        evidence = "    evidence:\n" + "".join(entry(*e) for e in entries) if entries else ""
        body += f"  {ind}:\n{judgement}{evidence}"
    text = HEAD.format(version_comment=version_comment) + (body or "  {}\n") + after
    if not body:
        text = text.replace("indicators:\n  {}\n", "indicators: {}\n")
    (root / "mentorqa.yaml").write_text(text, encoding="utf-8")
    return root


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.lists(_RECORD, min_size=1, max_size=3),
    after=_AFTER,
    version_comment=st.sampled_from(["", "  # the format", "   "]),
    action=st.sampled_from(["mark A01", "mark A04", "add A02", "add A01"]),
)
def test_an_upgrade_by_records_is_the_general_writes_to_the_byte(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    records: list[tuple[str, list[tuple[str, str, str]]]],
    after: str,
    version_comment: str,
    action: str,
) -> None:
    folder = tmp_path_factory.mktemp("ws")
    fast = version_1(folder / "fast", records, after, version_comment)
    (fast / "evidence").mkdir()
    (fast / "evidence" / "new.pdf").write_bytes(b"%PDF- new")
    general = folder / "general"
    shutil.copytree(fast, general)
    try:
        mentorqa.open_workspace(fast).status()  # the cache now holds this text
    except mentorqa.MentorqaError:
        return  # not a valid manifest (a file listed twice with other facts, and so on)
    verb, short = action.split()

    def write(ws: mentorqa.Workspace, root: Path) -> Any:
        if verb == "mark":
            return ws.mark(f"QIM-SV-{short}", "met", note="checked")
        return ws.add_evidence(f"QIM-SV-{short}", root / "evidence" / "new.pdf")

    quick = both_ways(fast, general, write, monkeypatch)
    event("upgraded by records" if quick else "general write")


def test_a_version_1_manifest_is_upgraded_without_being_parsed_whole(tmp_path: Path) -> None:
    entries = [("evidence/one.pdf", "a", "block"), ("evidence/two.pdf", "a", "block")]
    ws = version_1(tmp_path / "ws", [("    self:\n      status: met\n", entries)], "")
    before = (ws / "mentorqa.yaml").read_text(encoding="utf-8")
    mentorqa.open_workspace(ws).status()
    up = upgraded(read_manifest(ws, for_write=True))
    assert up is not None
    assert "sha256" not in up.text and "mentorqa: 2\n" in up.text
    assert up.table_text is not None and up.table_text.count("\n") == 3  # header, two files
    assert (ws / "mentorqa.yaml").read_text(encoding="utf-8") == before  # nothing written yet
    assert not (ws / "mentorqa.evidence.tsv").exists()

    opened = mentorqa.open_workspace(ws)
    opened.mark("QIM-SV-A02", "met")
    # (a general write leaves no cached JSON in the file it returns; a patch keeps it)
    assert opened.file.cached_json is not None, "upgraded and patched, never parsed whole"
    assert read_manifest(ws).manifest == read_manifest(ws, cache=False).manifest
    assert "sha256" not in (ws / "mentorqa.yaml").read_text(encoding="utf-8")


def test_a_failed_or_empty_write_leaves_the_workspace_as_it_was_read(tmp_path: Path) -> None:
    """The upgrade is made on copies: a write that fails, or changes nothing, leaves the files
    and what the workspace holds as read (its lines are still those of the text on disk)."""
    judged = "    self:\n      status: met\n      date: 2026-05-15\n"  # (today, in the tests)
    records = [("", [("evidence/one.pdf", "a", "block")]), (judged, [])]
    ws_path = version_1(tmp_path / "ws", records, "")
    general = tmp_path / "general"
    shutil.copytree(ws_path, general)
    for root in (ws_path, general):
        (root / "evidence").mkdir()
        (root / "evidence" / "new.pdf").write_bytes(b"%PDF- new")
    manifest = ws_path / "mentorqa.yaml"
    before = manifest.read_bytes()
    mentorqa.open_workspace(ws_path).status()
    ws = mentorqa.open_workspace(ws_path)
    where = ["indicators", "QIM-SV-A02", "self"]
    with pytest.raises(mentorqa.MentorqaError):
        ws.mark("QIM-SV-A02", "bogus")
    assert ws.file.line_of(where) == read_manifest(ws_path, cache=False).line_of(where) == 16
    ws.mark("QIM-SV-A02", "met")  # as recorded already: nothing to write
    assert manifest.read_bytes() == before and not (ws_path / "mentorqa.evidence.tsv").exists()
    assert ws.manifest.mentorqa == 1 and ws.file.table_text is None
    assert ws.file.line_of(where) == 16
    # and the next write on the same workspace object is the general write's, to the byte
    ws.add_evidence("QIM-SV-A01", ws_path / "evidence" / "new.pdf")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MENTORQA_NO_CACHE", "1")
        mentorqa.open_workspace(general).add_evidence(
            "QIM-SV-A01", general / "evidence" / "new.pdf"
        )
    for name in ("mentorqa.yaml", "mentorqa.evidence.tsv"):
        assert (ws_path / name).read_bytes() == (general / name).read_bytes(), name
