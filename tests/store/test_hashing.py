"""Hashing ahead: a helper process hashes evidence while a first read validates the manifest,
and the command hashes from the back of the list until the two meet."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest

import mentorqa
from mentorqa.store import hashing
from mentorqa.store.files import ChecksumCache, sha256_of
from mentorqa.store.hashing import HashAhead, worth_it

from ..conftest import run


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(folder: Path, count: int, size: int = 1000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for n in range(count):
        path = folder / f"f{n:04}.pdf"
        path.write_bytes(n.to_bytes(4, "big") * (size // 4))
        made.append(path)
    return made


def readable(path: str) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None


def until(condition: Callable[[], bool]) -> None:
    """Wait for the helper to get somewhere (polled: it is another process)."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "the helper made no progress in 30 s"
        time.sleep(0.002)


def test_the_helpers_checksums_are_taken(tmp_path: Path) -> None:
    made = files(tmp_path / "a", 300)
    big = tmp_path / "big.pdf"
    big.write_bytes(os.urandom(3 << 20))  # hashed in parts
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    odd = tmp_path / "naïve name, with spaces.pdf"
    odd.write_bytes(b"%PDF-")
    paths = [str(p) for p in [*made, big, empty, odd]] + [str(tmp_path / "gone.pdf")]
    ahead = HashAhead(paths)
    proc = ahead.proc
    assert proc is not None
    until(lambda: ahead.done == len(paths))

    def digest(path: str) -> str | None:
        raise AssertionError(f"{path} was hashed twice")

    found = ahead.finish(digest)
    assert found == {p: (sha256(Path(p)) if Path(p).exists() else None) for p in paths}
    assert proc.returncode is not None and ahead.proc is None  # the helper has ended


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="a FIFO holds the helper")
def test_the_command_hashes_from_the_back_until_they_meet(tmp_path: Path) -> None:
    made = [str(p) for p in files(tmp_path, 60)]
    fifo = tmp_path / "fifo.pdf"
    os.mkfifo(fifo)  # the helper waits at it: opening a FIFO blocks until a writer comes
    paths = [*made[:20], str(fifo), *made[20:]]
    ahead = HashAhead(paths)
    until(lambda: ahead.done == 20)
    mine: list[str] = []

    def digest(path: str) -> str | None:
        mine.append(path)
        return "fifo" if path == str(fifo) else readable(path)

    found = ahead.finish(digest)
    assert mine == paths[20:][::-1]  # the command's share, from the back to the meeting point
    assert found == {p: "fifo" if p == str(fifo) else sha256(Path(p)) for p in paths}


def test_the_command_hashes_all_when_the_helper_dies(tmp_path: Path) -> None:
    paths = [str(p) for p in files(tmp_path, 200)]
    ahead = HashAhead(paths)
    assert ahead.proc is not None
    ahead.proc.kill()
    ahead.proc.wait()
    assert ahead.finish(readable) == {p: sha256(Path(p)) for p in paths}


@pytest.mark.parametrize("python", ["no-python", ""])
def test_no_helper_when_python_cannot_be_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, python: str
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / python) if python else python)
    paths = [str(p) for p in files(tmp_path, 10)]
    ahead = HashAhead(paths)
    assert ahead.proc is None
    assert ahead.finish(readable) == {}  # the command hashes them its own way (two threads)
    ahead.stop()  # twice is fine


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for another program")
def test_a_program_that_is_not_the_helper_is_never_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An embedded interpreter's sys.executable runs, and prints: its lines are not taken, even
    when they look like checksums."""
    program = tmp_path / "not-python"
    lines = "\n".join(["usage: not-python [options]", *("ab" * 32 for _ in range(30))])
    program.write_text(f"#!/bin/sh\ncat >/dev/null\nprintf '{lines}\\n'\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(program))
    paths = [str(p) for p in files(tmp_path / "f", 20)]
    ahead = HashAhead(paths)
    assert ahead.proc is not None
    until(lambda: ahead.proc is None or ahead.proc.poll() is not None)
    assert ahead.finish(readable) == {p: sha256(Path(p)) for p in paths}


def test_an_empty_list_starts_nothing() -> None:
    ahead = HashAhead([])
    assert ahead.proc is None and ahead.finish(readable) == {}


def test_worth_it_only_for_many_bytes_in_many_files() -> None:
    assert not worth_it([])
    assert not worth_it([hashing.AHEAD_BYTES] * (hashing.AHEAD_FILES - 1))
    assert not worth_it([1] * 10_000)
    assert worth_it([hashing.AHEAD_BYTES // hashing.AHEAD_FILES + 1] * hashing.AHEAD_FILES)


class Seen(HashAhead):
    """The real helper, noting what it was given."""

    started: ClassVar[list[list[str]]] = []

    def __init__(self, paths: list[str], stats: list[tuple[int, int]] | None = None) -> None:
        Seen.started.append(paths)
        super().__init__(paths, stats)


def first_check_workspace(qim_ws: Path) -> list[Path]:
    """Evidence enough to hash ahead, recorded; then every cache removed, as in a fresh clone
    in CI."""
    size = hashing.AHEAD_BYTES // hashing.AHEAD_FILES + 64
    made = files(qim_ws / "evidence" / "many", hashing.AHEAD_FILES + 6, size)
    ws = mentorqa.open_workspace(qim_ws)
    ws.add_evidence("QIM-SV-A01", *made[:40])
    ws.add_evidence("QIM-SV-A02", *made[40:])
    (qim_ws / ".mentorqa" / "checksums.json").unlink(missing_ok=True)
    shutil.rmtree(Path(os.environ["XDG_CACHE_HOME"]) / "mentorqa")
    return made


def test_a_first_check_hashes_ahead_and_finds_changed_and_missing_files(
    qim_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = first_check_workspace(qim_ws)
    made[3].write_bytes(b"x" * made[3].stat().st_size)  # changed, same size
    made[-1].unlink()  # missing
    # A line of the table that no entry uses is not the check's business: never read.
    table = qim_ws / "mentorqa.evidence.tsv"
    unused = qim_ws / "evidence" / "unused.bin"
    unused.write_bytes(b"u" * 1000)
    with table.open("a", encoding="utf-8") as lines:
        lines.write(f"evidence/unused.bin\t{sha256(unused)}\t1000\t2026-04-01\n")
    monkeypatch.setattr(hashing, "HashAhead", Seen)
    Seen.started = []
    verdict = mentorqa.open_workspace(qim_ws).check()
    assert len(Seen.started) == 1
    assert sorted(Seen.started[0]) == sorted(str(p.resolve()) for p in made[:-1])
    about = {f.code: f.message for f in verdict.findings if "evidence/many/" in f.message}
    assert about.keys() == {"MQA201", "MQA111"}  # changed; missing
    assert made[3].name in about["MQA201"] and made[-1].name in about["MQA111"]
    cached = json.loads((qim_ws / ".mentorqa" / "checksums.json").read_text(encoding="utf-8"))
    assert set(cached) == {str(p.resolve()) for p in made[:-1]}  # kept for next time
    # A second check (caches warm) agrees, and hashes nothing ahead.
    again = mentorqa.open_workspace(qim_ws).check()
    assert len(Seen.started) == 1
    assert [f.message for f in again.findings] == [f.message for f in verdict.findings]


@pytest.mark.skipif(
    not next(Path("/proc/self/task").glob("*/children"), None), reason="lists children in /proc"
)
def test_no_helper_outlives_a_check_that_fails(
    qim_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_check_workspace(qim_ws)
    monkeypatch.setattr(hashing, "HashAhead", Seen)
    Seen.started = []

    def children() -> set[str]:
        return {
            pid
            for task in Path("/proc/self/task").iterdir()
            for pid in (task / "children").read_text().split()
        }

    before = children()
    with pytest.raises(mentorqa.MentorqaError):
        mentorqa.open_workspace(qim_ws).check(level="platinum")
    assert len(Seen.started) == 1  # a helper was started, and has ended
    assert children() == before


def test_check_warns_of_another_framework_version_first(qim_ws: Path) -> None:
    """Before its findings, and before an error (the version may be why)."""
    manifest = qim_ws / "mentorqa.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace('framework_version: "2022, mentorqa model"', 'framework_version: "2019"'),
        encoding="utf-8",
    )
    result = run("check", "-w", qim_ws)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("was made for qim version 2019, but version") == 1
    assert result.stderr.startswith("warning: ") and "MQA202" in result.stderr
    failed = run("check", "--level", "platinum", "-w", qim_ws)
    assert failed.exit_code == 2
    warning, error = failed.stderr.splitlines()
    assert "was made for qim version 2019" in warning and error.startswith("error: ")


def test_the_check_command_hashes_ahead_too(qim_ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command reads nothing before the check does (a version warning would read the
    manifest first, and leave no validation to hash beside)."""
    made = first_check_workspace(qim_ws)
    monkeypatch.setattr(hashing, "HashAhead", Seen)
    Seen.started = []
    result = run("check", "-w", qim_ws)
    assert result.exit_code == 0, result.stderr
    assert [len(paths) for paths in Seen.started] == [len(made)]


def test_a_file_changed_after_it_was_given_is_hashed_again(tmp_path: Path) -> None:
    """The helper may read a file before it changes: its checksum is kept only while the file's
    size and modification time are those it had when it was given (else the cache would keep an
    old checksum under the new size and time, and trust it from then on)."""
    made = files(tmp_path, 70, 2000)
    paths = [str(p) for p in made]
    stats = [(p.stat().st_size, p.stat().st_mtime_ns) for p in made]
    ahead = HashAhead(paths, stats)
    until(lambda: ahead.done == len(paths))  # every file read as it was
    made[5].write_bytes(b"y" * 2000)  # the same size, edited after
    os.utime(made[5], ns=(stats[5][1] + 10**9, stats[5][1] + 10**9))
    cache = ChecksumCache(tmp_path)
    found = cache.checksums([(str(p), os.stat(p)) for p in made], ahead)
    assert found == {str(p): sha256(p) for p in made}
    assert cache.known(str(made[5]), os.stat(made[5])) == sha256(made[5])
