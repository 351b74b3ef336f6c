"""Shared test helpers: the real CLI on real files in temporary folders."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from mentorqa.cli import app, fast

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


@functools.cache
def _command() -> Any:
    """The click command typer builds from the app, built once per test run (typer's runner
    would rebuild the whole command tree on every call, which is most of a call's time)."""
    return typer.main.get_command(app)


def run(
    *args: str | Path, cwd: Path | None = None, input: str | None = None, fast_path: bool = True
) -> Run:
    """Run ``mentorqa ARGS`` in-process, as the console script would, optionally from ``cwd``:
    a simple command line without typer (cli/fast.py), any other (or any, without
    ``fast_path``) through typer."""
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    code: Any = 0
    try:
        with runner.isolation(input=input) as (stdout, stderr, *_):
            try:
                if fast_path:
                    fast.run([str(a) for a in args])  # (exits, if it ran the command)
                _command().main(args=[str(a) for a in args], prog_name="mentorqa")
            except SystemExit as exit_:
                code = exit_.code or 0
            sys.stdout.flush()
            sys.stderr.flush()
            out, err = stdout.getvalue(), stderr.getvalue()
    finally:
        os.chdir(old)
    return Run(int(code), out.decode("utf-8"), err.decode("utf-8"))


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
