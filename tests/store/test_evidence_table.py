"""The evidence facts beside the manifest (``mentorqa.evidence.tsv``): version 1 workspaces read
as before and move their facts there on the first write, losing nothing; check works from both;
a missing or hand-broken table is a located error."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorqa
from mentorqa.errors import MentorqaError
from mentorqa.store.evidence_table import HEADER, named_in, parse_table, render_table
from tests.conftest import run

TABLE = "mentorqa.evidence.tsv"


def _version_1(ws: Path, files: dict[str, tuple[str, bytes]]) -> None:
    """Rewrite ``ws``'s manifest as mentorqa 0.2 wrote it: version 1, every fact inline."""
    lines = []
    for rel, (indicator, data) in files.items():
        path = ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        lines += [
            f"  {indicator}:",
            "    evidence:",
            f"      - file: {rel}",
            f"        sha256: {hashlib.sha256(data).hexdigest()}",
            f"        size: {len(data)}",
            "        recorded: 2026-04-01",
            "        note: kept by hand  # a comment stays",
        ]
    manifest = ws / "mentorqa.yaml"
    text = manifest.read_text(encoding="utf-8").replace("mentorqa: 2", "mentorqa: 1")
    text = text.replace("indicators: {}\n", "indicators:\n" + "\n".join(lines) + "\n")
    manifest.write_text(text, encoding="utf-8")
    (ws / TABLE).unlink()


def _evidence(ws: Path) -> dict[str, list[tuple[str, str, int, dt.date, str]]]:
    manifest = mentorqa.open_workspace(ws).manifest
    return {
        key: [(e.file, e.sha256, e.size, e.recorded, e.note) for e in record.evidence]
        for key, record in manifest.indicators.items()
        if record.evidence
    }


FILES = {
    "evidence/b-policy.pdf": ("QIM-SV-A01", b"%PDF- policy"),
    "evidence/a-minutes.pdf": ("QIM-SV-A02", b"%PDF- minutes"),
}


def test_a_version_1_workspace_moves_its_facts_on_the_first_write_losing_nothing(
    qim_ws: Path,
) -> None:
    _version_1(qim_ws, FILES)
    before = _evidence(qim_ws)
    assert run("check", "-w", qim_ws).exit_code in (0, 1)  # read as it is, nothing written
    assert not (qim_ws / TABLE).exists()

    assert run("mark", "QIM-SV-A03", "met", "-w", qim_ws).exit_code == 0
    assert _evidence(qim_ws) == before
    text = (qim_ws / "mentorqa.yaml").read_text(encoding="utf-8")
    assert "mentorqa: 2" in text and "sha256" not in text and "recorded:" not in text
    assert "note: kept by hand  # a comment stays" in text
    table = (qim_ws / TABLE).read_text(encoding="utf-8").splitlines()
    assert table[0] == HEADER
    assert [line.split("\t")[0] for line in table[1:]] == sorted(FILES)  # one line each, sorted
    assert run("check", "-w", qim_ws).exit_code in (0, 1)
    assert "changed" not in run("evidence", "list", "-w", qim_ws).stdout


def test_a_file_recorded_twice_with_other_facts_keeps_them_in_the_manifest(
    qim_ws: Path,
) -> None:
    _version_1(qim_ws, {"evidence/p.pdf": ("QIM-SV-A01", b"first")})
    manifest = qim_ws / "mentorqa.yaml"
    text = manifest.read_text(encoding="utf-8")
    other = hashlib.sha256(b"other").hexdigest()
    entry = text[text.index("  QIM-SV-A01:") :].replace("QIM-SV-A01", "QIM-SV-A02")
    manifest.write_text(text + entry.replace(hashlib.sha256(b"first").hexdigest(), other))
    before = _evidence(qim_ws)
    assert run("mark", "QIM-SV-A03", "met", "-w", qim_ws).exit_code == 0
    assert _evidence(qim_ws) == before
    assert manifest.read_text(encoding="utf-8").count("sha256:") == 2
    assert (qim_ws / TABLE).read_text(encoding="utf-8") == HEADER + "\n"


def test_evidence_add_and_remove_keep_one_sorted_line_per_file(qim_ws: Path) -> None:
    for name in ("z.pdf", "a.pdf"):
        (qim_ws / "evidence" / name).write_bytes(name.encode())
    assert run("evidence", "add", "QIM-SV-A01", "evidence/z.pdf", cwd=qim_ws).exit_code == 0
    assert run("evidence", "add", "QIM-SV-A02", "evidence/a.pdf", cwd=qim_ws).exit_code == 0
    assert run("evidence", "add", "QIM-SV-A03", "evidence/a.pdf", cwd=qim_ws).exit_code == 0
    lines = (qim_ws / TABLE).read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in lines[1:]] == ["evidence/a.pdf", "evidence/z.pdf"]
    assert lines[1].split("\t")[1:] == [hashlib.sha256(b"a.pdf").hexdigest(), "5", "2026-05-15"]
    assert "sha256" not in (qim_ws / "mentorqa.yaml").read_text(encoding="utf-8")

    assert run("evidence", "remove", "QIM-SV-A02", "evidence/a.pdf", cwd=qim_ws).exit_code == 0
    assert "evidence/a.pdf" in (qim_ws / TABLE).read_text()  # QIM-SV-A03 still records it
    assert run("evidence", "remove", "QIM-SV-A03", "evidence/a.pdf", cwd=qim_ws).exit_code == 0
    assert "evidence/a.pdf" not in (qim_ws / TABLE).read_text()


def test_check_compares_files_with_the_table_and_sees_an_edit_of_the_table(qim_ws: Path) -> None:
    (qim_ws / "evidence" / "p.pdf").write_bytes(b"policy")
    assert run("evidence", "add", "QIM-SV-A01", "evidence/p.pdf", cwd=qim_ws).exit_code == 0
    assert "MQA" not in run("check", "-w", qim_ws, "--format", "github").stdout.replace(
        "MQA202", ""
    )
    table = qim_ws / TABLE
    table.write_text(table.read_text().replace(hashlib.sha256(b"policy").hexdigest(), "0" * 64))
    listed = run("evidence", "list", "-w", qim_ws).stdout  # the cache must not answer
    assert "changed" in listed


def test_a_missing_table_is_one_clear_error(qim_ws: Path) -> None:
    (qim_ws / "evidence" / "p.pdf").write_bytes(b"policy")
    assert run("evidence", "add", "QIM-SV-A01", "evidence/p.pdf", cwd=qim_ws).exit_code == 0
    (qim_ws / TABLE).unlink()
    done = run("status", "-w", qim_ws)
    assert done.exit_code == 2
    assert done.stderr.count("error:") == 1
    assert f"{TABLE}: is missing beside mentorqa.yaml" in done.stderr
    assert f"git add {TABLE}" in done.stderr


def test_an_entry_the_table_lacks_is_located_in_the_manifest(qim_ws: Path) -> None:
    manifest = qim_ws / "mentorqa.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace(
            "indicators: {}",
            "indicators:\n  QIM-SV-A01:\n    evidence:\n      - file: evidence/x.pdf",
        )
    )
    done = run("check", "-w", qim_ws)
    assert done.exit_code == 2
    line = text.splitlines().index("indicators: {}") + 4
    assert f"mentorqa.yaml:{line}:" in done.stderr
    assert "'mentorqa evidence add QIM-SV-A01 evidence/x.pdf'" in done.stderr


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("evidence/p.pdf\tnot-a-sum\t6\t2026-05-15", "is not a sha256"),
        (f"evidence/p.pdf\t{'a' * 64}\tsix\t2026-05-15", "is not a size"),
        (f"evidence/p.pdf\t{'a' * 64}\t6\t15/05/2026", "is not a day"),
        (f"evidence/p.pdf\t{'a' * 64}\t6", "this line has 3"),
    ],
)
def test_a_hand_broken_table_line_is_located(qim_ws: Path, line: str, said: str) -> None:
    (qim_ws / "evidence" / "p.pdf").write_bytes(b"policy")
    assert run("evidence", "add", "QIM-SV-A01", "evidence/p.pdf", cwd=qim_ws).exit_code == 0
    table = qim_ws / TABLE
    table.write_text(table.read_text() + line + "\n")
    done = run("check", "-w", qim_ws)
    assert done.exit_code == 2
    assert f"{TABLE}:3:1: " in done.stderr and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_a_layout_from_a_newer_mentorqa_is_refused_with_what_to_do(qim_ws: Path) -> None:
    manifest = qim_ws / "mentorqa.yaml"
    manifest.write_text(manifest.read_text().replace("mentorqa: 2", "mentorqa: 3"))
    done = run("status", "-w", qim_ws)
    assert done.exit_code == 2 and "upgrade mentorqa" in done.stderr


def test_the_table_is_protected_from_outputs_and_is_not_evidence(qim_ws: Path) -> None:
    before = (qim_ws / TABLE).read_bytes()
    done = run("report", "-w", qim_ws, "-o", qim_ws / TABLE)
    assert done.exit_code == 2 and (qim_ws / TABLE).read_bytes() == before
    done = run("evidence", "add", "QIM-SV-A01", TABLE, cwd=qim_ws)
    assert done.exit_code == 2 and "mentorqa's record of the evidence" in done.stderr


_PATHS = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r\x0b\x0c"),
    min_size=1,
    max_size=40,
).filter(lambda p: not any(ord(c) < 32 or ord(c) == 127 for c in p))
_FACTS = st.tuples(
    st.text("0123456789abcdef", min_size=64, max_size=64),
    st.integers(0, 2**63 - 1),
    st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31)),
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_PATHS, _FACTS, max_size=20))
def test_the_table_reads_back_as_written(table: dict[str, tuple[str, int, dt.date]]) -> None:
    text = render_table(table)
    assert parse_table(text, Path(TABLE)) == table
    lines = text[:-1].split("\n")
    assert lines[0] == HEADER and len(lines) == len(table) + 1 and lines[1:] == sorted(lines[1:])


def test_a_path_with_a_control_character_is_never_written() -> None:
    with pytest.raises(ValueError, match="control character"):
        render_table({"evidence/a\tb.pdf": ("a" * 64, 1, dt.date(2026, 1, 1))})
    with pytest.raises(MentorqaError):
        parse_table(f"evidence/a\x1bb\t{'a' * 64}\t1\t2026-01-01\n", Path(TABLE))


def test_the_library_sees_the_same_facts_as_before_the_move(tmp_path: Path) -> None:
    os.environ["MENTORQA_TODAY"] = "2026-05-15"
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside", turnover=120_000)
    doc = tmp_path / "ws" / "evidence" / "plan.pdf"
    doc.write_bytes(b"plan")
    ws.add_evidence("QIM-SV-A01", doc, note="p.2")
    (item,) = mentorqa.open_workspace(tmp_path / "ws").manifest.indicators["QIM-SV-A01"].evidence
    assert (item.file, item.sha256, item.size, item.recorded, item.note) == (
        "evidence/plan.pdf",
        hashlib.sha256(b"plan").hexdigest(),
        4,
        dt.date(2026, 5, 15),
        "p.2",
    )


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_PATHS, _FACTS, max_size=30), st.dictionaries(_PATHS, _FACTS, max_size=5))
def test_lines_spliced_into_the_table_are_the_table_rendered_whole(
    old: dict[str, tuple[str, int, dt.date]], new: dict[str, tuple[str, int, dt.date]]
) -> None:
    """``evidence add`` bisects the sorted text for each new line (store/append.py)."""
    from mentorqa.store.append import table_with

    spliced = table_with(render_table(old), new)
    if any(file in old and old[file] != facts for file, facts in new.items()):
        assert spliced is None  # recorded with other facts: the general write decides
    else:
        assert spliced == render_table({**old, **new})


def test_a_line_with_a_record_inside_it_is_not_a_record() -> None:
    """Every line must be a record from its start: the fast reader anchors each match."""
    good = f"evidence/a.pdf\t{'a' * 64}\t1\t2026-01-01\n"
    with pytest.raises(MentorqaError, match=f"{TABLE}:2:1: a record is 4 values"):
        parse_table(f"{HEADER}\njunk\t{good}", Path(TABLE))
    with pytest.raises(MentorqaError, match="listed twice"):
        parse_table(f"{HEADER}\n{good}{good.replace('2026-01-01', '2026-01-02')}", Path(TABLE))
    assert parse_table(f"{HEADER}\n{good}{good}", Path(TABLE)) == {
        "evidence/a.pdf": ("a" * 64, 1, dt.date(2026, 1, 1))
    }


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.builds(
                "\t".join,
                st.lists(
                    st.one_of(
                        st.text("0123456789abcdef", min_size=63, max_size=65),
                        st.text(st.characters(), max_size=12),
                        st.sampled_from(["2026-01-01", "2026-02-30", "0", "-1", "9" * 25]),
                    ),
                    max_size=5,
                ),
            ),
        ),
        max_size=8,
    )
)
def test_any_text_reads_as_a_table_or_a_located_error(lines: list[str]) -> None:
    """A hand-edited or damaged table never gives a traceback, however it is broken."""
    text = "\n".join([HEADER, *lines]) + "\n"
    try:
        table = parse_table(text, Path(TABLE))
    except MentorqaError as exc:
        assert all(p.line is not None and p.file == Path(TABLE) for p in exc.problems)
    else:
        assert parse_table(render_table(table), Path(TABLE)) == table


@pytest.mark.parametrize("value", ["[evidence/a.pdf]", "!!set {evidence/a.pdf}", "{a: 1}"])
def test_a_file_that_is_not_a_path_is_a_located_error(qim_ws: Path, value: str) -> None:
    """Found by the fuzzing harness: a list or set where a path belongs was a traceback."""
    (qim_ws / "evidence" / "a.pdf").write_bytes(b"a")
    assert run("evidence", "add", "QIM-SV-A01", "evidence/a.pdf", cwd=qim_ws).exit_code == 0
    manifest = qim_ws / "mentorqa.yaml"
    manifest.write_text(manifest.read_text().replace("file: evidence/a.pdf", f"file: {value}"))
    for command in (("status",), ("mark", "QIM-SV-A02", "met")):
        done = run(*command, "-w", qim_ws)
        assert done.exit_code == 2 and done.stderr.startswith("error: "), done.stderr
        assert "mentorqa.yaml:" in done.stderr and "Traceback" not in done.stderr


def test_named_in_finds_the_file_lines_mentorqa_writes_and_only_table_files() -> None:
    text = (
        "indicators:\n  QIM-SV-A01:\n    evidence:\n"
        "      - file: evidence/a.pdf\n        note: x\n"
        "      - file: evidence/b c.pdf   # the board's copy\n"
        '      - file: "evidence/quoted.pdf"\n'  # missed: hashed later, as usual
        "      - {file: evidence/flow.pdf}\n"
        "      - file: evidence/a.pdf\n"  # named twice, given once
        "      - file: evidence/not-in-table.pdf\n"
    )
    facts = ("ab" * 32, 1, dt.date(2026, 4, 1))
    table = {
        name: facts
        for name in ("evidence/a.pdf", "evidence/b c.pdf", "evidence/quoted.pdf", "evidence/u.pdf")
    }
    assert named_in(text, table) == ["evidence/a.pdf", "evidence/b c.pdf"]
