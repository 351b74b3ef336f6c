"""Hypothesis-driven fuzzing of the real CLI, in-process: mutated manifests, mutated framework
files and random command lines. Whatever the input, mentorqa must answer as the contract says:
no Python traceback, no hang, exit 0, 1 or 2, ``error: `` lines on stderr for exit 2, JSON on
stdout for ``--json``, and a manifest left byte for byte as it was by any command that failed
(or that only reads).

``MENTORQA_FUZZ_EXAMPLES`` sets the examples per test (default 60; 15 for mutated frameworks,
whose every example has a 700-line file parsed and its problems worded twice). With
``MENTORQA_FUZZ_REPORT=FILE`` every example appends one JSON line (its problems, if any) to
FILE and problems do not fail the test, so ``bench/reliability.py`` can count them over
thousands of cases instead of stopping at the first. ``MENTORQA_FUZZ_TIME_LIMIT`` (seconds,
default 20) is the time a single command may take before it counts as a hang.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Run, run
from tests.reliability._harness import MANIFEST, REPO, build_workspace, isolated_env

EXAMPLES = int(os.environ.get("MENTORQA_FUZZ_EXAMPLES", "60"))
FRAMEWORK_EXAMPLES = int(os.environ.get("MENTORQA_FUZZ_EXAMPLES", "15"))
REPORT = os.environ.get("MENTORQA_FUZZ_REPORT")
TIME_LIMIT = float(os.environ.get("MENTORQA_FUZZ_TIME_LIMIT", "20"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# --- hostile values ----------------------------------------------------------------------------

NESTED = "[" * 2000 + "]" * 2000
ALIAS_BOMB = "\n".join(
    ["bomb0: &b0 [x, x, x, x, x, x, x, x, x]"]
    + [f"bomb{n}: &b{n} [{', '.join([f'*b{n - 1}'] * 9)}]" for n in range(1, 10)]
)
HOSTILE: tuple[str, ...] = (
    "[/]",
    "\x1b[31m",
    "1e400",
    "-1e400",
    "9" * 400,
    "-" + "9" * 400,
    "9" * 5000,  # past Python's 4,300-digit limit on int()
    "0x" + "f" * 400,
    ".nan",
    ".inf",
    "-.inf",
    "-1",
    "0",
    "!!omap [a: 1, b: 2]",
    "!!python/object:os.system {}",
    "!!python/object/apply:os.getcwd []",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!float 1e400",
    "!!int 12",
    "!!str",
    "!!timestamp 2026-05-15T10:00:00",
    NESTED,
    "{" * 2000 + "}" * 2000,
    '"\\ud800"',
    '"evi\\0dence"',  # a NUL by YAML escape
    '"\\udfff and more"',
    "\ud800",  # a raw lone surrogate: written as invalid UTF-8
    "x" * 100_000,
    "\t",
    "\x00",
    "\r",
    "\u2028",
    "\ufeff",
    "\U0001f600",
    "é",
    "~",
    "null",
    "{}",
    "[]",
    "''",
    '"',
    "'",
    ":",
    "&a",
    "*a",
    "*undefined",
    "<<: *a",
    "? [a]",
    "- ",
    "|",
    ">",
    "---",
    "...",
    "#",
    "%",
    "@",
    "`",
    "2026-02-30",
    "2026-13-01",
    "0001-01-01",
    "9999-12-31",
    "2026-05-15T10:00:00",
    "yes",
    "no",
    "true",
    "0o17",
    "1_000",
    "£120,000",
    "../../etc/passwd",
    "/etc/passwd",
    "evidence",
    "private/notes.txt",
    "QIM-SV-A01",
    "qim",
    "nqms",
)
HOSTILE_BLOCKS: tuple[str, ...] = (
    ALIAS_BOMB,
    "a: &a [1, 2]\nb: *a\nc: *a",
    "anchor: &x {k: v}\nindicators:\n  <<: *x",
    "indicators:\n  QIM-SV-A03: {self: {status: met}}\n  QIM-SV-A03: {self: {status: met}}",
    "%YAML 1.2\n---",
    "--- !!omap\n- a: 1",
    "extra: " + NESTED,
    "x: !!python/object/new:os.system [echo pwned]",
    "\t- tab",
    "service: {name: [1, 2], turnover: {a: 1}}",
    "dates: [2026-01-01]",
    "indicators: []",
    "indicators: null",
    "framework: ../../etc/passwd",
    "framework: nqms",
    "mentorqa: 2",
    "mentorqa: 999999999999999999999999",
)

piece = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=12),
    st.text(alphabet=":-[]{}&*!|>'\"#%@`,? \n\t", max_size=8),
)


@st.composite
def mutations(draw: st.DrawFn) -> list[tuple[str, int, int, str]]:
    """A few edits: (kind, position, length, text); positions are taken modulo the text."""
    kinds = st.sampled_from(
        ("insert", "delete", "replace", "line", "drop-line", "dup-line", "value", "block", "crlf")
    )
    return draw(
        st.lists(
            st.tuples(
                kinds,
                st.integers(0, 10**6),
                st.integers(0, 60),
                piece | st.sampled_from(HOSTILE_BLOCKS),
            ),
            min_size=1,
            max_size=4,
        )
    )


def mutate(text: str, edits: list[tuple[str, int, int, str]]) -> str:
    for kind, where, length, new in edits:
        lines = text.split("\n")
        at, line_no = where % (len(text) + 1), where % len(lines)
        if kind == "insert":
            text = text[:at] + new + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + length :]
        elif kind == "replace":
            text = text[:at] + new + text[at + length :]
        elif kind == "line":
            lines[line_no] = new
            text = "\n".join(lines)
        elif kind == "drop-line":
            del lines[line_no]
            text = "\n".join(lines)
        elif kind == "dup-line":
            lines.insert(line_no, lines[line_no])
            text = "\n".join(lines)
        elif kind == "value":  # swap the value of a 'key: value' line, keeping the key
            key, sep, _ = lines[line_no].partition(": ")
            lines[line_no] = f"{key}{sep or ': '}{new}"
            text = "\n".join(lines)
        elif kind == "block":
            text = text.rstrip("\n") + "\n" + new + "\n"
        elif kind == "crlf":  # a YAML 1.2 directive and Windows line endings
            text = "%YAML 1.2\r\n---\r\n" + text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def write_raw(path: Path, text: str) -> None:
    # surrogatepass: a raw lone surrogate becomes bytes that are not UTF-8, as a broken editor
    # or a binary file would leave them.
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


# --- the commands ------------------------------------------------------------------------------

READS: tuple[tuple[str, ...], ...] = (
    ("status",),
    ("status", "--json"),
    ("status", "--level", "award", "--json"),
    ("check",),
    ("check", "--json"),
    ("check", "--strict", "--junit", "junit.xml"),
    ("timeline", "--json"),
    ("timeline", "--ics", "deadlines.ics"),
    ("report",),
    ("report", "--kind", "assessor", "--format", "html"),
    ("plan", "show"),
    ("plan", "show", "--json"),
    ("evidence", "list", "--json"),
    ("eligibility", "--json"),
    ("cost", "--json"),
    ("cost", "--years"),
    ("service",),
    ("schema",),
)
WRITES: tuple[tuple[str, ...], ...] = (
    ("mark", "QIM-SV-A03", "met"),
    ("mark", "QIM-SV-A01", "not-met", "--by", "assessor", "--note", "seen"),
    ("mark", "QIM-SV-A02", "--clear"),
    ("evidence", "add", "QIM-SV-A04", "evidence/policy.pdf", "--note", "p.9"),
    ("evidence", "remove", "QIM-SV-A01", "evidence/policy.pdf"),
    ("event", "evidence_complete", "2026-05-01"),
    ("event", "first_area_uploaded", "--clear"),
    ("service", "--name", "Renamed", "--turnover", "£250,000"),
    ("eligibility", "--answer", "vulnerable_people=yes"),
    ("visit", "2026-06-10", "--mode", "remote"),
    ("note", "service", "--strength", "Clear aims"),
    ("interview", "add", "mentor", "Mentor B", "--date", "2026-06-10", "--minutes", "15"),
    ("interview", "remove", "Mentee A"),
    ("case-study", "mentee_journey", "--title", "Referral to ending"),
    ("plan", "add", "Run a survey", "--area", "evaluation"),
    ("sign", "--name", "Jo", "--role", "Chair"),
)
COMMANDS = tuple((args, False) for args in READS) + tuple((args, True) for args in WRITES)


# --- running and judging -----------------------------------------------------------------------


# The last line of the traceback of each defect reproduced in test_defects.py and not yet
# fixed (none now: each found so far is fixed, and test_defects.py keeps it so).
KNOWN_DEFECTS: tuple[str, ...] = ()


class Hang(BaseException):
    """Raised by the timer inside a command that ran past its time limit (a BaseException, so
    no ``except Exception`` in mentorqa can swallow it)."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


@dataclass
class Outcome:
    result: Run | None
    crash: str = ""  # the traceback of an exception that escaped the CLI
    hang: bool = False


def run_limited(args: tuple[str, ...], cwd: Path) -> Outcome:
    """Run the CLI in-process, catching what escapes it and stopping it after TIME_LIMIT."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return Outcome(run(*args, cwd=cwd))
    except Hang:
        return Outcome(None, hang=True)
    except Exception:
        return Outcome(None, crash=traceback.format_exc())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def problems_of(
    outcome: Outcome, args: tuple[str, ...], before: bytes | None, after: bytes | None
) -> list[str]:
    """Every way the outcome breaks the contract; ``before``/``after`` are the manifest's bytes
    when it must not have changed (a failed command, or one that only reads), else None."""
    if outcome.hang:
        return [f"hang: no answer in {TIME_LIMIT:.0f} s"]
    if outcome.result is None:
        return ["traceback:\n" + outcome.crash]
    result, found = outcome.result, []
    if result.exit_code not in (0, 1, 2):
        found.append(f"exit code {result.exit_code}")
    if "Traceback (most recent call last)" in result.stderr + result.stdout:
        found.append("traceback printed:\n" + result.stderr[-3000:])
    if result.exit_code == 2:
        # Blank lines are layout (the help shown for a bare group ends with one).
        stray = [
            line
            for line in result.stderr.splitlines()
            if line.strip() and not line.startswith("error: ")
        ]
        if stray:
            found.append(f"stderr line without 'error: ': {stray[0][:300]!r}")
    # --help (and --version) answer before anything else, as in every click program.
    answered_first = "--help" in args or "--version" in args
    if "--json" in args and result.exit_code in (0, 1) and not answered_first:
        try:
            json.loads(result.stdout)
        except ValueError:
            found.append(f"--json printed no JSON document: {result.stdout[:300]!r}")
    if before is not None and before != after:
        found.append(f"manifest changed by a command that exited {result.exit_code}")
    return found


def judge(
    case: str,
    outcome: Outcome,
    args: tuple[str, ...],
    manifest: Path,
    before: bytes,
    writes: bool,
) -> None:
    """Fail the example (or, in report mode, record it) when the outcome breaks the contract."""
    after = manifest.read_bytes() if manifest.exists() else b""
    code = outcome.result.exit_code if outcome.result else None
    # 'eligibility --answer' records the answers and then exits 1 while a criterion is still
    # unmet (the contract's exit 1: it ran and found something that does not hold).
    answered = code == 1 and "eligibility" in args
    keep = not writes or (code != 0 and not answered)
    found = problems_of(outcome, args, before if keep else None, after)
    # Defects already reproduced in test_defects.py are counted apart, so a fuzz run that
    # happens on one again neither fails CI for it nor hides a new defect behind it.
    found = [f"known defect: {p}" if any(k in p for k in KNOWN_DEFECTS) else p for p in found]
    if not REPORT:
        found = [p for p in found if not p.startswith("known defect: ")]
    if REPORT:
        record = {"case": case, "args": list(args), "exit": code, "problems": found}
        if found:
            record["manifest"] = before.decode("utf-8", "backslashreplace")[:20_000]
        with open(REPORT, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")
        return
    assert not found, f"mentorqa {' '.join(args)!r}:\n" + "\n".join(found)


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per module; every example works on its own copy."""
    folder = tmp_path_factory.mktemp("fuzz-template")
    with isolated_env(folder / "cache"):
        return build_workspace(folder)


QIM = (REPO / "frameworks" / "qim.yaml").read_text(encoding="utf-8")


# --- the three fuzzers -------------------------------------------------------------------------


@FUZZ
@given(edits=mutations(), command=st.sampled_from(COMMANDS))
def test_mutated_manifest(
    template: Path,
    tmp_path: Path,
    edits: list[tuple[str, int, int, str]],
    command: tuple[tuple[str, ...], bool],
) -> None:
    args, writes = command
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        ws = Path(folder) / "ws"
        shutil.copytree(template, ws)
        manifest = ws / MANIFEST
        write_raw(manifest, mutate(manifest.read_text(encoding="utf-8"), edits))
        before = manifest.read_bytes()
        judge("manifest", run_limited(args, ws), args, manifest, before, writes)


@settings(FUZZ, max_examples=FRAMEWORK_EXAMPLES)
@given(edits=mutations())
def test_mutated_framework(
    template: Path, tmp_path: Path, edits: list[tuple[str, int, int, str]]
) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        ws = Path(folder) / "ws"
        shutil.copytree(template, ws)
        manifest = ws / MANIFEST
        before = manifest.read_bytes()
        # A workspace's frameworks/ folder overrides the bundled framework of the same id.
        (ws / "frameworks").mkdir()
        write_raw(ws / "frameworks" / "qim.yaml", mutate(QIM, edits))
        for args in (("frameworks", "validate", "frameworks/qim.yaml"), ("status",)):
            judge("framework", run_limited(args, ws), args, manifest, before, False)


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


VOCABULARY: tuple[str, ...] = (
    *words(
        "init eligibility cost service frameworks list show validate evidence add remove list "
        "mark event interview case-study visit note status check timeline plan add edit remove "
        "note agree show sign report schema"
    ),
    *words(
        "--help --version --json --workspace -w --level --junit --strict --no-strict --format "
        "--kind -k --output -o --ics --answer -a --framework -f --turnover --sector --years "
        "--name -n --start --by --note --rating --clear --mode --strength --suggestion --title "
        "--informs --date --minutes --area --actions --owner --target --role --valid-until"
    ),
    *words(
        "QIM-SV-A01 qim-sv-a01 QIM_SV_A01 QIM-SV-A1 met partly-met not-met not-applicable "
        "self assessor award excellence registration evidence_complete vulnerable_people=yes "
        "membership=no remote on_site mentee mentor staff mentee_journey service policies "
        "evaluation 2026-05-01 2026-02-30 120000 £120,000 -5 1e400 nan inf 3 0 99 md html pdf "
        "csv xlsx json github sarif out.md out.html out.pdf cal.ics junit.xml evidence "
        "evidence/policy.pdf private nqms qim . .. - --"
    ),
    "",
    " ",
    "x" * 5000,
    "é\u2028\U0001f600",
    "\x1b[31m",
    "[/]",
    "\t",
)


def safe_word(text: str) -> str:
    """Random text as an argument that cannot name a file outside the example's folder (an
    output option could otherwise write there)."""
    return text.replace("..", "_").lstrip("/~").replace("\x00", "")


word = st.one_of(
    st.sampled_from(VOCABULARY),
    st.sampled_from(VOCABULARY),
    st.text(max_size=20).map(safe_word),
    st.text(alphabet="-=:,./éß\u200b", max_size=6).map(safe_word),
)


@FUZZ
@given(args=st.lists(word, max_size=8))
def test_random_command_line(template: Path, tmp_path: Path, args: list[str]) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        ws = Path(folder) / "ws"
        shutil.copytree(template, ws)
        manifest = ws / MANIFEST
        before = manifest.read_bytes()
        # Any command line may write (it may be a valid write); none may fail having written.
        judge("command line", run_limited(tuple(args), ws), tuple(args), manifest, before, True)
