"""The plan is revised at the mini-review with its history kept; a dated log of changes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import mentorqa

from ..conftest import run


def agreed_program(root: Path) -> mentorqa.Workspace:
    ws = mentorqa.create_workspace(root, "nqms", "Northside", start=date(2026, 2, 2))
    ws.record_event("review", date(2026, 4, 28))
    for n, area in enumerate(["management", "operations", "evaluation"], 1):
        ws.add_priority(
            f"Goal {n}", area=area, owner="Director", target=date(2027, n, 1), actions=["Start"]
        )
    ws.agree_plan(date(2026, 5, 12))
    return ws


def test_a_revision_keeps_the_agreed_version_and_asks_for_agreement_again(tmp_path: Path) -> None:
    ws = agreed_program(tmp_path / "p")
    change = ws.revise_plan(date(2027, 5, 12))
    assert change.replaced == "was agreed on 2026-05-12"
    (kept,) = change.manifest.plan_history
    assert (kept.version, kept.agreed, kept.revised) == (1, date(2026, 5, 12), date(2027, 5, 12))
    assert [p.goal for p in kept.priorities] == ["Goal 1", "Goal 2", "Goal 3"]
    shown = json.loads(run("plan", "show", "--json", "-w", ws.root).stdout)
    assert shown["agreed"] is False and shown["version"] == 2
    assert shown["history"][0]["priorities"] == ["Goal 1", "Goal 2", "Goal 3"]
    ws.edit_priority(1, goal="Goal 1, revised")
    ws.agree_plan(date(2027, 5, 20))
    report = run("report", "--kind", "plan", "-w", ws.root).stdout
    assert "**Version:** 2 (earlier: version 1 agreed 2026-05-12, revised 2027-05-12)" in report
    assert "Goal 1, revised" in report


def test_an_unagreed_plan_cannot_be_revised(tmp_path: Path) -> None:
    ws = mentorqa.create_workspace(tmp_path / "p", "nqms", "Northside")
    result = run("plan", "revise", "-w", ws.root)
    assert result.exit_code == 2 and "nothing to revise" in result.stderr


def test_the_change_log_is_kept_and_shown(tmp_path: Path) -> None:
    ws = agreed_program(tmp_path / "p")
    assert (
        run(
            "change", "add", "New executive director", "--date", "2026-09-01", "-w", ws.root
        ).exit_code
        == 0
    )
    assert run("change", "add", "Merged with Eastside Mentors", "-w", ws.root).exit_code == 0
    listed = json.loads(run("change", "list", "--json", "-w", ws.root).stdout)["changes"]
    assert [(c["number"], c["text"]) for c in listed] == [
        (1, "New executive director"),
        (2, "Merged with Eastside Mentors"),
    ]
    summary = run("report", "--kind", "summary", "-w", ws.root).stdout
    assert "## Program changes" in summary and "| 2026-09-01 | New executive director |" in summary
    removed = run("change", "remove", "2", "-w", ws.root)
    assert removed.exit_code == 0 and "was: Merged with Eastside Mentors" in removed.stderr
    assert run("change", "remove", "5", "-w", ws.root).exit_code == 2
