"""What the reliability tests and ``bench/reliability.py`` share: a realistic workspace, real
writer processes, kill -9 at varied moments, and concurrent writers with a reader.

Each campaign returns plain figures; the tests assert on them at CI sizes and the bench prints
them at harness size, so both measure exactly the same thing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-05-15"
MANIFEST = "mentorqa.yaml"
TABLE = "mentorqa.evidence.tsv"
MENTORQA = [sys.executable, "-m", "mentorqa"]
# A write that does not finish in this time is counted as stuck (a held or leaked lock).
WRITE_TIMEOUT = 30.0
# Bounds every busy-poll loop: far more polls than a writer's whole life takes (~0.5 s of
# startup is some 10^4-10^5 polls), so the loop ends by the writer exiting, not by this bound.
MAX_POLLS = 5_000_000


def cli_env(cache: Path) -> dict[str, str]:
    """The environment of a mentorqa subprocess: a fixed today, a private cache, no colour."""
    env = {k: v for k, v in os.environ.items() if k != "MENTORQA_FRAMEWORK_PATH"}
    env.update(MENTORQA_TODAY=TODAY, XDG_CACHE_HOME=str(cache), NO_COLOR="1", COLUMNS="200")
    return env


@contextmanager
def isolated_env(cache: Path) -> Iterator[None]:
    """The same environment for in-process library calls (building templates)."""
    saved = dict(os.environ)
    os.environ.update(cli_env(cache))
    os.environ.pop("MENTORQA_FRAMEWORK_PATH", None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build_workspace(folder: Path) -> Path:
    """A QiM workspace with a few records of each kind, made through the library as a user's
    scripts would, so fuzzing and killing start from a file mentorqa itself wrote."""
    import mentorqa

    ws_path = folder / "service"
    ws = mentorqa.create_workspace(
        ws_path, "qim", "Riverside Mentoring", turnover=120_000, start=dt.date(2026, 3, 1)
    )
    policy = ws_path / "evidence" / "policy.pdf"
    policy.write_bytes(b"%PDF- safeguarding policy")
    ws.add_evidence("QIM-SV-A01", policy, note="Aims on p.3")
    # Not recorded yet: a killed 'evidence add' of it changes both the manifest and the table.
    (ws_path / "evidence" / "minutes.pdf").write_bytes(b"%PDF- minutes of the board")
    ws.mark("QIM-SV-A01", "met", note="Business plan")
    ws.mark("QIM-SV-A02", "partly-met")
    ws.record_event("first_area_uploaded", dt.date(2026, 4, 14))
    ws.answer_eligibility([("membership", True), ("full_cycle", False)])
    ws.add_interview("mentee", "Mentee A", date=dt.date(2026, 6, 10), minutes=18)
    return ws_path


def temp_files(ws: Path) -> list[Path]:
    """mentorqa's own temporary files (of the manifest and the evidence table) in the
    workspace root."""
    try:
        names = os.listdir(ws)
    except OSError:
        return []
    return [ws / n for n in names if n.startswith(".mentorqa.") and n.endswith(".tmp")]


def other_temp_files(ws: Path) -> list[Path]:
    """Temporary files elsewhere in the workspace (e.g. the checksum cache's), which the
    stale-file clean-up does not look at."""
    return [p for p in ws.rglob("*.tmp") if p.parent != ws]


def parses(text: bytes) -> bool:
    """Whether a manifest is whole: valid UTF-8 YAML holding a mapping with its indicators."""
    try:
        data = yaml.safe_load(text.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and "indicators" in data


# --- kill -9 of real writers ------------------------------------------------------------------

# The writes a campaign kills: (name, arguments). Run with the workspace as the current folder
# so that relative evidence paths resolve as a user's would.
KILL_WRITES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mark", ("mark", "QIM-SV-A03", "met", "--note", "killed mid-write?")),
    ("evidence", ("evidence", "add", "QIM-SV-A04", "evidence/policy.pdf", "--note", "p.9")),
    ("new file", ("evidence", "add", "QIM-SV-A05", "evidence/minutes.pdf")),
    ("event", ("event", "evidence_complete", "2026-05-01")),
)
# The write that must succeed promptly after each kill (a held lock would make it wait).
NEXT_WRITE = ("mark", "QIM-SV-A09", "not-met", "--note", "after the kill")
KILL_MODES = ("start", "temp", "polls")


@dataclass
class KillOutcome:
    write: str
    mode: str
    polls: int
    saw_temp: bool = False
    killed: bool = False
    state: str = ""  # "before", "after" or "corrupt"
    stuck: bool = False
    next_error: str = ""
    leftover_temp: int = 0  # temp files the kill left (aged before the next write)
    temp_left: int = 0  # of those, still there after the next write
    other_temp_left: int = 0


Files = tuple[bytes, bytes | None]  # the manifest, the evidence table (None: none)


def files_of(ws: Path) -> Files:
    table = ws / TABLE
    return (ws / MANIFEST).read_bytes(), table.read_bytes() if table.exists() else None


def expected_after(template: Path, work: Path, env: dict[str, str]) -> dict[str, Files]:
    """Each killed write's result when it runs to completion on a copy of the template."""
    after: dict[str, Files] = {}
    for name, args in KILL_WRITES:
        ws = work / f"after-{name}"
        shutil.copytree(template, ws)
        done = subprocess.run(
            [*MENTORQA, *args], cwd=ws, env=env, capture_output=True, timeout=WRITE_TIMEOUT
        )
        if done.returncode != 0:
            raise RuntimeError(f"{name} failed on the template: {done.stderr.decode()}")
        after[name] = files_of(ws)
        shutil.rmtree(ws)
    return after


def kill_once(
    template: Path,
    ws: Path,
    env: dict[str, str],
    after: dict[str, Files],
    write: str,
    mode: str,
    polls: int,
) -> KillOutcome:
    """Start one write on a fresh copy, SIGKILL it at the moment ``mode`` picks, then check the
    manifest, the lock and the temp files. No sleeps: moments are chosen by busy-polling."""
    args = dict(KILL_WRITES)[write]
    shutil.copytree(template, ws)
    before = files_of(ws)
    outcome = KillOutcome(write, mode, polls)
    proc = subprocess.Popen(
        [*MENTORQA, *args],
        cwd=ws,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if mode == "temp":  # until the write is between creating its temp file and replacing
        for _ in range(MAX_POLLS):
            if temp_files(ws):
                outcome.saw_temp = True
                break
            if proc.poll() is not None:
                break
    elif mode == "polls":  # a random point in the writer's life (startup, read, write)
        for _ in range(polls):
            if proc.poll() is not None:
                break
            outcome.saw_temp = outcome.saw_temp or bool(temp_files(ws))
    outcome.killed = proc.poll() is None
    if outcome.killed:
        proc.kill()
    proc.wait()
    # The table is written first with the new lines (harmless to the old manifest), then the
    # manifest: the old manifest may meet either table, the new one only the new table.
    text, table = files_of(ws)
    if text == before[0] and table in (before[1], after[write][1]):
        outcome.state = "before"
    elif (text, table) == after[write]:
        outcome.state = "after"
    else:
        outcome.state = "corrupt"
    if not parses(text):
        outcome.state = "corrupt"
    # A leftover temp file is a killed writer's; age it past the one-minute rule, so the next
    # write must remove it (a fresh one could belong to a live writer and must stay).
    leftovers = temp_files(ws)
    outcome.leftover_temp = len(leftovers)
    old = time.time() - 120
    for path in leftovers:
        os.utime(path, (old, old))
    try:
        done = subprocess.run(
            [*MENTORQA, *NEXT_WRITE],
            cwd=ws,
            env=env,
            capture_output=True,
            timeout=WRITE_TIMEOUT,
        )
        if done.returncode != 0:
            outcome.stuck = True
            outcome.next_error = done.stderr.decode(errors="replace")[-2000:]
    except subprocess.TimeoutExpired:
        outcome.stuck = True
        outcome.next_error = f"the next write did not finish in {WRITE_TIMEOUT:.0f} s"
    outcome.temp_left = sum(1 for p in leftovers if p.exists())
    outcome.other_temp_left = len(other_temp_files(ws))
    return outcome


def kill_campaign(
    template: Path, work: Path, env: dict[str, str], kills: int, seed: int, workers: int = 1
) -> list[KillOutcome]:
    """``kills`` kill -9s spread over the write kinds and moments; ``workers`` at a time."""
    after = expected_after(template, work, env)
    rng = random.Random(seed)
    plan = [
        (
            KILL_WRITES[n % len(KILL_WRITES)][0],
            KILL_MODES[n % len(KILL_MODES)],
            rng.randrange(60_000),
        )
        for n in range(kills)
    ]

    def one(n: int) -> KillOutcome:
        write, mode, polls = plan[n]
        outcome = kill_once(template, work / f"kill-{n}", env, after, write, mode, polls)
        shutil.rmtree(work / f"kill-{n}", ignore_errors=True)
        return outcome

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, range(kills)))


# --- concurrent writers ------------------------------------------------------------------------

# A writer process: opens the workspace once, says it is ready, waits for the start line on
# stdin (so every writer starts at once and startup is not timed), then records its updates.
WRITER_SCRIPT = """
import sys, time, mentorqa
from tests.reliability._harness import slot_of
ws = mentorqa.open_workspace(sys.argv[1])
writer, count = int(sys.argv[2]), int(sys.argv[3])
ids = list(ws.framework.indicator_index)
print("ready", flush=True)
sys.stdin.readline()
start = time.perf_counter()
for update in range(count):
    indicator, by = slot_of(ids, writer, update)
    ws.mark(indicator, "met", by=by, note=f"writer {writer} update {update}")
print(time.perf_counter() - start, flush=True)
"""

WRITERS = 8


def slot_of(ids: list[str], writer: int, update: int) -> tuple[str, str]:
    """The (indicator, judge) a writer's update marks. Writer w owns the slots w, w+8, ...,
    so no two writers touch the same judgement; a writer reuses its slots only past 21 updates
    (QiM: 84 indicators x 2 judges = 168 slots)."""
    slots = [(i, by) for by in ("self", "assessor") for i in ids]
    return slots[(writer + WRITERS * update) % len(slots)]


@dataclass
class WritersOutcome:
    writers: int
    updates: int  # per writer
    via: str
    seconds: float
    lost: int
    failed_writes: list[str] = field(default_factory=list)
    reads: int = 0
    reader_errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.writers * self.updates / self.seconds if self.seconds else 0.0


def lost_updates(ws: Path, writers: int, updates: int) -> int:
    """Slots whose final judgement is not the last update written to them (0 when nothing
    was lost; with at most 21 updates per writer every update has its own slot)."""
    import mentorqa

    workspace = mentorqa.open_workspace(ws)
    ids = list(workspace.framework.indicator_index)
    expected: dict[tuple[str, str], str] = {}
    for w in range(writers):
        for u in range(updates):
            expected[slot_of(ids, w, u)] = f"writer {w} update {u}"
    data = yaml.safe_load((ws / MANIFEST).read_text(encoding="utf-8"))
    indicators = data.get("indicators") or {}
    lost = 0
    for (indicator, by), note in expected.items():
        record = indicators.get(indicator) or {}
        judgement = record.get(by) if isinstance(record, dict) else None
        if not isinstance(judgement, dict) or judgement.get("note") != note:
            lost += 1
    return lost


class Reader(threading.Thread):
    """Runs ``status --json`` over and over, and reads the raw manifest between runs, until
    stopped; records anything but a whole file and a clean JSON answer."""

    def __init__(self, ws: Path, env: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.ws, self.env = ws, env
        self.stop = threading.Event()
        self.reads = 0
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            raw = (self.ws / MANIFEST).read_bytes()
            if not parses(raw):
                self.errors.append(f"partial manifest read ({len(raw)} bytes)")
            try:
                done = subprocess.run(
                    [*MENTORQA, "status", "--json", "-w", str(self.ws)],
                    env=self.env,
                    capture_output=True,
                    timeout=WRITE_TIMEOUT,
                )
            except subprocess.TimeoutExpired:
                self.errors.append("status --json hung")
                continue
            self.reads += 1
            if done.returncode != 0:
                self.errors.append(f"status --json exit {done.returncode}: {done.stderr!r}")
                continue
            try:
                json.loads(done.stdout)
            except ValueError:
                self.errors.append(f"status --json printed no JSON document: {done.stdout!r}")


def run_writers(
    template: Path,
    ws: Path,
    env: dict[str, str],
    writers: int,
    updates: int,
    via: str = "library",
    reader: bool = True,
) -> WritersOutcome:
    """``writers`` processes each recording ``updates`` distinct judgements at once, via the
    library (one process per writer) or the CLI (one ``mentorqa mark`` process per update),
    with a reader running alongside."""
    shutil.copytree(template, ws)
    import mentorqa

    ids = list(mentorqa.open_workspace(ws).framework.indicator_index)
    outcome = WritersOutcome(writers, updates, via, 0.0, 0)
    watcher = Reader(ws, env) if reader else None
    child_env = {**env, "PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])}
    if via == "library":
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER_SCRIPT, str(ws), str(w), str(updates)],
                env=child_env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for w in range(writers)
        ]
        for proc in procs:  # every writer has started Python and opened the workspace
            assert proc.stdout is not None
            proc.stdout.readline()
        if watcher:
            watcher.start()
        start = time.perf_counter()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            _, err = proc.communicate(timeout=WRITE_TIMEOUT * max(1, updates))
            if proc.returncode != 0:
                outcome.failed_writes.append(err[-2000:])
        outcome.seconds = time.perf_counter() - start
    else:

        def cli_writer(w: int) -> list[str]:
            failures = []
            for u in range(updates):
                indicator, by = slot_of(ids, w, u)
                note = f"writer {w} update {u}"
                args = ["mark", indicator, "met", "--by", by, "--note", note, "-w", str(ws)]
                try:
                    done = subprocess.run(
                        [*MENTORQA, *args],
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=WRITE_TIMEOUT,
                    )
                except subprocess.TimeoutExpired:
                    failures.append(f"mark took over {WRITE_TIMEOUT:.0f} s (a stuck lock?)")
                    continue
                if done.returncode != 0:
                    failures.append(done.stderr[-2000:])
            return failures

        if watcher:
            watcher.start()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=writers) as pool:
            for failures in pool.map(cli_writer, range(writers)):
                outcome.failed_writes += failures
        outcome.seconds = time.perf_counter() - start
    if watcher:
        watcher.stop.set()
        watcher.join(timeout=WRITE_TIMEOUT * 2)
        outcome.reads, outcome.reader_errors = watcher.reads, watcher.errors
    outcome.lost = lost_updates(ws, writers, updates)
    return outcome
