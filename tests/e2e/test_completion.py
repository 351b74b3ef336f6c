"""Shell completion: the scripts install, and ids complete from the workspace's framework."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

SCRIPT = Path(sys.executable).parent / "mentorqa"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "qim-riverside"


def complete(words: str, cwd: Path) -> list[str]:
    env = {
        **os.environ,
        "_MENTORQA_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    done = subprocess.run(
        [str(SCRIPT)], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_completion_script_is_shown() -> None:
    # typer finds the shell among the command's parent processes: run it from bash, as a user
    # would (a test runner whose own shell has exited has none).
    shown = subprocess.run(
        ["bash", "-c", '"$0" --show-completion', str(SCRIPT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0 and "_MENTORQA_COMPLETE=complete_bash" in shown.stdout


def test_ids_complete_from_the_workspaces_framework(tmp_path: Path) -> None:
    assert complete("mentorqa mark QIM-SV-A0", EXAMPLE)[:2] == ["QIM-SV-A01", "QIM-SV-A02"]
    assert complete("mentorqa show QIM-MTE", EXAMPLE)[0] == "QIM-MTE-A01"
    assert complete("mentorqa event first", EXAMPLE) == ["first_area_uploaded"]
    assert complete("mentorqa mark QIM", tmp_path) == []  # outside a workspace: nothing
