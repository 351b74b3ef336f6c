"""Simple command lines run without typer, and read exactly as typer reads them."""

from __future__ import annotations

import inspect
import json
import os
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorqa.cli import fast, root
from mentorqa.spec.generate import commands_json

from ..conftest import run
from .test_help import main_in_child

COMMANDS = sorted(fast.commands())


def test_the_command_lines_file_is_up_to_date() -> None:
    """Change a command's parameters, then run 'python -m mentorqa.spec.generate'."""
    assert json.loads(fast.SPEC.read_text(encoding="utf-8")) == json.loads(commands_json())


def test_every_command_with_plain_parameters_is_there() -> None:
    """Every command whose parameters are text, paths, numbers, flags and choices; each
    group's subcommands by their full name."""
    assert {"status", "check", "timeline", "cost", "mark", "evidence add", "plan add"} <= set(
        COMMANDS
    )
    assert "evidence" not in COMMANDS and "plan" not in COMMANDS  # (groups: typer's help)


def typer_reads(name: str, args: list[str]) -> dict[str, Any]:
    """What typer passes to the command's function for ``mentorqa NAME ARGS``."""
    words = name.split()
    command = root.build(words[0])
    if len(words) > 1:
        command = command.commands[words[1]]
    ctx = command.make_context(name, list(args))
    values = {}
    for param in command.params:  # as typer's callback wrapper hands lists over
        value = ctx.params[param.name]
        if (param.multiple or param.nargs == -1) and value is not None:
            value = None if param.default is None and not value else list(value)
        values[param.name] = value
    return values


def with_defaults(name: str, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` and, for the rest, the defaults of the function the fast path calls."""
    bound = inspect.signature(_function(name)).bind_partial(**given)
    bound.apply_defaults()
    return dict(bound.arguments)


def typed(values: dict[str, Any]) -> dict[str, Any]:
    """Each value with its type, and each item of a list with its own (a member of a text
    enumeration equals its text; 5 equals 5.0)."""

    def one(value: Any) -> Any:
        return [one(v) for v in value] if isinstance(value, list) else (type(value), value)

    return {name: one(value) for name, value in values.items()}


def _params(name: str) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = fast.commands()[name]["params"]
    return params


def _function(name: str) -> Any:
    return fast.named(fast.commands()[name]["function"])


# Texts that sit on the edges of how a command line is read: dashes, equals signs, numbers in
# forms Python and pydantic read differently, choices in other cases, dates, amounts; and any
# text at all.
EDGES = [
    "",
    "-",
    "--",
    "x",
    "-x",
    "-5",
    "5",
    " 5",
    "5_0",
    "+3",
    "0x1",
    "\u0661",  # ARABIC-INDIC DIGIT ONE: int() reads it
    "99999999999999999999",
    "SARIF",
    "sarif",
    "Self",
    "self",
    "assessor",
    "met",
    "2026-01-02",
    "2026-02-30",
    "£1,000",
    "12.5",
    "a=b",
    "=x",
    "ß",
    "evidence/a.pdf",
]
values = st.one_of(st.sampled_from(EDGES), st.text(max_size=6))
WHOLE = ["0", "5", "-1", "+3", "007", " 5", "5_0", "1441", "99999999999999999999"]
PARSED = ["2026-01-02", "2026-02-30", "2026-1-2", "£1,000", "1,000.50", "12.5", "90", "0", "x"]


def values_for(param: dict[str, Any]) -> st.SearchStrategy[str]:
    """Texts for one parameter: mostly of its own kind (its choices in any case, numbers,
    dates and amounts), else any of the edges."""
    if "choice" in param:
        words = [str(m.value) for m in fast.named(param["choice"])]
        own = st.sampled_from(words).flatmap(
            lambda w: st.sampled_from([w, w.upper(), w.title(), f" {w}"])
        )
    elif "parser" in param:
        own = st.sampled_from(PARSED)
    elif param.get("kind") == "int":
        own = st.sampled_from(WHOLE)
    else:
        return values
    return st.one_of(own, own, values)


@st.composite
def lines(draw: st.DrawFn, name: str) -> list[str]:
    """Command lines for ``name``, mostly well formed: some of its options (``--opt VALUE``,
    ``--opt=VALUE``, ``-wVALUE``, flags and their ``--no-`` forms) among its arguments, in any
    order, ``--`` before the arguments at times, and now and then something typer refuses."""
    params = _params(name)
    groups: list[list[str]] = []
    arguments: list[str] = []
    for param in params:
        if param.get("argument"):
            if param.get("required") or draw(st.booleans()):
                count = draw(st.integers(1, 3)) if param.get("many") else 1
                arguments += [draw(values_for(param)) for _ in range(count)]
            continue
        if not draw(st.booleans()):
            continue
        # (twice, at times, a single one too: typer keeps the last; the fast path leaves it)
        for _ in range(draw(st.sampled_from([1, 1, 1, 2]))):
            opt = draw(st.sampled_from([*param["opts"], *param.get("off", ())]))
            if param.get("flag"):
                groups.append([opt])
                continue
            value = draw(values_for(param))
            form = draw(st.sampled_from(["apart", "attached"]))
            if form == "apart":
                groups.append([opt, value])
            else:
                groups.append([f"{opt}={value}" if opt.startswith("--") else f"{opt}{value}"])
    if draw(st.integers(0, 9)) == 0:  # something typer refuses, or reads its own way
        groups.append([draw(st.sampled_from(["--help", "--bogus", "-z", "extra", "--json=1"]))])
    order = draw(st.permutations(groups)) if groups else []
    line = [token for group in order for token in group]
    if arguments and draw(st.booleans()):
        return [*line, "--", *arguments]
    at = draw(st.integers(0, len(line)))
    return [*line[:at], *arguments, *line[at:]]


@pytest.mark.parametrize("name", COMMANDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_fast_path_reads_typer_reads_too(name: str, data: st.DataObject) -> None:
    """Whatever line the fast path reads, typer reads the same values from it; a line it
    leaves alone is typer's to read (or to refuse)."""
    args = data.draw(lines(name))
    given_ = fast.parse(_params(name), args)
    if given_ is None:
        return
    assert typed(with_defaults(name, given_)) == typed(typer_reads(name, args)), args


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "--json", "-w", "ws"],
        ["status", "--all", "--all", "-w", "a", "-w", "b"],  # (the last counts, as in typer)
        ["check", "--format", "SARIF", "--junit", "out.xml", "--strict"],
        ["check", "--no-strict", "--workspace=ws"],
        ["mark", "QIM-SV-A01", "met", "--by", "assessor", "--note", "--help", "-wws"],
        ["evidence", "add", "QIM-SV-A01", "a.pdf", "b.pdf", "--note", "n"],
        ["interview", "add", "mentee", "Mentee A", "--informs", "X", "--informs", "Y"],
        ["event", "registration", "2026-03-01"],
        ["cost", "--turnover", "£120,000"],
        ["change", "add", "--", "-a dash first"],
    ],
)
def test_a_usual_command_line_runs_without_typer(args: list[str]) -> None:
    assert fast.command_of(args) is not None


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--version"],
        ["status", "--help"],
        ["status", "--bogus"],
        ["status", "--json=yes"],
        ["mark"],
        ["mark", "X", "met", "extra"],
        ["mark", "X", "met", "--rating", "5_0"],  # (pydantic's reading of a number)
        ["mark", "X", "met", "--by", "Self"],
        ["mark", "X", "met", "--note"],
        ["event", "registration", "2026-02-30"],
        ["evidence"],
        ["evidence", "add", "X"],
        ["no-such-command"],
        ["status", "--area", "caf\udcc3"],  # (bytes that are not UTF-8: typer's error)
        ["change add", "a change"],  # (one word with a space is no command)
        ["evidence list"],
    ],
)
def test_a_doubtful_command_line_is_left_to_typer(args: list[str]) -> None:
    assert fast.command_of(args) is None


def test_without_the_command_lines_file_typer_reads_every_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged or missing commands.json costs speed, never a command."""
    for text in (None, "{not json", "[]"):
        spec = tmp_path / "commands.json"
        if text is not None:
            spec.write_text(text, encoding="utf-8")
        monkeypatch.setattr(fast, "SPEC", spec)
        fast.commands.cache_clear()
        assert fast.command_of(["status"]) is None
    fast.commands.cache_clear()


def test_a_commands_json_older_than_the_code_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command whose parameters are not those the file lists (a checkout where they changed
    and the file was not written again) is left to typer."""
    spec = json.loads(fast.SPEC.read_text(encoding="utf-8"))
    spec["mark"]["params"] = [p for p in spec["mark"]["params"] if p["name"] != "rating"]
    older = tmp_path / "commands.json"
    older.write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setattr(fast, "SPEC", older)
    fast.commands.cache_clear()
    try:
        assert fast.command_of(["mark", "QIM-SV-A01", "met"]) is None
        assert fast.command_of(["status"]) is not None
    finally:
        fast.commands.cache_clear()


def test_shell_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fast.COMPLETION, "complete_bash")
    assert fast.command_of(["status"]) is None


def test_a_fast_command_loads_neither_typer_nor_rich(qim_ws: Path) -> None:
    """The whole point: `mark` and `status --json` run without typer (and without rich, which
    they do not need); a usage error is typer's own words, as before."""
    report = "print(code, 'typer' in sys.modules, 'rich' in sys.modules)"
    marked = main_in_child(report, "mark", "QIM-SV-A01", "met", "-w", str(qim_ws))
    assert marked.stdout.splitlines()[-1] == "0 False False", marked.stderr
    status = main_in_child(report, "status", "--json", "-w", str(qim_ws))
    assert status.stdout.splitlines()[-1] == "0 False False", status.stderr
    assert json.loads("\n".join(status.stdout.splitlines()[:-1]))["framework"] == "qim"
    wrong = main_in_child(report, "mark", "QIM-SV-A01", "--by", "nobody", "-w", str(qim_ws))
    assert wrong.stdout.splitlines()[-1].startswith("2 True")
    assert wrong.stderr.startswith("error: invalid value for '--by'"), wrong.stderr


def test_a_fast_command_ends_as_typer_would(qim_ws: Path) -> None:
    """Exit codes and error lines, as through typer."""
    report = "print(code, file=sys.stderr)"
    unknown = main_in_child(report, "mark", "QIM-XX-A99", "met", "-w", str(qim_ws))
    assert unknown.stderr.splitlines()[0].startswith("error: unknown indicator 'QIM-XX-A99'")
    assert unknown.stderr.splitlines()[-1] == "2"
    level = main_in_child(report, "status", "--level", "award", "-w", str(qim_ws))
    assert level.stderr.splitlines()[-1] == "1"


# Lines that end each way a command can: a table, JSON, findings, a write, an unknown id, a
# level not reached, an area that does not exist.
ENDINGS = [
    ("status",),
    ("status", "--json"),
    ("check",),
    ("check", "--format", "github"),
    ("mark", "QIM-SV-A01", "met", "--note", "n"),
    ("mark", "QIM-XX-A99", "met"),
    ("status", "--level", "award"),
    ("timeline", "--json"),
    ("evidence", "list"),
    ("note", "no-such-area", "--strength", "x"),
]


@pytest.mark.parametrize("line", ENDINGS)
def test_a_command_ends_alike_with_and_without_typer(
    line: tuple[str, ...], qim_ws: Path, tmp_path: Path
) -> None:
    """The same output, exit code and files, whichever reads the line."""
    assert fast.command_of(list(line)) is not None
    ends = []
    ws = tmp_path / "copy"  # (the same folder both times: output names it)
    for fast_path in (True, False):
        shutil.rmtree(ws, ignore_errors=True)
        shutil.copytree(qim_ws, ws)
        done = run(*line, "-w", ws, fast_path=fast_path)
        ends.append(
            (done.exit_code, done.stdout, done.stderr, (ws / "mentorqa.yaml").read_text("utf-8"))
        )
    assert ends[0] == ends[1]


def test_a_reader_that_stops_reading_ends_the_command_quietly(qim_ws: Path) -> None:
    """`mentorqa status --json | head -1`: exit 1 and nothing on stderr, as through typer."""
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "mentorqa", "status", "--json", "-w", str(qim_ws)],
            stdout=write,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1, b"")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
@pytest.mark.parametrize("how", ["ctrl-d", "ctrl-c"])
def test_an_answer_cut_short_at_a_terminal_aborts(how: str, tmp_path: Path) -> None:
    """`mentorqa init` at a terminal asks questions; Ctrl-D or Ctrl-C at one prints
    'Aborted.' and exits 1, as through typer: no traceback, no workspace."""
    primary, secondary = os.openpty()
    proc = subprocess.Popen(  # (stderr, where 'Aborted.' goes, through a pipe: a terminal
        [sys.executable, "-c", AT_A_TERMINAL, "init"],  # may drop what is written as it closes)
        stdin=secondary,
        stdout=secondary,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    os.close(secondary)
    try:
        _until(primary, b"", b"Framework")
        if how == "ctrl-d":
            os.write(primary, b"\x04")
            _, said = proc.communicate(timeout=60)
        else:
            said = _interrupted(proc)
    finally:
        proc.kill()
        os.close(primary)
    text = said.decode("utf-8", "replace")
    assert proc.returncode == 1, text
    assert text.strip() == "Aborted.", text
    assert not (tmp_path / "mentorqa.yaml").exists()


# `mentorqa ARGS` with Ctrl-C as at a terminal, even where the tests run with it ignored (a
# job a shell without job control started in the background, as a CI runner may): a program
# inherits an ignored SIGINT, and Python then never raises KeyboardInterrupt.
AT_A_TERMINAL = (
    "import signal, sys\n"
    "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    "from mentorqa.cli import main\n"
    "sys.argv[0] = 'mentorqa'\n"
    "main()\n"
)


def _interrupted(proc: subprocess.Popen[bytes]) -> bytes:
    """What ``proc`` says on stderr after Ctrl-C. (Python cannot act on a signal that comes
    just before it starts to wait for a line: it acts when the wait ends. A person presses
    Ctrl-C again; so does this, until the program ends.)"""
    for _ in range(12):
        proc.send_signal(signal.SIGINT)
        try:
            return proc.communicate(timeout=5)[1]
        except subprocess.TimeoutExpired:
            continue
    raise AssertionError("Ctrl-C did not end the program")


def _until(primary: int, shown: bytes, wanted: bytes) -> bytes:
    """What a terminal shows until ``wanted`` appears."""
    while wanted not in shown:
        ready, _, _ = select.select([primary], [], [], 60)
        assert ready, f"nothing more after {shown!r}"
        part = os.read(primary, 4096)
        assert part, f"ended without {wanted!r}: {shown!r}"
        shown += part
    return shown
