"""init at a real terminal (a pseudo-terminal): it asks for what is missing, checks each answer
as it is typed, and asks again after a slip instead of losing what was typed."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SCRIPT = Path(sys.executable).parent / "mentorqa"


class Terminal:
    """A command on a pseudo-terminal, answered prompt by prompt."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            args, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave, close_fds=True
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 30) -> None:
        """Read until ``text`` has been shown (select waits for output; nothing sleeps)."""
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {text!r}; saw:\n{self.seen}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the command ended
                    chunk = b""
                assert chunk, f"ended before {text!r}; saw:\n{self.seen}"
                self.seen += chunk.decode("utf-8", "replace")

    def answer(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8") + b"\r")

    def finish(self) -> int:
        code = self.process.wait(timeout=60)
        os.close(self.master)
        return code


def _env(tmp_path: Path) -> dict[str, str]:
    """A fixed today, a private cache, no colour, a wide terminal."""
    return {
        **os.environ,
        "MENTORQA_TODAY": "2026-05-15",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }


def test_init_asks_at_a_terminal_and_asks_again_after_a_slip(tmp_path: Path) -> None:
    env = _env(tmp_path)
    term = Terminal([str(SCRIPT), "init"], tmp_path, env)
    term.expect("Framework (such as qim or nqms)")
    term.answer("QIM-")  # a slip: asked again, with a did-you-mean
    term.expect("did you mean 'qim'?")
    term.answer("QiM")  # the README's spelling is fine
    term.expect("Name of the service")
    term.answer("Riverside Mentoring")
    term.expect("Folder for the workspace")
    term.answer("riverside")
    term.expect("Annual turnover")
    term.answer("£180,000")
    term.expect("Has the process started?")
    term.answer("14/04/2026")  # not year-month-day: asked again
    term.expect("did you mean '2026-04-14'?")
    term.answer("")  # not started yet
    term.expect("Next:")
    assert term.finish() == 0
    manifest = (tmp_path / "riverside" / "mentorqa.yaml").read_text()
    assert "name: Riverside Mentoring" in manifest and "turnover: 180000" in manifest
    assert "dates: {}" in manifest  # nothing recorded: the process has not started
    assert "eligibility: {}" in manifest  # never answered for the user


def test_init_for_a_later_round_asks_for_the_date_that_starts_that_round(tmp_path: Path) -> None:
    env = _env(tmp_path)
    args = ["init", "again", "--framework", "qim", "--name", "R", "--cycle", "reaccreditation"]
    term = Terminal([str(SCRIPT), *args], tmp_path, env)
    term.expect("Annual turnover")
    term.answer("")
    term.expect("The date of 'Reaccreditation started'")
    term.answer("2026-05-01")
    term.expect("Next:")
    assert term.finish() == 0
    assert (
        "reaccreditation_started: 2026-05-01" in (tmp_path / "again" / "mentorqa.yaml").read_text()
    )
