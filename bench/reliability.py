"""Reliability at harness size: fuzzing, kill -9 of writers, and concurrent writers. Prints
each figure, and the write rate with 8 writers beside a single writer's in the same run.

    python bench/reliability.py [--quick] [--fuzz-cases 10000] [--kills 250] [--writes 25]

The checks are those of tests/reliability (the same code, at other sizes):
- fuzz: tests/reliability/test_fuzz.py run by pytest with MENTORQA_FUZZ_EXAMPLES set, each
  example recorded in a report file instead of stopping at the first problem; every command has
  a time limit (MENTORQA_FUZZ_TIME_LIMIT) past which it counts as a hang;
- kills: real ``mentorqa`` writer processes killed with SIGKILL at varied moments;
- writers: 8 processes recording distinct judgements at once while a reader runs
  ``status --json``, via the library and via ``mentorqa mark``.
--quick runs a small version of all three in under a minute.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _workspace import ROOT as REPO  # bench/, the script's own folder
from _workspace import as_installed

sys.path.insert(0, str(REPO))  # run as a script from anywhere: the harness lives in tests/

from tests.reliability._harness import (
    WRITERS,
    build_workspace,
    cli_env,
    isolated_env,
    kill_campaign,
    run_writers,
)

# One process per test (they run side by side already): no xdist workers inside each.
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0"]
FUZZ_TESTS = ("test_mutated_manifest", "test_mutated_framework", "test_random_command_line")


def fuzz(cases: int, work: Path, time_limit: float) -> dict[str, int]:
    """Run the three fuzz tests (one pytest process each, side by side) for ``cases`` examples
    in all, and count the problems their report lines hold."""
    report = work / "fuzz.jsonl"
    env = {
        **os.environ,
        "MENTORQA_FUZZ_EXAMPLES": str(max(1, cases // len(FUZZ_TESTS))),
        "MENTORQA_FUZZ_REPORT": str(report),
        "MENTORQA_FUZZ_TIME_LIMIT": str(time_limit),
    }
    procs = [
        subprocess.Popen(
            [*PYTEST, f"tests/reliability/test_fuzz.py::{test}"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for test in FUZZ_TESTS
    ]
    figures: dict[str, int] = collections.Counter()
    for test, proc in zip(FUZZ_TESTS, procs, strict=True):
        out, _ = proc.communicate()
        if proc.returncode != 0:
            figures["pytest runs that failed outright"] += 1
            print(f"pytest {test} failed:\n{out[-3000:]}", file=sys.stderr)
    examples: dict[str, list[str]] = {}
    lines = report.read_text(encoding="utf-8").splitlines() if report.exists() else []
    for line in lines:
        record = json.loads(line)
        figures["commands run"] += 1
        for problem in record["problems"]:
            kind = problem.split(":")[0].split(" by ")[0]
            if problem.startswith("known defect: "):
                kind = "known defect"
            figures[kind] += 1
            examples.setdefault(kind, [record["case"], " ".join(record["args"]), problem])
    for kind, (case, args, problem) in examples.items():
        print(f"  first '{kind}' ({case}): mentorqa {args!r}\n    {problem[-600:]!r}")
    return figures


def main() -> int:
    as_installed()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run, under a minute")
    parser.add_argument("--fuzz-cases", type=int, help="fuzz examples in all (10000)")
    parser.add_argument("--kills", type=int, help="kill -9s (250)")
    parser.add_argument("--writes", type=int, help="updates per writer (25)")
    parser.add_argument("--time-limit", type=float, default=20.0, help="seconds per command")
    parser.add_argument("--seed", type=int, default=2026)
    opts = parser.parse_args()
    cases = opts.fuzz_cases or (120 if opts.quick else 10_000)
    kills = opts.kills or (10 if opts.quick else 250)
    writes = opts.writes or (5 if opts.quick else 25)
    cli_writes = 3 if opts.quick else writes

    with tempfile.TemporaryDirectory(prefix="mentorqa-reliability-") as folder:
        work = Path(folder)
        with isolated_env(work / "cache"):
            template = build_workspace(work)
        env = cli_env(work / "cache")
        rows: list[tuple[str, str]] = []

        def show(new: list[tuple[str, str]]) -> None:
            """Print a stage's figures as soon as it ends (a long run keeps what it has)."""
            for label, value in new:
                print(f"{label:<58}  {value}", flush=True)

        started = time.perf_counter()
        figures = fuzz(cases, work, opts.time_limit)
        seconds = time.perf_counter() - started
        rows.append(("fuzz: commands run", f"{figures['commands run']} in {seconds:.0f} s"))
        for label, key in (
            ("fuzz: tracebacks", "traceback"),
            ("fuzz: tracebacks printed", "traceback printed"),
            ("fuzz: hangs (> time limit)", "hang"),
            ("fuzz: exit codes outside 0/1/2", "exit code"),
            ("fuzz: exit 2 with a stderr line not 'error: '", "stderr line without 'error"),
            ("fuzz: --json without a JSON document", "--json printed no JSON document"),
            ("fuzz: failed writes (or reads) that changed the manifest", "manifest changed"),
            ("fuzz: known defects (tests/reliability/test_defects.py)", "known defect"),
            ("fuzz: pytest runs that failed outright", "pytest runs that failed outright"),
        ):
            rows.append((label, str(figures.get(key, 0))))
        show(rows)

        started = time.perf_counter()
        outcomes = kill_campaign(template, work, env, kills, seed=opts.seed, workers=2)
        seconds = time.perf_counter() - started
        states = collections.Counter(o.state for o in outcomes)
        rows += [
            (
                "kills: writers killed mid-life",
                f"{sum(o.killed for o in outcomes)} of {kills} in {seconds:.0f} s",
            ),
            ("kills: killed with a temp file present", str(sum(o.saw_temp for o in outcomes))),
            ("kills: manifest as before / as after", f"{states['before']} / {states['after']}"),
            ("kills: manifest corrupted or lost (neither)", str(states["corrupt"])),
            ("kills: lock stuck (next write failed or hung)", str(sum(o.stuck for o in outcomes))),
            ("kills: temp files left by the kill", str(sum(o.leftover_temp for o in outcomes))),
            ("kills: of those, left after the next write", str(sum(o.temp_left for o in outcomes))),
            (
                "kills: other *.tmp left (e.g. .mentorqa/)",
                str(sum(o.other_temp_left for o in outcomes)),
            ),
        ]
        show(rows[-8:])
        for o in outcomes:
            if o.state == "corrupt" or o.stuck or o.temp_left:
                print(f"  kill problem: {o}")

        runs = {}
        # With 8 writers a reader runs 'status --json' beside them, and its processes share
        # the 2 cores with theirs; the CLI's rate is also taken without it, to show both.
        for name, writers, per, via, reader in (
            ("library, 1 writer (baseline)", 1, writes, "library", False),
            (f"library, {WRITERS} writers", WRITERS, writes, "library", True),
            ("CLI mark, 1 writer (baseline)", 1, cli_writes, "cli", False),
            (f"CLI mark, {WRITERS} writers", WRITERS, cli_writes, "cli", True),
            (f"CLI mark, {WRITERS} writers, no reader", WRITERS, cli_writes, "cli", False),
        ):
            ws = work / f"writers-{len(runs)}"
            runs[name] = run_writers(template, ws, env, writers, per, via, reader=reader)
            o = runs[name]
            show([(f"writers: {name}", f"{o.writers}x{o.updates}, {o.rate:.1f} updates/s")])
        for name, o in runs.items():
            rows.append(
                (f"writers: {name}", f"{o.writers}x{o.updates} updates, {o.rate:.1f} updates/s")
            )
        concurrent = [o for o in runs.values() if o.reads]
        rows += [
            ("writers: lost updates", str(sum(o.lost for o in runs.values()))),
            ("writers: failed writes", str(sum(len(o.failed_writes) for o in runs.values()))),
            (
                "writers: reader runs / errors or partial files",
                f"{sum(o.reads for o in concurrent)} / "
                f"{sum(len(o.reader_errors) for o in concurrent)}",
            ),
        ]
        for o in runs.values():
            for problem in (o.failed_writes + o.reader_errors)[:3]:
                print(f"  writers problem ({o.via}): {problem[-600:]!r}")

    width = max(len(label) for label, _ in rows)
    print()
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    bad = (
        sum(v for k, v in figures.items() if k not in ("commands run", "known defect"))
        + states["corrupt"]
        + sum(o.stuck or bool(o.temp_left) for o in outcomes)
        + sum(o.lost + len(o.failed_writes) + len(o.reader_errors) for o in runs.values())
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
