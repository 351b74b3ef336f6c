"""What the bench scripts share: mentorqa run as an installed copy runs, and a new QiM
workspace made by the real ``mentorqa init``."""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
from pathlib import Path

MENTORQA = [sys.executable, "-m", "mentorqa"]
ROOT = Path(__file__).resolve().parents[1]  # the repository
SRC = ROOT / "src"
# The evidence table as this version writes it (written here by hand: the benches also run
# other versions' sources, so they do not import the library for it).
EVIDENCE_TABLE = "mentorqa.evidence.tsv"
TABLE_HEADER = "file\tsha256\tsize\trecorded\n"


def as_installed() -> None:
    """Time mentorqa with its bytecode, as an installer leaves it. Some shells and containers
    set PYTHONDONTWRITEBYTECODE; then every timed command would compile mentorqa's sources
    again (some 40 ms each) while the libraries of the import floor have theirs, which is a
    figure no user sees. Call it first: the environments of the timed commands copy ours."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(SRC, quiet=1)


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
