"""How does mentorqa compare with compliance-trestle, the closest peer command line?

    python bench/peers.py [--repeat 5] [--venv DIR] [--skip-install] [--sizes 84,5000]

compliance-trestle (IBM's OSCAL tool: a workspace of catalogs, profiles and plans that it
validates) is installed at --trestle-version into a virtual environment of its own, in a
temporary folder or in --venv DIR (kept, so that --skip-install can reuse it); mentorqa's
environment is not touched. Then, side by side in one run, the median of --repeat runs of each
real command in a subprocess, with the peak memory (RSS) of its own process:

- ``mentorqa --help`` and ``trestle --help``;
- ``mentorqa init DIR --framework qim --name X`` and ``trestle init`` in a fresh empty folder
  (the folder is removed and made again before each run, untimed);
- ``mentorqa check`` (checksums and manifest cached: run once before) on a QiM workspace with
  N evidence records spread over its 84 indicators, and ``trestle validate -a`` on a trestle
  workspace holding one OSCAL catalog (``catalogs/NAME/catalog.json``) of N controls in 7
  groups, each with a statement and a guidance part; for each N of --sizes (84: the size of
  QiM itself).

The last column is trestle's time over mentorqa's: above 1, mentorqa is faster. With --ref,
the sources of that git ref of mentorqa are timed instead of the working tree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from _workspace import as_installed  # bench/, the script's own folder
from scale import (
    MENTORQA,
    Failed,
    Figure,
    build_workspace,
    child_env,
    describe,
    indicator_ids,
    machine,
    measure,
    run_once,
    sources,
)

TRESTLE_VERSION = "5.2.0"
GROUPS = 7


# --- trestle in its own virtual environment ---------------------------------------------------


def install_trestle(venv: Path, version: str) -> None:
    """Create ``venv`` and install compliance-trestle there, or stop with a clear message."""
    began = time.perf_counter()
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", f"compliance-trestle=={version}"],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
            raise SystemExit(
                f"could not install compliance-trestle {version} into {venv} "
                f"({' '.join(step[-3:])} exited {done.returncode}); is the package index "
                "reachable from here? Nothing was measured. pip said:\n  " + "\n  ".join(tail)
            )
    print(f"installed compliance-trestle {version} in {time.perf_counter() - began:.0f} s")


def trestle_env() -> dict[str, str]:
    """The environment of a trestle subprocess: nothing of mentorqa's (no PYTHONPATH)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NO_COLOR="1", COLUMNS="120")
    return env


def trestle_version(trestle: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(trestle), "version"], env=env, capture_output=True, text=True, check=False
    )
    python = subprocess.run(
        [str(trestle.parent / "python"), "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"{done.stdout.strip() or done.stderr.strip()[-200:]} (Python {python})"


def catalog_workspace(folder: Path, controls: int, trestle: Path, env: dict[str, str]) -> None:
    """A trestle workspace in ``folder`` holding one catalog of ``controls`` controls."""
    folder.mkdir(parents=True)
    for args in (["init"], ["create", "-t", "catalog", "-o", "bench"]):
        subprocess.run([str(trestle), *args], cwd=folder, env=env, check=True, capture_output=True)
    path = folder / "catalogs" / "bench" / "catalog.json"
    document = json.loads(path.read_text(encoding="utf-8"))  # trestle's own metadata
    groups = []
    made = 0
    for g in range(GROUPS):
        count = controls // GROUPS + (1 if g < controls % GROUPS else 0)
        items = []
        for _ in range(count):
            made += 1
            cid = f"g{g + 1}-{made}"
            items.append(
                {
                    "id": cid,
                    "class": "indicator",
                    "title": f"Indicator {made} of practice area {g + 1}",
                    "props": [{"name": "label", "value": f"PA{g + 1}-{made:05d}"}],
                    "parts": [
                        {
                            "id": f"{cid}_smt",
                            "name": "statement",
                            "prose": "The service has a written procedure for this indicator, "
                            "reviews it each year and keeps a record of the review.",
                        },
                        {
                            "id": f"{cid}_gdn",
                            "name": "guidance",
                            "prose": "Evidence: the procedure and the minutes of the last review.",
                        },
                    ],
                }
            )
        groups.append({"id": f"g{g + 1}", "title": f"Practice area {g + 1}", "controls": items})
    document["catalog"]["uuid"] = str(uuid.uuid4())
    document["catalog"]["groups"] = groups
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    check = subprocess.run(
        [str(trestle), "validate", "-a"], cwd=folder, env=env, capture_output=True, text=True
    )
    if check.returncode != 0:
        raise SystemExit(f"trestle finds the generated catalog invalid:\n{check.stdout[-2000:]}")


# --- the comparison ---------------------------------------------------------------------------


def fresh(folder: Path, make: bool) -> Callable[[], None]:
    """Before each run: remove ``folder``, and make it again empty if ``make``."""

    def before() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        if make:
            folder.mkdir(parents=True)

    return before


def row(
    label: str, ours: Figure, theirs: Figure, timeout: float
) -> tuple[str, str, str, str, str, str]:
    if ours.timed_out or theirs.timed_out or ours.seconds <= 0:
        ratio = "-"
    else:
        ratio = f"{theirs.seconds / ours.seconds:.1f}x"
    return (
        label,
        ours.time(timeout),
        ours.memory(),
        theirs.time(timeout),
        theirs.memory(),
        ratio,
    )


def main() -> None:
    as_installed()
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--venv", type=Path, help="trestle's virtual environment (kept)")
    parser.add_argument(
        "--skip-install", action="store_true", help="reuse the trestle already in --venv"
    )
    parser.add_argument("--trestle-version", default=TRESTLE_VERSION)
    parser.add_argument(
        "--sizes",
        default="84,5000",
        help="evidence records / catalog controls, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--file-size", type=int, default=20_000, help="bytes per evidence file (20 KB)"
    )
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds before a command is stopped"
    )
    parser.add_argument("--ref", metavar="GIT-REF", help="time this mentorqa version's sources")
    options = parser.parse_args()
    sizes = sorted({int(s.replace("_", "")) for s in options.sizes.split(",") if s.strip()})
    if options.skip_install and options.venv is None:
        parser.error("--skip-install needs --venv DIR (the environment to reuse)")
    if not sizes or min(sizes) < 1 or options.repeat < 1:
        parser.error("--sizes and --repeat must be at least 1")
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mentorqa-peers-") as folder:
        temp = Path(folder)
        venv: Path = options.venv or temp / "trestle-venv"
        trestle = venv / "bin" / "trestle"
        if not options.skip_install:
            install_trestle(venv, options.trestle_version)
        elif not trestle.exists():
            raise SystemExit(f"--skip-install: there is no {trestle}; run once without it")
        src = sources(options.ref, temp / "ref")
        ours_env = child_env(src, temp / "cache")
        theirs_env = trestle_env()
        print(f"machine: {machine()}")
        print(f"mentorqa: {describe(src, options.ref, ours_env)}")
        print(f"trestle: {trestle_version(trestle, theirs_env)}, in {venv}")

        def timed(
            args: Sequence[str],
            cwd: Path,
            env: dict[str, str],
            before: Callable[[], None] | None = None,
        ) -> Figure:
            return measure(
                args,
                cwd,
                env,
                repeat=options.repeat,
                timeout=options.timeout,
                long=float("inf"),
                before=before,
            )

        rows = []
        try:
            rows.append(
                row(
                    "--help",
                    timed([*MENTORQA, "--help"], temp, ours_env),
                    timed([str(trestle), "--help"], temp, theirs_env),
                    options.timeout,
                )
            )
            target = temp / "init-m"
            ours = timed(
                [*MENTORQA, "init", str(target), "--framework", "qim", "--name", "X"],
                temp,
                ours_env,
                fresh(target, make=False),
            )
            target = temp / "init-t"
            theirs = timed([str(trestle), "init"], target, theirs_env, fresh(target, make=True))
            rows.append(row("init (a fresh folder)", ours, theirs, options.timeout))
            indicators = indicator_ids(ours_env, "all")
            for size in sizes:
                ws = temp / f"ws-{size}"
                build_workspace(ws, size, options.file_size, indicators, ours_env)
                run_once([*MENTORQA, "check"], ws, ours_env, options.timeout)  # fill the caches
                catalog = temp / f"trestle-{size}"
                catalog_workspace(catalog, size, trestle, theirs_env)
                rows.append(
                    row(
                        f"check / validate -a, {size:,}",
                        timed([*MENTORQA, "check"], ws, ours_env),
                        timed([str(trestle), "validate", "-a"], catalog, theirs_env),
                        options.timeout,
                    )
                )
                shutil.rmtree(ws, ignore_errors=True)
        except Failed as failure:
            print(f"stopped: {failure}", file=sys.stderr)
        print()
        head = ("", "mentorqa", "MiB", "trestle", "MiB", "trestle/mentorqa")
        for cells in (head, *rows):
            print(
                f"{cells[0]:<30}{cells[1]:>11} {cells[2]:>5}{cells[3]:>11} {cells[4]:>5}"
                f"{cells[5]:>18}"
            )
        print(
            f"(median of {options.repeat} runs; peak RSS of the command's own process; "
            "check: evidence records, checksums cached; validate -a: catalog controls)"
        )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nfinished {dt.datetime.now():%H:%M}, {time.perf_counter() - began:.0f} s; load {load}")


if __name__ == "__main__":
    main()
