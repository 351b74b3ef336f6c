"""How fast is `mentorqa import` of a big sheet? Prints figures beside baselines from the same run.

    python bench/sheets.py [--rows 5000] [--repeat 3]

Builds a framework with --rows indicators with `mentorqa frameworks import` (on a copy of the
bundled NQMS file without its published totals), a workspace using it, and a sheet with one row
per indicator (status and rating filled in), as xlsx and as csv. The aim (issue 17): importing
a 5,000-row sheet takes under 3 s. Baselines: `mentorqa status` on the same workspace (the
cost of starting, reading the manifest and the framework), and openpyxl reading the same
workbook alone. Times are the median of --repeat runs of the real command in a subprocess; each
import starts from the manifest as it was before the first.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _workspace import MENTORQA, ROOT, as_installed  # bench/, the script's own folder


def timed(
    args: list[str], cwd: Path, env: dict[str, str], repeat: int, before: Callable[[], None]
) -> float:
    runs = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
        runs.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return statistics.median(runs)


def build(folder: Path, rows: int, env: dict[str, str]) -> tuple[Path, list[str]]:
    """A workspace whose framework has ``rows`` indicators, and those indicators' ids."""
    base = folder / "base.yaml"
    text = (ROOT / "frameworks" / "nqms.yaml").read_text(encoding="utf-8")
    base.write_text(text.split("\ntotals:")[0] + "\n", encoding="utf-8")
    from mentorqa import get_framework

    areas = [area.id for area in get_framework("nqms").practice_areas]
    ids = [f"X{n:05d}" for n in range(1, rows + 1)]
    listing = folder / "list.csv"
    with open(listing, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "area", "title", "level", "requires"])
        for n, ind_id in enumerate(ids):
            writer.writerow([ind_id, areas[n % len(areas)], f"Practice {n}", "dedicated", "Done."])
    ws = folder / "ws"
    (ws / "frameworks").mkdir(parents=True)
    args = ["frameworks", "import", str(listing), "--base", str(base), "--id", "big"]
    subprocess.run(
        [*MENTORQA, *args, "-o", str(ws / "frameworks" / "big.yaml")], env=env, check=True
    )
    subprocess.run(
        [
            *MENTORQA,
            "init",
            str(ws),
            "--framework",
            "big",
            "--name",
            "Bench",
            "--start",
            "2026-02-02",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    return ws, ids


def sheets(ws: Path, ids: list[str]) -> tuple[Path, Path]:
    from openpyxl import Workbook

    rows = [["indicator", "status", "rating", "note"]]
    rows += [
        [i, "met" if n % 3 else "In practice", n % 5 + 1, f"note {n}"] for n, i in enumerate(ids)
    ]
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(ws / "sheet.xlsx")
    with open(ws / "sheet.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return ws / "sheet.xlsx", ws / "sheet.csv"


def main() -> None:
    as_installed()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    env = {**os.environ, "MENTORQA_TODAY": "2026-05-15"}
    with tempfile.TemporaryDirectory() as temp:
        env["XDG_CACHE_HOME"] = str(Path(temp) / "cache")
        ws, ids = build(Path(temp), options.rows, env)
        xlsx, csv_file = sheets(ws, ids)
        manifest = ws / "mentorqa.yaml"
        fresh = manifest.read_bytes()

        def restore() -> None:
            manifest.write_bytes(fresh)

        def keep() -> None:
            pass

        r = options.repeat
        read_only = [
            sys.executable,
            "-c",
            "import sys; from openpyxl import load_workbook; "
            "list(load_workbook(sys.argv[1], read_only=True).worksheets[0].values)",
            str(xlsx),
        ]
        figures = [
            ("baseline: mentorqa status", timed([*MENTORQA, "status"], ws, env, r, keep)),
            ("baseline: openpyxl reads the workbook", timed(read_only, ws, env, r, keep)),
            (
                "import sheet.xlsx --dry-run",
                timed([*MENTORQA, "import", str(xlsx), "--dry-run"], ws, env, r, restore),
            ),
            (
                "import sheet.xlsx (one write)",
                timed([*MENTORQA, "import", str(xlsx)], ws, env, r, restore),
            ),
            (
                "import sheet.csv (one write)",
                timed([*MENTORQA, "import", str(csv_file)], ws, env, r, restore),
            ),
        ]
        subprocess.run(
            [*MENTORQA, "import", str(xlsx)], cwd=ws, env=env, check=True, capture_output=True
        )
        figures.append(
            (
                "import sheet.xlsx again (no changes)",
                timed([*MENTORQA, "import", str(xlsx)], ws, env, r, keep),
            )
        )
        figures.append(
            ("export -o out.xlsx", timed([*MENTORQA, "export", "-o", "out.xlsx"], ws, env, r, keep))
        )
        shutil.rmtree(ws / ".mentorqa", ignore_errors=True)
    print(f"{options.rows} indicators, {options.rows} rows, median of {r} runs:")
    for name, seconds in figures:
        print(f"  {name:<40} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
