"""What the bench scripts share: a new QiM workspace made by the real ``mentorqa init``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MENTORQA = [sys.executable, "-m", "mentorqa"]


def init_qim(ws: Path, name: str, env: dict[str, str]) -> None:
    """``mentorqa init`` of a QiM workspace in ``ws``: a £120,000 turnover, registered on
    2026-03-01 (the run's ``env`` decides which mentorqa and which cache)."""
    details = ("--framework", "qim", "--name", name, "--turnover", "120000")
    subprocess.run(
        [*MENTORQA, "init", str(ws), *details, "--start", "2026-03-01"],
        env=env,
        check=True,
        capture_output=True,
    )
