"""`mentorqa migrate`: a workspace moves to another version of its framework and back, losing
nothing: an indicator renamed (with `replaces:`), one dropped and one reworded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import mentorqa
from mentorqa.resources import bundled_dir

from .conftest import run

RENAMED, DROPPED, REWORDED, KEPT = "QIM-SV-A02", "QIM-SV-A03", "QIM-SV-A04", "QIM-SV-A01"
NEW_ID = "QIM-SV-A02X"


def new_edition(folder: Path, framework_id: str = "qim-2027") -> Path:
    """A next edition of QiM: one indicator renamed, one dropped, one reworded."""
    text = (bundled_dir("frameworks") / "qim.yaml").read_text(encoding="utf-8")
    text = text.replace("id: qim\n", f"id: {framework_id}\n", 1)
    text = text.replace('version: "2022, mentorqa model"', 'version: "2027 draft"', 1)
    text = text.replace(
        f"      - id: {RENAMED}\n", f"      - id: {NEW_ID}\n        replaces: [{RENAMED}]\n"
    )
    start = text.index(f"      - id: {DROPPED}\n")
    text = text[:start] + text[text.index(f"      - id: {REWORDED}\n") :]
    at = text.index("requires:", text.index(f"      - id: {REWORDED}\n"))
    text = text[:at] + "requires: Reworded for the new edition." + text[text.index("\n", at) :]
    text = text[: text.index("\ntotals:")] + "\n"  # the published totals no longer hold
    path = folder / f"{framework_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def ws(tmp_path: Path) -> mentorqa.Workspace:
    ws = mentorqa.create_workspace(tmp_path / "ws", "qim", "Riverside")
    for n, ind in enumerate((KEPT, RENAMED, DROPPED, REWORDED)):
        doc = ws.root / "evidence" / f"doc{n}.pdf"
        doc.write_text(f"document {n}", encoding="utf-8")
        ws.add_evidence(ind, doc, note=f"evidence note {n}")
        ws.mark(ind, "met", note=f"judgement note {n}")
    ws.mark(DROPPED, "partly-met", by="assessor", note="the assessor's view")
    text = ws.path.read_text(encoding="utf-8")
    ws.path.write_text(text + "# a comment of the service's own\n", encoding="utf-8")
    return ws


def data(ws: mentorqa.Workspace) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ws.path.read_text(encoding="utf-8"))
    return loaded


def test_to_a_new_edition_and_back_loses_nothing(ws: mentorqa.Workspace, tmp_path: Path) -> None:
    before = data(ws)
    edition = new_edition(tmp_path)
    done = mentorqa.open_workspace(ws.root).migrate(edition)
    assert done.moved == {RENAMED: NEW_ID}
    assert done.retired == [DROPPED] and done.reworded == [REWORDED] and done.kept == 2
    after = data(ws)
    assert after["framework"] == "qim-2027" and after["framework_version"] == "2027 draft"
    assert after["indicators"][NEW_ID] == before["indicators"][RENAMED]
    assert after["retired"] == {DROPPED: before["indicators"][DROPPED]}
    assert RENAMED not in after["indicators"] and DROPPED not in after["indicators"]
    assert (ws.root / "frameworks" / "qim-2027.yaml").read_text() == edition.read_text()
    assert "# a comment of the service's own\n" in ws.path.read_text(encoding="utf-8")
    # The migrated workspace is a valid one of the new edition.
    check = run("check", "-w", str(ws.root))
    assert check.exit_code == 0, check.stderr
    assert run("status", "-w", str(ws.root)).exit_code in (0, 1)
    # And back, by id: every record where it was, nothing retired.
    back = mentorqa.open_workspace(ws.root).migrate("qim")
    assert back.moved == {NEW_ID: RENAMED} and back.restored == {DROPPED: DROPPED}
    assert data(ws) == before


def test_a_dry_run_says_what_would_move_and_writes_nothing(
    ws: mentorqa.Workspace, tmp_path: Path
) -> None:
    text = ws.path.read_bytes()
    result = run("migrate", "--to", new_edition(tmp_path), "--dry-run", "-w", str(ws.root))
    assert result.exit_code == 0, result.stderr
    assert f"{RENAMED} -> {NEW_ID}" in result.stdout
    assert f"{DROPPED} is not in qim-2027" in result.stdout and "would be kept" in result.stdout
    assert f"{REWORDED} is worded differently" in result.stdout
    assert "Dry run: nothing written." in result.stdout
    assert ws.path.read_bytes() == text and not (ws.root / "frameworks").exists()


def test_a_new_edition_with_the_same_id_never_replaces_another_silently(
    ws: mentorqa.Workspace, tmp_path: Path
) -> None:
    same_id = new_edition(tmp_path, "qim")
    first = run("migrate", "--to", same_id, "-w", str(ws.root))
    assert first.exit_code == 0, first.stderr
    assert data(ws)["retired"] == {DROPPED: data(ws)["retired"][DROPPED]}
    other = tmp_path / "other"
    other.mkdir()
    another = new_edition(other, "qim")
    another.write_text(another.read_text() + "# another draft\n", encoding="utf-8")
    text = ws.path.read_bytes()
    refused = run("migrate", "--to", another, "-w", str(ws.root))
    assert refused.exit_code == 2 and "already holds another version" in refused.stderr
    assert ws.path.read_bytes() == text


def test_an_unknown_target_is_a_clear_error(ws: mentorqa.Workspace) -> None:
    result = run("migrate", "--to", "qimm", "-w", str(ws.root))
    assert result.exit_code == 2 and "did you mean 'qim'" in result.stderr
    missing = run("migrate", "--to", "nowhere/qim-2030.yaml", "-w", str(ws.root))
    assert missing.exit_code == 2 and "no framework file" in missing.stderr


def test_interviews_follow_a_renamed_indicator(ws: mentorqa.Workspace, tmp_path: Path) -> None:
    text = ws.path.read_text(encoding="utf-8") + (
        "interviews:\n  - role: mentor\n    pseudonym: Mentor A\n"
        f"    indicators: [{RENAMED}, {DROPPED}]\n"
    )
    ws.path.write_text(text, encoding="utf-8")
    result = run("migrate", "--to", new_edition(tmp_path), "-w", str(ws.root))
    assert result.exit_code == 0, result.stderr
    assert data(ws)["interviews"][0]["indicators"] == [NEW_ID, DROPPED]
    assert f"'Mentor A' names {DROPPED}" in result.stdout
