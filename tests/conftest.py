"""Shared test helpers: the real CLI on real files in temporary folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mentorqa.cli import app

TODAY = "2026-05-15"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed 'today', a private cache folder, no user framework path, no colour."""
    monkeypatch.setenv("MENTORQA_TODAY", TODAY)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("MENTORQA_FRAMEWORK_PATH", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


def run(*args: str | Path, cwd: Path | None = None, input: str | None = None) -> Run:
    """Run ``mentorqa ARGS`` in-process with typer's runner, optionally from ``cwd``."""
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(app, [str(a) for a in args], input=input)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Create files from a {relative path: text} dict."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def qim_ws(tmp_path: Path) -> Iterator[Path]:
    """A fresh QiM workspace registered on 2026-03-01 with a £120,000 turnover."""
    ws = tmp_path / "service"
    result = run(
        "init",
        ws,
        "--framework",
        "qim",
        "--name",
        "Riverside Mentoring",
        "--turnover",
        "120000",
        "--start",
        "2026-03-01",
    )
    assert result.exit_code == 0, result.stderr
    yield ws


@pytest.fixture
def nqms_ws(tmp_path: Path) -> Iterator[Path]:
    """A fresh NQMS workspace with access to the self-assessment on 2026-02-02."""
    ws = tmp_path / "program"
    result = run(
        "init",
        ws,
        "--framework",
        "nqms",
        "--name",
        "Northside Youth Mentoring",
        "--start",
        "2026-02-02",
    )
    assert result.exit_code == 0, result.stderr
    yield ws
