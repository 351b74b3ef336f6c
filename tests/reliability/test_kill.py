"""kill -9 of real writer processes at varied moments: the manifest is always the text before
the write or the text after it, the lock is never left held, and a killed write's temporary
file is cleaned up by the next write once it is older than a minute.

``MENTORQA_KILLS`` sets how many kills (default a few, for CI).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.reliability._harness import (
    MANIFEST,
    MENTORQA,
    NEXT_WRITE,
    WRITE_TIMEOUT,
    build_workspace,
    cli_env,
    isolated_env,
    kill_campaign,
    temp_files,
)

KILLS = int(os.environ.get("MENTORQA_KILLS", "6"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kill-template")
    with isolated_env(folder / "cache"):
        return build_workspace(folder)


def test_killed_writes_leave_the_old_or_the_new_manifest(template: Path, tmp_path: Path) -> None:
    env = cli_env(tmp_path / "cache")
    outcomes = kill_campaign(template, tmp_path, env, KILLS, seed=KILLS, workers=2)
    bad = [o for o in outcomes if o.state == "corrupt" or o.stuck or o.temp_left]
    assert not bad, "\n".join(map(str, bad))
    # The campaign really killed writers mid-life, not only finished ones.
    assert any(o.killed for o in outcomes)


def test_a_stale_temp_file_goes_and_a_fresh_one_stays(template: Path, tmp_path: Path) -> None:
    """What a writer killed between creating its temp file and the rename leaves behind: gone
    after the next write once older than a minute; kept while it could be a live writer's."""
    import shutil
    import subprocess

    ws = tmp_path / "ws"
    shutil.copytree(template, ws)
    stale, fresh = ws / f".{MANIFEST}.killed1.tmp", ws / f".{MANIFEST}.live1.tmp"
    stale.write_text("half a manifest", encoding="utf-8")
    fresh.write_text("a live writer's", encoding="utf-8")
    old = time.time() - 120
    os.utime(stale, (old, old))
    done = subprocess.run(
        [*MENTORQA, *NEXT_WRITE],
        cwd=ws,
        env=cli_env(tmp_path / "cache"),
        capture_output=True,
        timeout=WRITE_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    assert temp_files(ws) == [fresh]
