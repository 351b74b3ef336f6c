"""``evidence add`` of new files splices their lines in (store/append.py): whatever the layout
of the list it joins, the manifest reads back as before plus the new entries, every other byte
stays, and the cache it leaves equals a fresh read. Where it cannot be sure, the general write
does the work, with the same result."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentorqa
from mentorqa.errors import WorkspaceError
from mentorqa.store.evidence_table import render_table
from mentorqa.store.manifest_file import _lines_with_layout, read_manifest
from mentorqa.store.yamlio import load_safe

TODAY = dt.date(2026, 5, 15)
HEAD = """mentorqa: 2
framework: qim
service:
  name: Riverside
dates:
  registration: 2026-03-01
indicators:
"""


def _workspace(root: Path, body: str, files: list[str]) -> Path:
    """A workspace whose manifest is HEAD + ``body``, its table listing ``files``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "evidence").mkdir(exist_ok=True)
    table = {}
    for name in files:
        data = name.encode()
        (root / name).write_bytes(data)
        table[name] = (hashlib.sha256(data).hexdigest(), len(data), dt.date(2026, 4, 1))
    (root / "mentorqa.yaml").write_text(HEAD + body, encoding="utf-8")
    (root / "mentorqa.evidence.tsv").write_text(render_table(table), encoding="utf-8")
    return root


def _added(root: Path, names: list[str], note: str | None) -> mentorqa.Workspace:
    for name in names:
        (root / name).write_bytes(b"new " + name.encode())
    mentorqa.open_workspace(root).status()  # the cache now holds this text
    ws = mentorqa.open_workspace(root)
    ws.add_evidence("QIM-SV-A01", *(root / n for n in names), note=note)
    return ws


def _removed_lines(new: str, old: str) -> bool:
    """Whether ``new`` is ``old`` with lines inserted at one place, and nothing else."""
    a, b = old.split("\n"), new.split("\n")
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    extra = len(b) - len(a)
    return b[:start] + b[start + extra :] == a


# --- layouts of the list the new entries join --------------------------------------------------

_DASH = st.sampled_from([("    ", " "), ("      ", " "), ("      ", "   "), ("    ", "  ")])
_NOTE = st.sampled_from(
    [
        "",
        "        note: plain words\n",
        '        note: "quoted: with # hash"\n',
        "        note: |\n          a block\n\n          of two paragraphs\n",
        "        note: |+\n          keeps its blank lines\n\n",
        "        note: first\n          and second line\n",
        "        # a comment inside the entry\n        note: after it\n",
        "# a comment at the margin\n        note: after it\n",
    ]
)
_AFTER = st.sampled_from(
    [
        "",
        "\n",
        "    # a comment after the list\n",
        "    self:\n      status: met\n",
        "\n  # next indicator\n  QIM-SV-A02:\n    self:\n      status: met\n",
        "interviews: []\n",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    dash=_DASH,
    notes=st.lists(_NOTE, min_size=1, max_size=3),
    after=_AFTER,
    new=st.integers(1, 3),
    note=st.sampled_from([None, "p. 3", "a: b # c", "two\nlines"]),
    final_newline=st.booleans(),
)
def test_new_entries_join_any_layout_and_nothing_else_changes(
    tmp_path_factory: pytest.TempPathFactory,
    dash: tuple[str, str],
    notes: list[str],
    after: str,
    new: int,
    note: str | None,
    final_newline: bool,
) -> None:
    indent, gap = dash
    key = len(indent) + 1 + len(gap)  # the entries' keys line up after the dash

    def placed(line: str) -> str:  # the examples are written for keys in column 8
        lead = len(line) - len(line.lstrip(" "))
        return " " * (key + lead - 8) + line.lstrip(" ") if lead >= 8 else line

    files = [f"evidence/old-{n}.pdf" for n in range(len(notes))]
    body = "  QIM-SV-A01:\n    evidence:\n"
    for file, extra in zip(files, notes, strict=True):
        body += f"{indent}-{gap}file: {file}\n"
        body += "".join(placed(line) + "\n" for line in extra.splitlines())
    body += after
    if not final_newline:
        body = body.rstrip("\n")
    root = _workspace(tmp_path_factory.mktemp("ws"), body, files)
    old_text = (root / "mentorqa.yaml").read_text(encoding="utf-8")
    old_data = load_safe(old_text, Path("m"))
    names = [f"evidence/new-{n}.pdf" for n in range(new)]

    try:
        ws = _added(root, names, note)
    except WorkspaceError as exc:
        # The general write refuses what it cannot write exactly (after a block scalar whose
        # trailing line breaks would change); then nothing changed.
        assert "could not be written exactly" in str(exc) and "|" in notes[-1]
        assert (root / "mentorqa.yaml").read_text(encoding="utf-8") == old_text
        return

    if final_newline and "|" not in notes[-1]:
        assert ws.file._document is None, "spliced, without the general write"
    text = (root / "mentorqa.yaml").read_text(encoding="utf-8")
    assert _removed_lines(text, old_text), text
    data = load_safe(text, Path("m"))
    expected = [{"file": n, **({"note": note} if note else {})} for n in names]
    assert data["indicators"]["QIM-SV-A01"]["evidence"] == (
        old_data["indicators"]["QIM-SV-A01"]["evidence"] + expected
    )
    data["indicators"]["QIM-SV-A01"]["evidence"] = old_data["indicators"]["QIM-SV-A01"]["evidence"]
    assert data == old_data  # nothing else changed
    cached, fresh = read_manifest(root), read_manifest(root, cache=False)
    assert cached._document is None, "the cache must know the new text"
    assert cached.manifest == fresh.manifest
    assert cached._lines == _lines_with_layout(fresh.document.root)
    table = (root / "mentorqa.evidence.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in table[1:]] == sorted(files + names)


def test_the_common_case_appends_without_the_general_write(tmp_path: Path) -> None:
    body = (
        "  QIM-SV-A01:\n    evidence:\n      - file: evidence/a.pdf\n    self:\n      status: met\n"
    )
    root = _workspace(tmp_path / "ws", body, ["evidence/a.pdf"])
    ws = _added(root, ["evidence/b.pdf"], "p. 2")
    assert ws.file._document is None  # no YAML parse of the whole manifest
    assert "      - file: evidence/b.pdf\n        note: p. 2\n    self:" in ws.file.text


@pytest.mark.parametrize(
    "body",
    [
        "  QIM-SV-A01:\n    evidence: [{file: evidence/a.pdf}]\n",  # a flow list
        "  QIM-SV-A01:\n    evidence:\n      -\n        file: evidence/a.pdf\n",  # dash alone
        "  QIM-SV-A01:\n    evidence:\n      - &doc\n        file: evidence/a.pdf\n",  # an anchor
        "  QIM-SV-A01: {evidence: [{file: evidence/a.pdf}]}\n",
    ],
)
def test_layouts_it_cannot_be_sure_of_take_the_general_write(tmp_path: Path, body: str) -> None:
    root = _workspace(tmp_path / "ws", body, ["evidence/a.pdf"])
    ws = _added(root, ["evidence/b.pdf"], None)
    files = [e.file for e in ws.manifest.indicators["QIM-SV-A01"].evidence]
    assert files == ["evidence/a.pdf", "evidence/b.pdf"]
    fresh = read_manifest(root, cache=False)
    assert fresh.manifest == ws.manifest


def test_a_file_recorded_afresh_replaces_its_entry(tmp_path: Path) -> None:
    body = "  QIM-SV-A01:\n    evidence:\n      - file: evidence/a.pdf\n"
    root = _workspace(tmp_path / "ws", body, ["evidence/a.pdf"])
    (root / "evidence" / "a.pdf").write_bytes(b"changed")
    mentorqa.open_workspace(root).status()
    ws = mentorqa.open_workspace(root)
    change = ws.add_evidence("QIM-SV-A01", root / "evidence" / "a.pdf")
    assert change.replaced == "recorded afresh: evidence/a.pdf"
    (entry,) = ws.manifest.indicators["QIM-SV-A01"].evidence
    assert entry.sha256 == hashlib.sha256(b"changed").hexdigest()
    assert (root / "mentorqa.yaml").read_text().count("evidence/a.pdf") == 1


def test_a_list_shared_through_an_alias_is_never_spliced(tmp_path: Path) -> None:
    """Found in review: a list anchored here and aliased there would have grown in both places
    on disk and in one place in the cache. The general write refuses such a file."""
    body = (
        "  QIM-SV-A01:\n    evidence: &shared\n      - file: evidence/a.pdf\n"
        "  QIM-SV-A02:\n    evidence: *shared\n"
    )
    root = _workspace(tmp_path / "ws", body, ["evidence/a.pdf"])
    before = (root / "mentorqa.yaml").read_bytes()
    with pytest.raises(WorkspaceError, match="anchors"):
        _added(root, ["evidence/b.pdf"], None)
    assert (root / "mentorqa.yaml").read_bytes() == before
    assert read_manifest(root).manifest == read_manifest(root, cache=False).manifest


def test_a_block_scalar_line_that_looks_like_a_comment_stays_in_its_note(tmp_path: Path) -> None:
    """Found in review: '# see minutes' inside a '|' note is text, not a comment; the new entry
    must not be spliced above it."""
    body = (
        "  QIM-SV-A01:\n    evidence:\n      - file: evidence/a.pdf\n"
        "        note: |\n          Reviewed by the board\n          # see minutes p.3\n"
        "    self:\n      status: met\n"
    )
    root = _workspace(tmp_path / "ws", body, ["evidence/a.pdf"])
    ws = _added(root, ["evidence/b.pdf"], None)
    fresh = read_manifest(root, cache=False).manifest
    first = fresh.indicators["QIM-SV-A01"].evidence[0]
    assert first.note == "Reviewed by the board\n# see minutes p.3\n"
    assert [e.file for e in fresh.indicators["QIM-SV-A01"].evidence] == [
        "evidence/a.pdf",
        "evidence/b.pdf",
    ]
    assert ws.manifest == fresh == read_manifest(root).manifest
