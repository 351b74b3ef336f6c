"""How fast are the commands? Prints figures beside a baseline measured in the same run.

    python bench/bench.py [--files 3000] [--repeat 5] [--compare GIT-REF]

Baseline: starting Python and importing the stack mentorqa is built on (typer, rich.console,
pydantic, ruamel.yaml, jinja2: issue 13's floor). The aim: `status` and `check` cost little more
than that (issue 13: at most 1.3x, 1.1x with --json), and
stay fast with thousands of evidence files. Times are the median of --repeat runs of the real
`mentorqa` command in a subprocess. With --compare, the same commands of another version (a
git ref of this repository, checked out into a temporary worktree and run from its sources
with the same installed libraries) are timed on a copy of the same workspace, in the same run,
each of its runs right after one of this version's
(written as mentorqa.yaml version 1 wrote it, every checksum inline, which an older mentorqa
reads; the first write of the current one would move them to mentorqa.evidence.tsv).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _workspace import (  # bench/, the script's own folder
    EVIDENCE_TABLE,
    MENTORQA,
    ROOT,
    SRC,
    TABLE_HEADER,
    as_installed,
    init_qim,
)


def worktree(ref: str, into: Path) -> Path:
    """The sources of ``ref`` in a temporary git worktree."""
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(into), ref],
        check=True,
        capture_output=True,
    )
    return into


# (figure, mentorqa's arguments, caches off, runs): what each version is timed on.
COLD = "check, checksums cold (1 run)"


def steps(r: int) -> list[tuple[str, list[str], bool, int]]:
    return [
        ("status, framework parsed afresh", ["status"], True, r),
        ("status, framework from cache", ["status"], False, r),
        (COLD, ["check"], False, 1),  # (after its checksums are removed)
        ("check, checksums cached", ["check"], False, r),
        ("check --json", ["check", "--json"], False, r),
        ("report --kind progress", ["report", "--kind", "progress"], False, r),
        # A write: each run records a judgement afresh (the manifest is read and patched).
        ("mark (a write)", ["mark", "QIM-SV-A01", "met"], False, r),
    ]


def commands(versions: list[tuple[Path, dict[str, str]]], r: int) -> list[tuple[str, list[float]]]:
    """Each figure, with each version's median on its own copy of the workspace. The versions'
    runs alternate (one of each, then again), so that the machine's load, which moves from
    second to second, weighs on them alike."""
    figures = []
    for name, args, no_cache, repeat in steps(r):
        if name == COLD:
            for ws, _ in versions:
                shutil.rmtree(ws / ".mentorqa", ignore_errors=True)
        runs: list[list[float]] = [[] for _ in versions]
        for _ in range(repeat):
            for n, (ws, env) in enumerate(versions):
                run_env = {**env, "MENTORQA_NO_CACHE": "1"} if no_cache else env
                runs[n].append(once([*MENTORQA, *args], ws, run_env))
        figures.append((name, [statistics.median(times) for times in runs]))
    return figures


def timed(args: list[str], cwd: Path, env: dict[str, str], repeat: int) -> float:
    return statistics.median(once(args, cwd, env) for _ in range(repeat))


def once(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return seconds


def build(ws: Path, files: int, env: dict[str, str]) -> str:
    """A QiM workspace whose online indicators carry ``files`` evidence files in all, in the
    current layout (the checksums in mentorqa.evidence.tsv); returns the same manifest as
    version 1 wrote it (every fact in mentorqa.yaml), for an older mentorqa to compare with."""
    init_qim(ws, "Bench", env)
    sys.path.insert(0, str(SRC))
    from mentorqa.frameworks import get  # the library, to list indicator ids

    online = [
        i
        for i, (area, ind) in get("qim").framework.indicator_index.items()
        if (ind.method or area.method) == "online"
    ]
    lines, old_lines, table = ["indicators:"], ["indicators:"], []
    per = max(1, files // len(online))
    made = 0
    for ind in online:
        for out in (lines, old_lines):
            out.append(f"  {ind}:\n    self: {{status: met}}\n    evidence:")
        for n in range(per):
            rel = f"evidence/{ind}/doc-{n}.txt"
            path = ws / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(os.urandom(16_384))
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            lines.append(f"      - {{file: {rel}}}")
            old_lines.append(
                f"      - {{file: {rel}, sha256: {digest}, size: 16384, recorded: 2026-03-02}}"
            )
            table.append(f"{rel}\t{digest}\t16384\t2026-03-02\n")
            made += 1
    manifest = ws / "mentorqa.yaml"
    text = manifest.read_text()
    manifest.write_text(text.replace("indicators: {}\n", "\n".join(lines) + "\n"))
    (ws / EVIDENCE_TABLE).write_text(TABLE_HEADER + "".join(sorted(table)))
    print(f"workspace: {len(online)} indicators, {made} evidence files of 16 KiB")
    old = text.replace("indicators: {}\n", "\n".join(old_lines) + "\n")
    return old.replace("mentorqa: 2\n", "mentorqa: 1\n")


def main() -> None:
    as_installed()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--compare", metavar="GIT-REF", help="also time this version, e.g. HEAD~3")
    options = parser.parse_args()
    temp = Path(tempfile.mkdtemp(prefix="mentorqa-bench-"))
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(temp / "cache"),
        "MENTORQA_TODAY": "2026-05-15",
        "NO_COLOR": "1",
    }
    try:
        ws = temp / "ws"
        version_1 = build(ws, options.files, env)
        copy = temp / "ws-other"  # the same workspace as an older mentorqa wrote it
        shutil.copytree(ws, copy)
        (copy / "mentorqa.evidence.tsv").unlink()
        (copy / "mentorqa.yaml").write_text(version_1)
        r = options.repeat
        floor = "import typer, rich.console, pydantic, ruamel.yaml, jinja2"
        baseline = timed([sys.executable, "-c", floor], ws, env, r)
        bare = timed([sys.executable, "-c", "pass"], ws, env, r)
        versions = [(ws, env)]
        if options.compare:
            other = worktree(options.compare, temp / "other")
            other_env = {
                **env,
                "PYTHONPATH": str(other / "src"),
                "XDG_CACHE_HOME": str(temp / "c2"),
            }
            versions.append((copy, other_env))
        print(f"baseline ({floor}): {baseline * 1000:7.0f} ms")
        print(f"{'python -c pass':<34} {bare * 1000:7.0f} ms  {bare / baseline:5.2f}x baseline")
        for name, (seconds, *before) in commands(versions, r):
            line = f"{name:<34} {seconds * 1000:7.0f} ms  {seconds / baseline:5.2f}x baseline"
            if before:
                ratio = before[0] / seconds
                line += f"   {options.compare}: {before[0] * 1000:7.0f} ms ({ratio:4.1f}x slower)"
            print(line)
    finally:
        if options.compare:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(temp / "other")],
                capture_output=True,
            )
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
