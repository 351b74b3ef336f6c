"""How fast is ``mentorqa rollup`` over many workspaces, and how much memory does it take?

    python bench/rollup.py [--workspaces 10000] [--keep DIR]

Builds synthetic NQMS workspaces (92 judgements each: 10,000 make about 920,000) by writing
``mentorqa.yaml`` files directly into a temporary folder, then runs the real command in a
child process and prints its time and peak memory beside baselines measured in the same run:
starting mentorqa, and merely reading every manifest file's bytes. The roll-up over a quarter
of the workspaces is timed too: its peak memory should be about the same (memory grows with
the number of indicators, not of workspaces). Aim: under 60 s for 10,000 on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _workspace import as_installed  # bench/, the script's own folder

STATUSES = ("met", "met", "met", "partly-met", "not-met")


def build(root: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` NQMS workspaces in four folders; return the number of judgements."""
    from mentorqa import get_framework

    fw = get_framework("nqms")
    ids = list(fw.indicator_index)
    rng = random.Random(seed)
    judgements = 0
    for n in range(count):
        start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
        steps = {
            "access": 0,
            "submission": rng.randrange(30, 70),
            "review": 100,
            "plan_agreed": 115,
        }
        lines = [
            "mentorqa: 1",
            "framework: nqms",
            f"framework_version: {json.dumps(fw.version)}",
            f"service:\n  name: Program {n}",
            "dates:",
            *(f"  {e}: {start + dt.timedelta(days=d)}" for e, d in steps.items()),
        ]
        answered = ids if n % 10 else ids[: rng.randrange(len(ids))]  # some still under way
        lines.append("indicators:" if answered else "indicators: {}")
        for ind in answered:
            lines += [
                f"  {ind}:",
                "    self:",
                f"      status: {rng.choice(STATUSES)}",
                f"      rating: {rng.randint(1, 5)}",
            ]
        judgements += len(answered)
        folder = root / f"group{n % 4}" / f"program-{n:05d}"
        folder.mkdir(parents=True)
        (folder / "mentorqa.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return judgements


def child(command: list[str]) -> None:
    """Run ``command`` and print its time and the peak memory of its largest process."""
    began = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - began
    if done.returncode not in (0, 1):
        sys.exit(done.stderr.decode()[-2000:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mib": peak / 1024}))


def measured(command: list[str]) -> dict[str, float]:
    """Time and peak memory of ``command``, measured in a fresh process of its own (so that no
    earlier command's peak is counted)."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", *command], capture_output=True, check=True
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


PARSE_SOME = (
    "import os,sys\n"
    "from pathlib import Path\n"
    "from mentorqa.store.manifest_file import read_manifest\n"
    "roots = sorted(Path(f) for f, _, files in os.walk(sys.argv[1]) if 'mentorqa.yaml' in files)\n"
    "for root in roots[: int(sys.argv[2])]:\n"
    "    read_manifest(root)\n"
)
READ_ALL = (
    "import os,sys\n"
    "for folder, dirs, files in os.walk(sys.argv[1]):\n"
    "    if 'mentorqa.yaml' in files:\n"
    "        open(os.path.join(folder, 'mentorqa.yaml'), 'rb').read()\n"
)


def main() -> None:
    as_installed()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspaces", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="Build into this folder and keep it.")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="mentorqa-rollup-bench-") as temp:
        root = args.keep or Path(temp) / "programs"
        began = time.perf_counter()
        judgements = build(root, args.workspaces)
        print(
            f"built {args.workspaces:,} workspaces, {judgements:,} judgements "
            f"in {time.perf_counter() - began:.1f} s ({os.cpu_count()} cores)"
        )
        env = {**os.environ, "MENTORQA_TODAY": "2026-06-01"}
        os.environ.update(env)
        mentorqa = [sys.executable, "-m", "mentorqa"]
        facts = Path(temp) / "facts.csv"
        rows = [
            ("baseline: start mentorqa (--version)", [*mentorqa, "--version"]),
            ("baseline: read every manifest's bytes", [sys.executable, "-c", READ_ALL, str(root)]),
            (
                "baseline: parse 1,000 manifests, 1 process",
                [sys.executable, "-c", PARSE_SOME, str(root), "1000"],
            ),
            ("rollup --json, a quarter", [*mentorqa, "rollup", str(root / "group0"), "--json"]),
            ("rollup --json", [*mentorqa, "rollup", str(root), "--json"]),
            (
                "rollup --json --facts",
                [*mentorqa, "rollup", str(root), "--json", "--facts", str(facts)],
            ),
        ]
        print(f"{'':44} {'seconds':>8} {'peak MiB':>9}")
        for label, command in rows:
            figures = measured(command)
            print(f"{label:44} {figures['seconds']:8.1f} {figures['peak_mib']:9.0f}")
        if facts.exists():
            print(f"facts file: {facts.stat().st_size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
