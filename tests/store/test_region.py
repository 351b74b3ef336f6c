"""``mark`` patches the indicator's record on its own (store/region.py): whatever the layout
around it, the file it writes is byte for byte the one the general write gives, and the cache
it leaves (manifest and line tree) equals a fresh read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentorqa
from mentorqa.store.manifest_file import read_manifest
from tests.store._both_ways import both_ways
from tests.store.test_append import HEAD  # the same manifest head as the evidence splice's

TABLE = "file\tsha256\tsize\trecorded\n"

_RECORD = st.sampled_from(
    [
        "    self:\n      status: met\n",
        "    self:\n      status: met\n      note: plain words\n      date: 2026-04-01\n",
        "    # the assessor's view\n    assessor:\n      status: not-met  # for now\n",
        "    self: {status: met}\n",
        "    self:\n      status: met\n      note: |\n        a block\n\n        two parts\n",
        "    evidence: []\n",
        "    self:\n      status: partly-met\n\n",
        "    self:\n        status: met\n        rating: 2\n",
        # facts kept inline (version 1 wrote them): the general write moves them to the table
        f"    evidence:\n      - file: evidence/a.txt\n        sha256: {'ab' * 32}\n"
        "        size: 1\n        recorded: 2026-04-01\n",
    ]
)
_TABLE = st.sampled_from(
    [
        TABLE,
        TABLE + f"evidence/gone.pdf\t{'cd' * 32}\t3\t2026-04-01\n",  # a line nothing uses
    ]
)
_STYLE = st.sampled_from(["block", "commented", "flow"])
_AFTER = st.sampled_from(
    [
        "",
        "# interviews next\n",
        "interviews: []\n",
        "\n# a comment\ninterviews:\n  - role: mentee\n    pseudonym: Mentee A\n",
        "  # a comment at the records' indent\n",
    ]
)
_IDS = ["QIM-SV-A01", "QIM-SV-A02", "QIM-SV-A03"]


def _workspace(
    root: Path, records: list[str], after: str, table: str = TABLE, style: str = "block"
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if style == "flow":  # a flow mapping whose records sit on lines of their own
        body = "".join(
            f"  {',' if n else ' '} {ind}: {{self: {{status: met}}}}\n"
            for n, ind in enumerate(_IDS[: len(records)])
        )
        text = HEAD.replace("indicators:\n", "indicators: {\n") + body + "  }\n" + after
    else:
        body = "".join(f"  {ind}:\n{rec}" for ind, rec in zip(_IDS, records, strict=False))
        head = HEAD.replace("indicators:\n", "indicators:  # the records\n\n")
        text = (head if style == "commented" else HEAD) + body + after
    (root / "mentorqa.yaml").write_text(text, encoding="utf-8")
    (root / "mentorqa.evidence.tsv").write_text(table, encoding="utf-8")
    return root


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    records=st.lists(_RECORD, min_size=1, max_size=3),
    after=_AFTER,
    table=_TABLE,
    style=_STYLE,
    target=st.sampled_from([*_IDS, "QIM-SV-A04", "QIM-SV-B02"]),
    by=st.sampled_from(["self", "assessor"]),
    note=st.sampled_from([None, "new words", "a: b # c"]),
)
def test_a_judgement_patched_alone_is_the_general_writes_to_the_byte(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    records: list[str],
    after: str,
    table: str,
    style: str,
    target: str,
    by: str,
    note: str | None,
) -> None:
    folder = tmp_path_factory.mktemp("ws")
    fast = _workspace(folder / "fast", records, after, table, style)
    general = folder / "general"
    shutil.copytree(fast, general)
    mentorqa.open_workspace(fast).status()  # the cache now holds this text

    both_ways(fast, general, lambda ws, _: ws.mark(target, "met", by=by, note=note), monkeypatch)


def test_a_mark_at_scale_patches_only_the_record(tmp_path: Path) -> None:
    """The common case takes the record's lines alone: the file is not parsed whole."""
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside")
    ws.mark("QIM-SV-A01", "met")
    again = mentorqa.open_workspace(ws.root)
    again.status()
    change = again.mark("QIM-SV-A02", "partly-met", note="first")
    # (a general write leaves no cached JSON in the file it returns; a patch keeps it)
    assert again.file.cached_json is not None, "patched alone, without the general write"
    assert change.summary.startswith("QIM-SV-A02: Partly met")
    change = again.mark("QIM-SV-A02", "met", note="second")
    assert change.replaced == "was Partly met, note 'first'"
    assert again.file.cached_json is not None
    assert read_manifest(ws.root).manifest == read_manifest(ws.root, cache=False).manifest
