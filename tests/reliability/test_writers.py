"""8 writer processes record distinct judgements at once while a reader runs
``status --json``: no update is lost and no reader sees an error or a partial file.

``MENTORQA_WRITES`` sets the updates per writer (default 5, for CI).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.reliability._harness import (
    WRITERS,
    build_workspace,
    cli_env,
    isolated_env,
    run_writers,
)

WRITES = int(os.environ.get("MENTORQA_WRITES", "5"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("writers-template")
    with isolated_env(folder / "cache"):
        return build_workspace(folder)


def test_concurrent_library_writers_lose_nothing(template: Path, tmp_path: Path) -> None:
    outcome = run_writers(template, tmp_path / "ws", cli_env(tmp_path / "cache"), WRITERS, WRITES)
    assert outcome.failed_writes == []
    assert outcome.lost == 0
    assert outcome.reader_errors == []
    assert outcome.reads > 0
