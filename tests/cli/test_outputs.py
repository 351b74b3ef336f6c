"""Outputs can never destroy what the user has: -o, --junit and --ics refuse the manifest,
recorded evidence and mentorqa's own files; devices and '-' are written as streams; a symlink
is never replaced by a file; and a killed write's temporary file is cleared by the next one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import run


@pytest.fixture
def ws(qim_ws: Path) -> Path:
    (qim_ws / "evidence" / "plan.pdf").write_bytes(b"%PDF- plan")
    assert (
        run(
            "evidence", "add", "QIM-SV-A01", qim_ws / "evidence" / "plan.pdf", "-w", qim_ws
        ).exit_code
        == 0
    )
    return qim_ws


OUTPUTS = [
    ("report", "-o"),
    ("check", "--junit"),
    ("timeline", "--ics"),
]


@pytest.mark.parametrize(("command", "flag"), OUTPUTS)
@pytest.mark.parametrize("target", ["mentorqa.yaml", "evidence/plan.pdf", ".mentorqa/lock"])
def test_outputs_refuse_the_workspaces_own_files(
    ws: Path, command: str, flag: str, target: str
) -> None:
    path = ws / target
    path.parent.mkdir(exist_ok=True)
    path.touch()
    before = path.read_bytes()
    result = run(command, flag, path, "-w", ws)
    assert result.exit_code == 2
    assert "one of the workspace's own files" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(("command", "flag"), OUTPUTS)
def test_outputs_through_a_symlink_keep_the_link(ws: Path, command: str, flag: str) -> None:
    real = ws.parent / "real-output"
    real.write_text("old")
    link = ws.parent / "link-output"
    link.symlink_to(real)
    assert run(command, flag, link, "-w", ws).exit_code in (0, 1)
    assert link.is_symlink() and real.read_text() != "old"


@pytest.mark.parametrize(("command", "flag"), OUTPUTS)
def test_outputs_through_a_link_to_the_manifest_are_refused(
    ws: Path, command: str, flag: str
) -> None:
    link = ws.parent / "sneaky"
    link.symlink_to(ws / "mentorqa.yaml")
    before = (ws / "mentorqa.yaml").read_bytes()
    assert run(command, flag, link, "-w", ws).exit_code == 2
    assert (ws / "mentorqa.yaml").read_bytes() == before and link.is_symlink()


def test_a_device_is_written_as_a_stream(ws: Path) -> None:
    assert run("report", "-o", "/dev/null", "-w", ws).exit_code == 0
    assert Path("/dev/null").is_char_device()


def test_dash_means_standard_output(ws: Path) -> None:
    result = run("timeline", "--ics", "-", "-w", ws)
    assert result.exit_code == 0 and "BEGIN:VCALENDAR" in result.stdout


def test_a_folder_is_not_an_output_file(ws: Path) -> None:
    result = run("report", "-o", ws / "evidence", "-w", ws)
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_a_symlinked_manifest_is_updated_where_it_points(tmp_path: Path, qim_ws: Path) -> None:
    real = tmp_path / "kept-elsewhere.yaml"
    (qim_ws / "mentorqa.yaml").rename(real)
    (qim_ws / "mentorqa.yaml").symlink_to(real)
    assert run("mark", "QIM-SV-A01", "partly-met", "-w", qim_ws).exit_code == 0
    assert (qim_ws / "mentorqa.yaml").is_symlink()
    assert "partly-met" in real.read_text()


def test_the_next_write_clears_a_killed_writes_temporary_file(qim_ws: Path) -> None:
    stale = qim_ws / ".mentorqa.yaml.abc123.tmp"
    stale.write_text("half a manifest")
    stale_table = qim_ws / ".mentorqa.evidence.tsv.abc123.tmp"
    stale_table.write_text("half a table")
    fresh = qim_ws / ".mentorqa.yaml.def456.tmp"
    fresh.write_text("a write in progress")
    two_minutes_ago = stale.stat().st_mtime - 120
    os.utime(stale, (two_minutes_ago, two_minutes_ago))
    os.utime(stale_table, (two_minutes_ago, two_minutes_ago))
    assert run("mark", "QIM-SV-A01", "met", "-w", qim_ws).exit_code == 0
    assert not stale.exists() and not stale_table.exists()
    assert fresh.exists()  # younger than a minute: it may belong to a live writer
    assert ".mentorqa.*.tmp" in (qim_ws / ".gitignore").read_text().splitlines()


def test_a_workspace_whose_lock_cannot_be_taken_is_a_clear_error(qim_ws: Path) -> None:
    # A file where mentorqa keeps its lock folder: the lock cannot be made (as in a read-only
    # checkout), and the write says so instead of failing with a traceback.
    (qim_ws / ".mentorqa").write_text("not a folder")
    before = (qim_ws / "mentorqa.yaml").read_bytes()
    result = run("mark", "QIM-SV-A01", "met", "-w", qim_ws)
    assert result.exit_code == 2 and "cannot take the workspace lock" in result.stderr
    assert (qim_ws / "mentorqa.yaml").read_bytes() == before


def test_arguments_that_are_not_utf8_are_refused(qim_ws: Path) -> None:
    before = (qim_ws / "mentorqa.yaml").read_bytes()
    result = run("mark", "QIM-SV-A01", "met", "--note", "caf\udce9", "-w", qim_ws)
    assert result.exit_code == 2 and "argument 5 is not valid UTF-8" in result.stderr
    assert (qim_ws / "mentorqa.yaml").read_bytes() == before


def test_a_lone_surrogate_escape_in_the_manifest_is_a_located_error(qim_ws: Path) -> None:
    manifest = qim_ws / "mentorqa.yaml"
    manifest.write_text(
        manifest.read_text().replace("name: Riverside Mentoring", 'name: "R\\ud800"')
    )
    result = run("status", "-w", qim_ws)
    assert result.exit_code == 2 and "lone surrogate" in result.stderr


def test_a_usage_error_stays_one_line_whatever_the_argument_holds(qim_ws: Path) -> None:
    result = run("eligibility", "é\u2028😀 x", "-w", qim_ws)  # found by the fuzz harness
    assert result.exit_code == 2
    assert [line.startswith("error: ") for line in result.stderr.splitlines()] == [True]
