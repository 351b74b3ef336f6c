"""How do the commands grow with the workspace? A scaling table from 100 to 50,000 evidence records.

    python bench/scale.py [--sizes 100,1000,5000,20000,50000] [--repeat 3] [--ref GIT-REF]

For each size N a QiM workspace holding N evidence records (files of --file-size bytes, spread
over the indicators assessed online) is written directly: the files, their entries in
``mentorqa.yaml`` and their lines in ``mentorqa.evidence.tsv`` with correct sha256, size and
recorded date. Then the real ``mentorqa``
commands run in a subprocess each, and the table gives their wall time and the peak memory
(RSS) of that process alone (``os.wait4`` in a small launcher; the launcher's ~9 MiB is the
least it can show), beside two baselines measured in the same run at the same size:

- floor: ``python -c "import typer, rich.console, pydantic, ruamel.yaml, jinja2"``, starting
  Python with the libraries mentorqa is built on; a read command should cost little more;
- sha256sum: GNU ``sha256sum`` over the same N evidence files (through ``xargs``); what
  ``check`` does at least, when no checksum is cached.

The commands, in this order (the cache folder, ``$XDG_CACHE_HOME``, is a temporary one):

- status: warm (run once before, so the validated framework and manifest are cached);
- check cold: ``.mentorqa/checksums.json`` and the cache folder removed before each run, so
  every file is hashed and the framework and manifest validated afresh (a first run ever);
- check unhashed: only ``.mentorqa/checksums.json`` removed (a fresh clone in CI whose cache
  folder is kept, or evidence replaced wholesale): every file is hashed;
- check warm: checksums and manifest cached; the workspace passes check with no finding (its
  evidence is complete and its dates recorded);
- check warn: the same, on the workspace with one warning (a deadline passed: one date line
  removed), which mentorqa locates in mentorqa.yaml to print its line number;
- first add: the first ``evidence add`` of one new file after an upgrade, on the same workspace
  written as mentorqa 0.2 wrote it (mentorqa.yaml version 1: every checksum, size and day in
  mentorqa.yaml, no mentorqa.evidence.tsv), read once before; it moves every fact into the table
  (once per workspace);
- add: ``evidence add INDICATOR FILE`` of one new file on the workspace in the current layout,
  put back and read once (``status``, untimed) before each run, as a user's workspace is after
  any command, so every run adds the same one record to N;
- add 1,000: one ``evidence add INDICATOR F1 ... F1000`` of 1,000 new files (put back too).

Times are the median of --repeat runs (peak memory: the largest); a run that takes longer than
--long seconds is not repeated (marked *), and a command that takes longer than --timeout is
stopped, shown as "> T s" and not run at the larger sizes. The ratios table divides within
each size, so the load of the shared machine cancels out as far as it can; the last lines set
the figures beside the aims of issue 13 (ratios, not assertions: nothing here fails).
With --ref, the sources of that git ref (``git archive``, into a temporary folder) are timed
instead of the working tree, with the same installed libraries.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from _workspace import (  # bench/, the script's own folder
    EVIDENCE_TABLE,
    MENTORQA,
    TABLE_HEADER,
    as_installed,
    init_qim,
)
from _workspace import ROOT as REPO

FLOOR = [sys.executable, "-c", "import typer, rich.console, pydantic, ruamel.yaml, jinja2"]
SIZES = (100, 1_000, 5_000, 20_000, 50_000)
BATCH = 1_000
TODAY = "2026-05-15"
RECORDED = "2026-03-02"
REGISTERED = "  registration: 2026-03-01\n"
UPLOADED = "  first_area_uploaded: 2026-04-14\n"


@dataclass
class Figure:
    """One command's figure: median seconds, largest peak RSS, runs made, or a timeout."""

    seconds: float
    peak_mib: float
    runs: int
    timed_out: bool = False
    skipped: bool = False

    def time(self, timeout: float) -> str:
        if self.skipped:
            return "skipped "
        if self.timed_out:
            return f"> {timeout:.0f} s "
        return seconds_text(self.seconds) + ("*" if self.runs == 1 else " ")

    def memory(self) -> str:
        return "" if self.skipped or self.timed_out else f"{self.peak_mib:.0f}"


def seconds_text(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds:.3f} s"
    if seconds < 10:
        return f"{seconds:.2f} s"
    return f"{seconds:.1f} s"


# --- running a command: its own wall time and peak memory -------------------------------------


class Failed(Exception):
    """A command ended with an unexpected exit code."""


# Run between this script and the command: a child's peak RSS counts the memory of the process
# it was forked from (Linux carries the parent's high-water mark across fork and exec), so the
# command is started by a bare Python of ~9 MiB rather than by this script, which grows while
# it builds large workspaces. Its time is taken there too, without the launcher's own start.
LAUNCHER = (
    "import os, sys, time\n"
    "began = time.perf_counter()\n"
    "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "seconds = time.perf_counter() - began\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(f'{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}')\n"
)


def run_once(
    args: Sequence[str], cwd: Path, env: dict[str, str], timeout: float
) -> tuple[float, float, int] | None:
    """Run ``args``; its seconds, its peak RSS in MiB (that of its own process and of any it
    waited for) and its exit code, or None past ``timeout`` (it is then killed)."""
    with tempfile.TemporaryDirectory(prefix="run-") as folder:
        result = Path(folder) / "result"
        errors = Path(folder) / "stderr"
        with open(errors, "wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", LAUNCHER, str(result), *args],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                start_new_session=True,  # its own process group, killed as a whole
            )
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return None
        if proc.returncode != 0 or not result.exists():
            text = errors.read_text(errors="replace")[-3000:]
            raise Failed(f"{' '.join(args[:6])} ... could not be run:\n{text}")
        seconds, peak_kib, code = result.read_text().split()
        if int(code) not in (0, 1):
            text = errors.read_text(errors="replace")[-3000:]
            raise Failed(f"{' '.join(args[:6])} ... exited {code}:\n{text}")
        return float(seconds), int(peak_kib) / 1024, int(code)  # ru_maxrss: KiB on Linux


def measure(
    args: Sequence[str],
    cwd: Path,
    env: dict[str, str],
    *,
    repeat: int,
    timeout: float,
    long: float,
    before: Callable[[], object] | None = None,
) -> Figure:
    """The median time and largest peak of ``repeat`` runs (one only when a run is long)."""
    times: list[float] = []
    peaks: list[float] = []
    for _ in range(repeat):
        if before is not None:
            before()
        done = run_once(args, cwd, env, timeout)
        if done is None:
            return Figure(timeout, 0.0, len(times) + 1, timed_out=True)
        times.append(done[0])
        peaks.append(done[1])
        if done[0] > long:
            break
    return Figure(statistics.median(times), max(peaks), len(times))


# --- which mentorqa, and its environment ------------------------------------------------------


def sources(ref: str | None, into: Path) -> Path:
    """The ``src`` folder to run: the working tree's, or that of git ``ref`` unpacked into
    ``into`` (``git archive``: the repository itself is only read)."""
    if ref is None:
        return REPO / "src"
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", ref],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def child_env(src: Path, cache: Path) -> dict[str, str]:
    """The environment of a mentorqa subprocess: these sources, a private cache, a fixed
    today, no colour."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MENTORQA_FRAMEWORK_PATH", "MENTORQA_NO_CACHE", "PYTHONPATH")
    }
    env.update(
        PYTHONPATH=str(src),
        XDG_CACHE_HOME=str(cache),
        MENTORQA_TODAY=TODAY,
        NO_COLOR="1",
        COLUMNS="120",
    )
    return env


def describe(src: Path, ref: str | None, env: dict[str, str]) -> str:
    """mentorqa's version and where its sources come from."""
    version = subprocess.run(
        [*MENTORQA, "--version"], env=env, capture_output=True, text=True, check=False
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", ref or "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if ref is not None:
        return f"{version}, sources of {ref} ({commit}) from {src}"
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "src"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    state = " with uncommitted changes in src/" if dirty else ""
    return f"{version}, working tree at {commit}{state}"


def machine() -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, {platform.node()}, {os.cpu_count()} cores, "
        f"load average {load}, Python {platform.python_version()}"
    )


# --- the workspace ----------------------------------------------------------------------------


INDICATORS = (
    "import json, sys, mentorqa\n"
    "index = mentorqa.get_framework('qim').indicator_index\n"
    "ids = [i for i, (a, ind) in index.items() if sys.argv[1] in ('all', ind.method or a.method)]\n"
    "print(json.dumps(ids))"
)


def indicator_ids(env: dict[str, str], method: str = "online") -> list[str]:
    """The ids of the QiM indicators assessed ``online`` (where evidence is uploaded), or
    ``all``, asked of the mentorqa being timed (in a subprocess: its sources may be another
    version's)."""
    done = subprocess.run(
        [sys.executable, "-c", INDICATORS, method],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    ids: list[str] = json.loads(done.stdout)
    return ids


def build_workspace(
    ws: Path, records: int, file_size: int, indicators: Sequence[str], env: dict[str, str]
) -> tuple[list[str], str]:
    """Create a QiM workspace in ``ws`` holding ``records`` evidence records, spread evenly over
    ``indicators``, in the current layout (each entry names its file in mentorqa.yaml; the
    checksums, sizes and days are lines of mentorqa.evidence.tsv). Returns the evidence files'
    paths relative to ``ws``, and the same manifest in the layout of version 1 (every fact in
    mentorqa.yaml, no table), which a first write migrates."""
    init_qim(ws, "Scale", env)
    block = os.urandom(max(0, file_size - 40))
    entries: dict[str, list[tuple[str, str]]] = {ind: [] for ind in indicators}
    files: list[str] = []
    table: list[str] = []
    for n in range(records):
        ind = indicators[n % len(indicators)]
        rel = f"evidence/{ind}/doc-{n:05d}.txt"
        if len(entries[ind]) == 0:
            (ws / "evidence" / ind).mkdir(parents=True, exist_ok=True)
        data = (f"document {n:08d} of {records:08d}\n".encode() + block)[:file_size]
        with open(ws / rel, "wb") as out:
            out.write(data)
        digest = hashlib.sha256(data).hexdigest()
        entries[ind].append(
            (
                f"      - file: {rel}\n",
                f"        sha256: {digest}\n        size: {len(data)}\n"
                f"        recorded: {RECORDED}\n",
            )
        )
        table.append(f"{rel}\t{digest}\t{len(data)}\t{RECORDED}\n")
        files.append(rel)
    manifest = ws / "mentorqa.yaml"
    text = manifest.read_text(encoding="utf-8")
    for needed in ("indicators: {}\n", REGISTERED, "mentorqa: 2\n"):
        if needed not in text:
            raise SystemExit(f"mentorqa init no longer writes {needed!r}; update build_workspace")
    text = text.replace(REGISTERED, REGISTERED + UPLOADED)  # else MQA202: a deadline passed

    def layout(version: int) -> str:
        lines = ["indicators:\n"]
        for ind, items in entries.items():
            if items:
                lines.append(f"  {ind}:\n    self:\n      status: met\n    evidence:\n")
                lines.extend(entry + (facts if version == 1 else "") for entry, facts in items)
        done = text.replace("indicators: {}\n", "".join(lines))
        return done if version == 2 else done.replace("mentorqa: 2\n", "mentorqa: 1\n")

    manifest.write_text(layout(2), encoding="utf-8")
    (ws / EVIDENCE_TABLE).write_text(TABLE_HEADER + "".join(sorted(table)), encoding="utf-8")
    return files, layout(1)


def new_files(ws: Path, count: int, prefix: str, file_size: int) -> list[str]:
    """``count`` new files (not yet recorded) under evidence/new/."""
    folder = ws / "evidence" / "new"
    folder.mkdir(exist_ok=True)
    names = []
    for n in range(count):
        rel = f"evidence/new/{prefix}-{n:04d}.txt"
        (ws / rel).write_bytes((f"new {prefix} {n}\n".encode() + b"x" * file_size)[:file_size])
        names.append(rel)
    return names


class Snapshot:
    """The files in a workspace's root folder (the manifest and any file beside it), to put
    back before each timed write so that every run writes to the same workspace."""

    def __init__(self, ws: Path) -> None:
        self.ws = ws
        self.files = {p.name: p.read_bytes() for p in ws.iterdir() if p.is_file()}

    def restore(self) -> None:
        for path in self.ws.iterdir():
            if path.is_file() and path.name not in self.files:
                path.unlink()
        for name, data in self.files.items():
            (self.ws / name).write_bytes(data)


# --- one size ---------------------------------------------------------------------------------

COLUMNS = (
    "floor",
    "sha256sum",
    "status",
    "check cold",
    "check unhashed",
    "check warm",
    "check warn",
    "first add",
    "add",
    f"add {BATCH:,}",
)


@dataclass
class Settings:
    repeat: int
    timeout: float
    long: float
    file_size: int


def one_size(
    records: int,
    temp: Path,
    src: Path,
    indicators: Sequence[str],
    settings: Settings,
    skip: set[str],
) -> dict[str, Figure]:
    """Build a workspace of ``records`` records and measure every column on it."""
    cache = temp / "cache"
    env = child_env(src, cache)
    ws = temp / f"ws-{records}"
    began = time.perf_counter()
    files, version_1 = build_workspace(ws, records, settings.file_size, indicators, env)
    size = (ws / "mentorqa.yaml").stat().st_size
    print(
        f"  {records:,} records: built in {time.perf_counter() - began:.1f} s "
        f"(mentorqa.yaml {size / 2**20:.1f} MiB)",
        flush=True,
    )
    listing = temp / "files.list"
    listing.write_bytes(b"\0".join(f.encode() for f in files) + b"\0")
    figures: dict[str, Figure] = {}

    def timed(
        name: str,
        args: Sequence[str],
        before: Callable[[], object] | None = None,
        repeat: int = settings.repeat,
    ) -> None:
        if name in skip:
            figures[name] = Figure(0.0, 0.0, 0, skipped=True)
            return
        figure = measure(
            args,
            ws,
            env,
            repeat=repeat,
            timeout=settings.timeout,
            long=settings.long,
            before=before,
        )
        figures[name] = figure
        if figure.timed_out:
            skip.add(name)  # larger sizes would only take longer
        print(
            f"    {name:<11} {figure.time(settings.timeout):>10} {figure.memory():>5} MiB",
            flush=True,
        )

    def unhashed() -> None:
        (ws / ".mentorqa" / "checksums.json").unlink(missing_ok=True)

    def cold() -> None:
        unhashed()
        shutil.rmtree(cache, ignore_errors=True)

    timed("floor", FLOOR)
    timed("sha256sum", ["xargs", "-0", "-a", str(listing), "sha256sum"])
    run_once([*MENTORQA, "status"], ws, env, settings.timeout)  # fill the caches
    timed("status", [*MENTORQA, "status"])
    timed("check cold", [*MENTORQA, "check"], before=cold)
    timed("check unhashed", [*MENTORQA, "check"], before=unhashed)
    timed("check warm", [*MENTORQA, "check"])
    manifest = ws / "mentorqa.yaml"
    clean = manifest.read_bytes()
    manifest.write_bytes(clean.replace(UPLOADED.encode(), b""))
    run_once([*MENTORQA, "check"], ws, env, settings.timeout)  # fill the caches again
    timed("check warn", [*MENTORQA, "check"])
    manifest.write_bytes(clean)
    run_once([*MENTORQA, "status"], ws, env, settings.timeout)

    first, one = new_files(ws, 2, "one", settings.file_size)
    batch = new_files(ws, BATCH, "batch", settings.file_size)
    current = Snapshot(ws)

    def as_version_1() -> None:  # as mentorqa 0.2 left it, read once (so the cache knows it)
        current.restore()
        (ws / EVIDENCE_TABLE).unlink()
        manifest.write_text(version_1, encoding="utf-8")
        run_once([*MENTORQA, "status"], ws, env, settings.timeout)

    def as_before() -> None:  # the workspace before the add, read once, as a user's would be
        current.restore()
        run_once([*MENTORQA, "status"], ws, env, settings.timeout)

    # The first write after an upgrade moves every checksum into mentorqa.evidence.tsv.
    timed("first add", [*MENTORQA, "evidence", "add", indicators[0], first], before=as_version_1)
    timed("add", [*MENTORQA, "evidence", "add", indicators[1], one], before=as_before)
    timed(
        f"add {BATCH:,}",
        [*MENTORQA, "evidence", "add", indicators[2], *batch],
        before=as_before,
    )
    shutil.rmtree(ws, ignore_errors=True)
    return figures


# --- the tables -------------------------------------------------------------------------------


def ratio(a: Figure | None, b: Figure | None) -> str:
    if a is None or b is None or a.skipped or b.skipped or b.timed_out or b.seconds <= 0:
        return "-"
    sign = ">" if a.timed_out else ""
    return f"{sign}{a.seconds / b.seconds:.2f}x"


BASELINES = ("floor", "sha256sum")


def print_tables(results: dict[int, dict[str, Figure]], timeout: float) -> None:
    print()
    head = [f"{'':>7} "]
    sub = [f"{'records':>7} "]
    for column in COLUMNS:
        if column in BASELINES:
            head.append(f"{column:>11}")
            sub.append(f"{'time':>11}")
        else:
            head.append(f"{column:>17}")
            sub.append(f"{'time':>11} {'MiB':>5}")
    print("".join(head))
    print("".join(sub))
    for records, figures in results.items():
        cells = [f"{records:>7,} "]
        for column in COLUMNS:
            figure = figures.get(column, Figure(0.0, 0.0, 0, skipped=True))
            cells.append(f"{figure.time(timeout):>11}")
            if column not in BASELINES:
                cells.append(f" {figure.memory():>5}")
        print("".join(cells))
    print(
        "(median wall time; peak RSS of the command's own process; * one run only; "
        "the files are in the page cache)"
    )
    ratios = (
        ("status/floor", "status", "floor"),
        ("check warm/sha256sum", "check warm", "sha256sum"),
        ("check cold/sha256sum", "check cold", "sha256sum"),
        ("unhashed/sha256sum", "check unhashed", "sha256sum"),
        ("check warm/floor", "check warm", "floor"),
        ("check warn/warm", "check warn", "check warm"),
        ("add/status", "add", "status"),
        (f"add {BATCH:,}/status", f"add {BATCH:,}", "status"),
    )
    print()
    widths = [len(name) + 3 for name, _, _ in ratios]
    names = "".join(f"{name:>{w}}" for (name, _, _), w in zip(ratios, widths, strict=True))
    print(f"records {names}{'largest peak':>15}")
    for records, figures in results.items():
        cells = [
            f"{ratio(figures.get(a), figures.get(b)):>{w}}"
            for (_, a, b), w in zip(ratios, widths, strict=True)
        ]
        peaks = [f.peak_mib for n, f in figures.items() if n not in BASELINES and f.runs]
        peak = f"{max(peaks):.0f} MiB" if peaks else "-"
        print(f"{records:>7,} " + "".join(cells) + f"{peak:>15}")
    aims(results, timeout)


def aims(results: dict[int, dict[str, Figure]], timeout: float) -> None:
    """The figures beside the aims of issue 13's 'Done when' (printed, never asserted)."""
    print()
    print("issue 13, 'Done when' (2-core machine):")
    if 5_000 in results:
        f = results[5_000]
        print(
            f"  5,000 records: check warm {ratio(f['check warm'], f['sha256sum'])} sha256sum "
            f"(aim <= 1.0x), cold {ratio(f['check cold'], f['sha256sum'])} (aim <= 1.3x; "
            f"{ratio(f['check unhashed'], f['sha256sum'])} with only the checksums cold); "
            f"status {ratio(f['status'], f['floor'])} the floor (aim <= 1.3x)"
        )
    largest = max(results)
    f = results[largest]
    peaks = [g.peak_mib for n, g in f.items() if n not in BASELINES and g.runs]
    print(
        f"  {largest:,} records: status {f['status'].time(timeout).strip()} (aim <= 0.5 s), "
        f"check warm {f['check warm'].time(timeout).strip()} (aim <= 1 s), "
        f"add {ratio(f['add'], f['status'])} status (aim <= 1.5x), "
        f"largest peak {max(peaks, default=0):.0f} MiB (aim <= 200 MB)"
    )
    if largest != 50_000:
        print("  (the aims are set at 50,000 records; this run stopped at fewer)")


def main() -> None:
    as_installed()
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in SIZES),
        help="evidence records per workspace, comma-separated (default: %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--file-size", type=int, default=20_000, help="bytes per evidence file (20 KB)"
    )
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds before a command is stopped"
    )
    parser.add_argument(
        "--long", type=float, default=10.0, help="a run longer than this is not repeated"
    )
    parser.add_argument("--ref", metavar="GIT-REF", help="time this version's sources, e.g. HEAD")
    options = parser.parse_args()
    sizes = sorted({int(s.replace("_", "")) for s in options.sizes.split(",") if s.strip()})
    if not sizes or min(sizes) < 3 or options.repeat < 1 or options.file_size < 1:
        parser.error("sizes of at least 3 records, --repeat and --file-size of at least 1")
    settings = Settings(options.repeat, options.timeout, options.long, options.file_size)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mentorqa-scale-") as folder:
        temp = Path(folder)
        src = sources(options.ref, temp / "ref")
        env = child_env(src, temp / "cache")
        indicators = indicator_ids(env)
        print(f"machine: {machine()}")
        print(f"mentorqa: {describe(src, options.ref, env)}")
        print(
            f"workspaces: QiM, evidence spread over {len(indicators)} online indicators, "
            f"{options.file_size:,} bytes per file; --repeat {options.repeat}"
        )
        results: dict[int, dict[str, Figure]] = {}
        skip: set[str] = set()
        try:
            for records in sizes:
                results[records] = one_size(records, temp, src, indicators, settings, skip)
        except Failed as failure:
            print(f"stopped: {failure}", file=sys.stderr)
        except KeyboardInterrupt:
            print("interrupted; the sizes measured so far:", file=sys.stderr)
        if results:
            print_tables(results, options.timeout)
    print(
        f"\nfinished {dt.datetime.now():%H:%M}, {time.perf_counter() - began:.0f} s in all; ",
        end="",
    )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
