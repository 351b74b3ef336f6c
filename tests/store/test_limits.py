"""Hostile or broken input is a located error, never a traceback, a hang or a lost manifest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import run

ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ("deep: " + "[" * 500 + "]" * 500 + "\n", "nested more than"),
        ("deep: " + "[" * 5000 + "]" * 5000 + "\n", "nesting depth"),
        ("a: &a [x, x, x, x, x, x, x, x, x]\n" + ALIAS_BOMB, "aliases here expand"),
        ("odd: !!omap [{a: 1}, {b: 2}]\n", "unknown key 'odd'"),
        ("blob: !!python/object/apply:os.system ['echo hacked']\n", "python/object"),
    ],
)
def test_hostile_yaml_is_a_located_error(qim_ws: Path, extra: str, words: str) -> None:
    manifest = qim_ws / "mentorqa.yaml"
    manifest.write_text(manifest.read_text() + extra)
    before = manifest.read_bytes()
    for args in (("status",), ("check", "--json"), ("mark", "QIM-SV-A01", "met")):
        result = run(*args, "-w", qim_ws)
        assert result.exit_code == 2, result
        assert result.stderr.startswith(f"error: {manifest}:") and words in result.stderr
    assert manifest.read_bytes() == before


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("turnover: 120000", "turnover: 1" + "0" * 400, "should be a valid number"),
        ("registration: 2026-03-01", "registration: 9999-12-01", "outside 1900-2199"),
    ],
)
def test_values_outside_sane_ranges_are_refused_where_they_are_read(
    qim_ws: Path, old: str, new: str, words: str
) -> None:
    manifest = qim_ws / "mentorqa.yaml"
    manifest.write_text(manifest.read_text().replace(old, new))
    result = run("cost", "-w", qim_ws)
    assert result.exit_code == 2 and words in result.stderr, result


def test_a_huge_rating_is_refused(qim_ws: Path) -> None:
    manifest = qim_ws / "mentorqa.yaml"
    text = manifest.read_text().replace(
        "indicators: {}",
        "indicators:\n  QIM-SV-A01:\n    self: {status: met, rating: 1" + "0" * 400 + "}",
    )
    manifest.write_text(text)
    result = run("status", "-w", qim_ws)
    assert result.exit_code == 2 and ":'rating'" not in result.stderr and "rating" in result.stderr


def test_a_yaml_directive_with_windows_line_endings_reads_and_writes(qim_ws: Path) -> None:
    manifest = qim_ws / "mentorqa.yaml"
    manifest.write_bytes(b"%YAML 1.2\r\n---\r\n" + manifest.read_bytes().replace(b"\n", b"\r\n"))
    assert run("mark", "QIM-SV-A01", "partly-met", "-w", qim_ws).exit_code == 0
    written = manifest.read_bytes()
    assert written.startswith(b"%YAML 1.2\r\n---\r\n") and b"\n" not in written.replace(
        b"\r\n", b""
    )


def test_a_framework_deadline_a_million_months_away_is_refused(tmp_path: Path) -> None:
    framework = Path(__file__).resolve().parents[2] / "frameworks" / "qim.yaml"
    text = framework.read_text()
    assert "due: {months: 6}" in text
    broken = tmp_path / "qim.yaml"
    broken.write_text(text.replace("due: {months: 6}", "due: {months: 1000000000}", 1))
    result = run("frameworks", "validate", broken)
    assert result.exit_code == 2 and "less than or equal to 1200" in result.stderr


def test_reading_a_device_without_end_stops(tmp_path: Path) -> None:
    result = run("frameworks", "validate", "/dev/zero")
    assert result.exit_code == 2 and result.stderr.startswith("error: /dev/zero")


def test_a_fifo_is_not_evidence(qim_ws: Path) -> None:
    fifo = qim_ws / "evidence" / "pipe"
    os.mkfifo(fifo)
    result = run("evidence", "add", "QIM-SV-A01", fifo, "-w", qim_ws)
    assert result.exit_code == 2 and "is not a regular file" in result.stderr


def test_a_file_name_past_the_systems_limit_is_a_clear_error(qim_ws: Path) -> None:
    result = run("evidence", "add", "QIM-SV-A01", "x" * 5000, "-w", qim_ws)
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    result = run("status", "-w", "y" * 5000)
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
