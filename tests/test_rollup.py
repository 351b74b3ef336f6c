"""``mentorqa rollup``: figures across workspaces, the suppression rules, and that no output
lets a service or a small group be recovered."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import mentorqa
from mentorqa.resources import bundled_dir
from mentorqa.rollup import (
    cells_shown,
    count_shown,
    find_workspaces,
    median_shown,
    rollup,
    share_shown,
)

from .conftest import run

ROOT = Path(__file__).resolve().parents[1]
NQMS = mentorqa.get_framework("nqms")
IDS = list(NQMS.indicator_index)  # A1, A2, ... in file order
Mark = tuple[str, int | None]


def write_ws(
    folder: Path,
    marks: dict[str, Mark] | None = None,
    *,
    every: Mark | None = None,
    dates: dict[str, str] | None = None,
    name: str = "A Program",
    note: str = "",
    version: str | None = None,
) -> Path:
    """An NQMS workspace written directly as YAML (fast: no CLI call per judgement)."""
    judged = {i: every for i in IDS} if every else {}
    judged.update(marks or {})
    lines = [
        "mentorqa: 1",
        "framework: nqms",
        f"framework_version: {json.dumps(version or NQMS.version)}",
        f"service:\n  name: {json.dumps(name)}",
        "dates:" + ("" if dates else " {}"),
        *(f"  {event}: {day}" for event, day in (dates or {}).items()),
        "indicators:" + ("" if judged else " {}"),
    ]
    for ind, (status, rating) in judged.items():
        lines += [f"  {ind}:", "    self:", f"      status: {status}"]
        lines += [f"      rating: {rating}"] if rating is not None else []
        lines += [f"      note: {json.dumps(note)}", "      date: 2026-03-10"] if note else []
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mentorqa.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def complete(start: str = "2026-01-05", submission: str = "2026-02-04") -> dict[str, str]:
    """Every step a Dedicated Partner needs, from access to the signed statement."""
    return {
        "access": start,
        "submission": submission,
        "review": "2026-04-15",
        "plan_agreed": "2026-04-20",
        "statement_signed": "2026-04-21",
    }


@pytest.fixture
def ten(tmp_path: Path) -> Path:
    """Ten NQMS programs with known figures (see the assertions in the tests using it).

    W0-W5 completed the process and judged every indicator met, rated 4, except A1: W0-W2 met
    (rated 5), W3-W5 not met (rated 1); their submissions came 30, 40, ... 80 days after
    access. W6-W9 judged only A3 (met, rated 2), and W6-W7 also A4 (met, rated 3).
    """
    root = tmp_path / "programs"
    for n in range(10):
        if n < 6:
            a1: Mark = ("met", 5) if n < 3 else ("not-met", 1)
            day = (dt.date(2026, 1, 5) + dt.timedelta(days=30 + 10 * n)).isoformat()
            write_ws(
                root / f"w{n}", {"A1": a1}, every=("met", 4), dates=complete("2026-01-05", day)
            )
        else:
            marks: dict[str, Mark] = {"A3": ("met", 2)}
            if n < 8:
                marks["A4"] = ("met", 3)
            write_ws(root / f"w{n}", marks, dates={"access": "2026-01-05"})
    return root


def doc(*args: str | Path) -> dict[str, Any]:
    result = run("rollup", *args, "--json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


# --- the rules on their own -------------------------------------------------------------------


def test_a_count_needs_k_inside_and_k_outside() -> None:
    assert count_shown(5, 10, 5) == 5
    assert count_shown(4, 10, 5) is None  # a small group
    assert count_shown(6, 10, 5) is None  # its complement (4) is a small group
    assert count_shown(10, 10, 5) is None  # all: a fact about every program


def test_a_share_needs_k_programs_on_each_side() -> None:
    assert share_shown(5, 10, 5, 5, 5) == 0.5
    assert share_shown(9, 10, 9, 1, 5) is None
    assert share_shown(1, 10, 1, 9, 5) is None


def test_median_of_counted_values() -> None:
    assert median_shown(Counter({30: 1, 40: 1, 50: 1, 60: 1, 70: 1, 80: 1}), 3) == 55
    assert median_shown(Counter({10: 3, 99: 2}), 3) == 10
    assert median_shown(Counter({10: 2}), 3) is None


def test_a_lone_hidden_cell_takes_a_second_one_with_it() -> None:
    # value -> (count, programs using it, programs using another value)
    cells = {1: (3, 3, 10), 2: (4, 4, 8), 3: (2, 2, 10), 4: (546, 6, 10)}
    assert cells_shown(cells, 3) == {1: None, 2: 4, 3: None, 4: 546}
    # a hidden cell that itself stands for K programs needs no partner
    assert cells_shown({1: (9, 9, 1), 2: (1, 1, 9), 3: (40, 9, 9)}, 3)[3] == 40


# --- the command ------------------------------------------------------------------------------


def test_the_two_bundled_examples_use_different_frameworks(tmp_path: Path) -> None:
    result = run(
        "rollup", ROOT / "examples" / "qim-riverside", ROOT / "examples" / "nqms-northside"
    )
    assert result.exit_code == 2
    assert "qim" in result.stderr and "nqms" in result.stderr
    assert "one framework" in result.stderr
    assert result.stdout == ""


def test_expected_figures(ten: Path) -> None:
    d = doc(ten, "--min-group", "3")
    assert (d["schema_version"], d["framework"], d["programs"], d["min_group"]) == (
        1,
        "nqms",
        10,
        3,
    )
    assert d["excluded"] == 0
    levels = {lv["id"]: lv["reached"] for lv in d["levels"]}
    assert levels == {"dedicated": 6, "expert": 3}  # expert: W0-W2 (A1 not met by W3-W5)
    ind = by_id(d["indicators"])
    assert ind["A1"] == {"id": "A1", "programs": 6, "share_met": 0.5, "mean_rating": 3.0}
    assert ind["A2"] == {"id": "A2", "programs": 6, "share_met": None, "mean_rating": 4.0}
    assert ind["A3"] == {"id": "A3", "programs": None, "share_met": None, "mean_rating": 3.2}
    assert ind["A4"] == {"id": "A4", "programs": None, "share_met": None, "mean_rating": 3.75}
    area = by_id(d["areas"])[NQMS.practice_areas[0].id]
    first = [i for i, (a, _) in NQMS.indicator_index.items() if a.id == area["id"]]
    assert first[:4] == ["A1", "A2", "A3", "A4"]
    judged = 6 * len(first) + 4 + 2
    assert area["share_met"] == round((judged - 3) / judged, 4)  # 3 not met, from 3 programs
    ratings = d["ratings"]
    assert (ratings["min"], ratings["max"], ratings["programs"]) == (1, 5, None)
    assert ratings["judgements"] == 6 * 92 + 4 + 2
    # 3 is used by two programs (hidden); 1 and 5 by three each: the smaller hides too.
    assert ratings["counts"] == {"1": None, "2": 4, "3": None, "4": 6 * 91, "5": 3}
    t = d["timeliness"]
    assert t["submission"] == {"programs": 6, "median_days": 55.0}
    assert t["review"] == {"programs": 6, "median_days": 100.0}
    assert t["mini_review"] == {"programs": None, "median_days": None}
    assert "access" not in t  # the start itself


def test_default_min_group_hides_more(ten: Path) -> None:
    d = doc(ten)  # K = 5
    levels = {lv["id"]: lv["reached"] for lv in d["levels"]}
    # dedicated: 6 reached, 4 did not -> the 4 could be derived from the total: hidden
    assert levels == {"dedicated": None, "expert": None}
    a1 = by_id(d["indicators"])["A1"]
    assert a1 == {"id": "A1", "programs": None, "share_met": None, "mean_rating": 3.0}
    assert d["timeliness"]["submission"] == {"programs": None, "median_days": 55.0}
    assert d["ratings"]["counts"] == {"1": None, "2": None, "3": None, "4": None, "5": None}


def test_complement_of_a_level_is_protected(tmp_path: Path) -> None:
    for n in range(10):
        reached = n < 7  # 7 reached, 3 did not
        write_ws(
            tmp_path / f"p{n}",
            every=("met", 3),
            dates=complete() if reached else {"access": "2026-01-05"},
        )
    d = doc(tmp_path, "--min-group", "3")
    assert {lv["id"]: lv["reached"] for lv in d["levels"]} == {"dedicated": 7, "expert": 7}
    d = doc(tmp_path, "--min-group", "4")  # now the 3 that did not are too few
    assert {lv["id"]: lv["reached"] for lv in d["levels"]} == {"dedicated": None, "expert": None}


def test_min_group_below_three_is_refused(ten: Path) -> None:
    result = run("rollup", ten, "--min-group", "2")
    assert result.exit_code == 2
    assert "at least 3" in result.stderr


def test_fewer_workspaces_than_the_group_size(tmp_path: Path) -> None:
    for n in range(4):
        write_ws(tmp_path / f"p{n}", every=("met", 3))
    result = run("rollup", tmp_path)
    assert result.exit_code == 2
    assert "4 workspaces could be read" in result.stderr and "at least 5" in result.stderr
    assert run("rollup", tmp_path, "--min-group", "4", "--json").exit_code == 0


def test_a_different_version_is_named(ten: Path) -> None:
    write_ws(ten / "old", every=("met", 3), version="EEPM 3rd edition")
    result = run("rollup", ten)
    assert result.exit_code == 2
    assert "EEPM 3rd edition" in result.stderr and NQMS.version in result.stderr


def test_finds_workspaces_in_checkouts_but_not_in_private_places(tmp_path: Path) -> None:
    write_ws(tmp_path / "checkout" / "programs" / "a")
    (tmp_path / "checkout" / ".git").mkdir()
    write_ws(tmp_path / "checkout" / ".git" / "b")
    write_ws(tmp_path / "c" / "private" / "d")
    write_ws(tmp_path / "node_modules" / "e")
    write_ws(tmp_path / "f")
    write_ws(tmp_path / "f" / "evidence" / "g")  # inside a workspace: never searched
    found, _ = find_workspaces([tmp_path, tmp_path / "f"])  # given twice: counted once
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["checkout/programs/a", "f"]


def test_broken_workspaces_are_named_on_stderr_and_excluded(ten: Path) -> None:
    bad = ten / "broken"
    bad.mkdir()
    (bad / "mentorqa.yaml").write_text("framework: nqms\nservice: [oops\n", encoding="utf-8")
    unknown = write_ws(ten / "unknown", every=("met", 3))
    text = (unknown / "mentorqa.yaml").read_text(encoding="utf-8")
    (unknown / "mentorqa.yaml").write_text(text.replace("framework: nqms", "framework: nope"))
    result = run("rollup", ten, "--json")
    assert result.exit_code == 1
    assert re.search(r"^error: .*broken.*mentorqa\.yaml:\d+:\d+: ", result.stderr, re.M)
    assert re.search(r"^error: .*unknown.*mentorqa\.yaml", result.stderr, re.M)
    document = json.loads(result.stdout)
    assert (document["programs"], document["excluded"]) == (10, 2)
    assert "broken" not in result.stdout and "unknown" not in result.stdout
    assert run("rollup", ten, "--json", "--skip-broken").exit_code == 0


def test_broken_workspaces_can_leave_too_few(tmp_path: Path) -> None:
    for n in range(5):
        write_ws(tmp_path / f"p{n}", every=("met", 3))
    (tmp_path / "p0" / "mentorqa.yaml").write_text("not: [valid\n", encoding="utf-8")
    result = run("rollup", tmp_path, "--skip-broken")
    assert result.exit_code == 2
    assert "(1 excluded)" in result.stderr


def test_formats(ten: Path, tmp_path: Path) -> None:
    md = run("rollup", ten, "--min-group", "3")
    assert md.exit_code == 0 and md.stdout.startswith("# Roll-up: National Quality Mentoring")
    assert "| A1 | Program Design | 6 | 50.0% | 3.0 |" in md.stdout
    page = tmp_path / "out" / "rollup.html"
    assert run("rollup", ten, "--min-group", "3", "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "<script" not in html
    assert "<title>Roll-up: National Quality Mentoring" in html
    assert re.search(r'<desc id="rd">Program Design: [\d.]+%; ', html)  # the chart's text
    rows = list(
        csv.reader(io.StringIO(run("rollup", ten, "--format", "csv", "--min-group", "3").stdout))
    )
    assert rows[0] == ["kind", "id", "measure", "value"]
    assert ["indicator", "A1", "share_met", "0.5"] in rows
    assert ["level", "expert", "reached", "3"] in rows
    assert ["indicator", "A3", "programs", ""] in rows  # hidden
    refused = run("rollup", ten, "--json", "--format", "md")
    assert refused.exit_code == 2 and "two formats" in refused.stderr


def test_parallel_reading_gives_the_same_figures(ten: Path) -> None:
    one = rollup([ten], min_group=3, workers=1).to_dict()
    two = rollup([ten], min_group=3, workers=2).to_dict()
    assert one == two


# --- nothing identifies anyone -----------------------------------------------------------------

SECRETS = ("Zanzibar Quokka Mentoring", "note-only-the-program-knows", "folder-xyzzy")


def _outputs(root: Path, tmp_path: Path, tag: str) -> dict[str, str]:
    """Every output format of one roll-up, with the facts file."""
    facts = tmp_path / f"facts-{tag}.csv"
    found = {
        fmt: run("rollup", root, "--format", fmt, *(["--facts", facts] if fmt == "json" else []))
        for fmt in ("json", "md", "html", "csv")
    }
    for result in found.values():
        assert result.exit_code == 0, result.stderr
    texts = {fmt: result.stdout for fmt, result in found.items()}
    texts["facts"] = facts.read_text(encoding="utf-8")
    return texts


def _programs(root: Path, lone: Mark) -> None:
    """Twelve programs alike but for one, the small group: its status on B6."""
    for n in range(12):
        marks = {"B6": lone} if n == 0 else {}
        write_ws(
            root / (f"{SECRETS[2]}-{n}" if n == 0 else f"p{n}"),
            marks,
            every=("met", 3 + n % 2),
            dates=complete("2026-01-05", f"2026-02-{10 + n:02d}"),
            name=SECRETS[0] if n == 0 else f"Program {n}",
            note=SECRETS[1] if n == 0 else "",
        )


def test_no_output_names_a_program_or_gives_a_small_group_away(tmp_path: Path) -> None:
    alike, lone = tmp_path / "alike", tmp_path / "lone"
    _programs(alike, ("met", 3))
    _programs(lone, ("not-met", 3))  # one program alone does not have B6 in practice
    first, second = _outputs(alike, tmp_path, "a"), _outputs(lone, tmp_path, "b")
    for fmt, text in {**first, **second}.items():
        for secret in (*SECRETS, str(tmp_path), "Program 1", "mentorqa.yaml"):
            assert secret.casefold() not in text.casefold(), (fmt, secret)
    # Whatever the lone program recorded, no aggregate output changes: it cannot be recovered.
    for fmt in ("json", "md", "html", "csv"):
        assert first[fmt] == second[fmt], fmt
    # The facts are rows per program under random tokens: the lone row is there, unnamed.
    rows = list(csv.DictReader(io.StringIO(second["facts"])))
    assert len(rows) == 12 * len(IDS) and len({r["token"] for r in rows}) == 12
    assert {r["month"] for r in rows} == {"2026-03", ""}  # no day, only the month
    assert not (set(rows[0]) & {"name", "note", "path", "service"})
    assert [r["status"] for r in rows if r["indicator"] == "B6"].count("not-met") == 1
    tokens = [r["token"] for r in list(csv.DictReader(io.StringIO(first["facts"])))]
    assert not set(tokens) & {r["token"] for r in rows}  # fresh tokens on every run


def test_a_hand_written_status_never_reaches_the_facts(tmp_path: Path) -> None:
    for n in range(5):
        write_ws(tmp_path / f"p{n}", {"A1": ("Spoke to Jane Doe", None)}, every=("met", 3))
    facts = tmp_path / "facts.csv"
    assert run("rollup", tmp_path, "--json", "--facts", facts).exit_code == 0
    text = facts.read_text(encoding="utf-8")
    assert "Jane" not in text and ",other," in text


def test_a_failed_roll_up_leaves_no_facts_file(ten: Path, tmp_path: Path) -> None:
    write_ws(ten / "old", every=("met", 3), version="EEPM 3rd edition")
    facts = tmp_path / "facts.csv"
    assert run("rollup", ten, "--facts", facts).exit_code == 2
    assert not facts.exists() and not list(tmp_path.glob(".facts.csv.*"))


def test_duckdb_query_in_the_docs_reproduces_share_met(ten: Path, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")  # not a dependency of mentorqa: run where installed
    facts = tmp_path / "facts.csv"
    result = run("rollup", ten, "--json", "--min-group", "3", "--facts", facts)
    assert result.exit_code == 0
    query = next(
        line
        for line in (ROOT / "docs" / "rollup.md").read_text(encoding="utf-8").splitlines()
        if "SELECT indicator" in line
    )
    query = query[query.index("SELECT") : query.rindex('"')]
    shown = {i["id"]: i["share_met"] for i in json.loads(result.stdout)["indicators"]}
    found = dict(duckdb.sql(query.replace("'facts.csv'", f"'{facts}'")).fetchall())
    for ind, share in shown.items():
        if share is not None:
            assert found[ind] == share


def test_examples_copied_into_a_roll_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORQA_TODAY", "2026-11-25")  # after the example's judgements
    shutil.copytree(ROOT / "examples" / "nqms-northside", tmp_path / "northside")
    for n in range(5):
        write_ws(tmp_path / f"peer{n}", every=("met", 5), dates=complete())
    d = doc(tmp_path, "--min-group", "3")
    assert d["programs"] == 6
    # all six reached Dedicated (none outside: hidden); Expert: the five peers (one outside)
    assert {lv["id"]: lv["reached"] for lv in d["levels"]} == {"dedicated": None, "expert": None}
    assert d["timeliness"]["submission"]["median_days"] == 30.0
    assert "Northside" not in json.dumps(d)


def test_a_roll_up_copies_no_services_data_into_the_cache_folder(ten: Path) -> None:
    import os

    cache = Path(os.environ["XDG_CACHE_HOME"]) / "mentorqa" / "manifests"
    before = set(cache.glob("*")) if cache.is_dir() else set()
    assert run("rollup", ten, "--min-group", "3", "--json").exit_code in (0, 1)
    after = set(cache.glob("*")) if cache.is_dir() else set()
    assert after == before


def test_a_workspace_with_a_framework_file_of_its_own_is_not_added_up(ten: Path) -> None:
    """Same id and version, other indicators: refused by name, never a traceback."""
    own = ten / "w9" / "frameworks"
    own.mkdir()
    text = (bundled_dir("frameworks") / "nqms.yaml").read_text(encoding="utf-8")
    first = text.index("      - id: A1\n")
    (own / "nqms.yaml").write_text(
        text[:first] + text[first:].replace("      - id: A1\n", "      - id: A1X\n", 1)
    )
    result = run("rollup", ten, "--min-group", "3", "--json")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "whose indicators differ" in result.stderr


def test_facts_into_a_folder_is_a_clear_error(ten: Path, tmp_path: Path) -> None:
    result = run("rollup", ten, "--min-group", "3", "--facts", tmp_path, "--json")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "cannot be written" in result.stderr
