"""The README's tour, pasted line by line into a shell in an empty folder, works as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def tour_commands() -> list[str]:
    """Every '$ ' line of the console blocks in the README's tour, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme[readme.index("## A tour") : readme.index("## Examples")]
    blocks = re.findall(r"```console\n(.*?)```", tour, flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def test_the_tour_runs_top_to_bottom(tmp_path: Path) -> None:
    commands = tour_commands()
    assert len(commands) > 25 and commands[0] == "mentorqa frameworks list"
    # One shell, as a reader would use it (the tour changes folders); each command's exit code
    # is written after a marker line, so a failure names its command.
    script = "".join(f'{command}\necho "@@exit $? {n}"\n' for n, command in enumerate(commands))
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "MENTORQA_TODAY": "2026-05-15",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }
    home = tmp_path / "tour"
    home.mkdir()
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    codes = {int(n): int(code) for code, n in re.findall(r"@@exit (\d+) (\d+)", done.stdout)}
    assert len(codes) == len(commands), done.stderr
    assert "Traceback" not in done.stderr
    # Exit 1 means 'ran, and something does not hold yet' (eligibility unanswered, check
    # findings); 2 would mean a command of the tour cannot work as written.
    broken = [f"{commands[n]} -> {code}" for n, code in codes.items() if code >= 2]
    assert not broken, done.stderr
    assert (home / "riverside" / "assessor.html").is_file()
    assert (home / "riverside" / "deadlines.ics").is_file()
    assert (home / "northside" / "mentorqa.yaml").is_file()
