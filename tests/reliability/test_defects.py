"""Minimal reproductions of defects the reliability tests found, kept so they stay fixed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run
from tests.reliability._harness import MANIFEST, build_workspace, isolated_env


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("defects-template")
    with isolated_env(folder / "cache"):
        return build_workspace(folder)


def workspace_with(template: Path, tmp_path: Path, old: str, new: str) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(template, ws)
    manifest = ws / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_bytes(text.replace(old, new).encode("utf-8"))
    return ws


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--json"),
        ("evidence", "list", "--json"),
        ("report",),
        ("timeline", "--ics", "deadlines.ics"),
    ],
    ids=["check", "evidence-list", "report", "timeline-ics"],
)
def test_nul_in_a_recorded_evidence_path(
    template: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    ws = workspace_with(template, tmp_path, "file: evidence/policy.pdf", 'file: "a\\0"')
    result = run(*args, cwd=ws)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")


def test_a_write_keeps_the_line_endings_of_untouched_lines(template: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(template, ws)
    manifest = ws / MANIFEST
    lf = manifest.read_text(encoding="utf-8")
    mixed = lf.replace("\n", "\r\n", 3)  # the first three lines end in CRLF, the rest in LF
    manifest.write_bytes(mixed.encode("utf-8"))
    assert run("mark", "QIM-SV-A03", "met", cwd=ws).exit_code == 0
    after = manifest.read_bytes().decode("utf-8")
    assert after.count("\r\n") == 3
