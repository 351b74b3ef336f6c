"""Every command's --help works and reads as help for people, not for programmers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from mentorqa.cli import app

from ..conftest import run


def main_in_child(
    report: str, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the console script's ``main()`` with ``args`` in a new Python, then ``report`` (a
    line of Python that may use ``sys`` and ``code``, the exit code), as a start-up probe."""
    probe = (
        "import sys\n"
        "from mentorqa.cli import main\n"
        "code = 0\n"
        "try:\n    main()\nexcept SystemExit as exit_:\n    code = exit_.code or 0\n"
        f"{report}\n"
    )
    return subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=cwd, env=env
    )


def _command_paths() -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        paths.append(path)
        if hasattr(command, "list_commands"):  # a group: its commands, built as click builds them
            context = typer.Context(command)
            for name in command.list_commands(context):
                walk(command.get_command(context, name), (*path, name))

    walk(typer.main.get_command(app), ())
    return paths


PATHS = _command_paths()


def test_every_command_is_reached() -> None:
    names = {" ".join(p) for p in PATHS}
    assert {"status", "check", "cost", "timeline", "report", "frameworks list"} <= names


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "mentorqa")
def test_help_teaches(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert "Usage: mentorqa" in result.stdout
    # On/off flags take no value; showing a type such as <bool> invites 'mentorqa status --json true'.
    assert "<bool>" not in result.stdout
    # Value kinds in words, not programming types such as <str> or <int>.
    assert not re.search(r"<(str|int|path|float|list\[\w+\])>", result.stdout)
    # Nor a programmer's range notation such as [x>=1].
    assert "x>=" not in result.stdout and "<=x" not in result.stdout
    assert "Traceback" not in result.stdout


def test_a_command_imports_only_its_own_module(tmp_path: Path) -> None:
    """Start-up cost: `mentorqa --version` loads no command and `cost` loads only its module
    (and, being a simple command line, not the command tree: see cli/fast.py)."""
    report = "print(sorted(m for m in sys.modules if m.startswith('mentorqa.cli.')))"

    def loaded(*args: str) -> str:
        return main_in_child(report, *args, cwd=tmp_path).stdout.strip().splitlines()[-1]

    assert loaded("--version") == "[]"
    cost = loaded("cost", "--framework", "qim", "--turnover", "50000")
    assert cost == (
        "['mentorqa.cli._common', 'mentorqa.cli.consoles', 'mentorqa.cli.declare', "
        "'mentorqa.cli.fast', 'mentorqa.cli.money', 'mentorqa.cli.params']"
    )


def test_the_collector_is_paused_for_start_up_only(tmp_path: Path) -> None:
    """main() pauses the garbage collector while the command is imported and built, freezes
    what start-up loaded (once a process), and lets it run again for the command itself and
    afterwards, however the run ends; a caller that had paused it finds it paused still."""
    probe = (
        "import functools, gc, sys\n"
        "import mentorqa.cli.fast as fast, mentorqa.cli.money as money\n"
        "import mentorqa.cli.root as root\n"
        "seen = []\n"
        "def spying(start):\n"
        "    @functools.wraps(start)\n"
        "    def spy(*args):\n"
        "        seen.append(gc.isenabled())\n"
        "        started = start(*args)\n"
        "        seen.append(gc.isenabled())\n"
        "        return started\n"
        "    return spy\n"
        "root.build = spying(root.build)\n"
        "fast.command_of = spying(fast.command_of)\n"
        "cost = money.cost\n"
        "@functools.wraps(cost)\n"
        "def running(**kwargs):\n"
        "    seen.append('ran' if gc.isenabled() else 'ran paused')\n"
        "    return cost(**kwargs)\n"
        "money.cost = running\n"
        "if sys.argv[1] == 'off':\n    gc.disable()\n"
        "args = ' '.join(sys.argv[2:]).split(' -- ')\n"
        "from mentorqa.cli import main\n"
        "frozen = []\n"
        "for run in args:\n"
        "    sys.argv[1:] = run.split()\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "    frozen.append(gc.get_freeze_count())\n"
        "again = all(later <= frozen[0] for later in frozen)\n"
        "print(seen, gc.isenabled(), frozen[0] > 1000, again, file=sys.stderr)\n"
    )

    def states(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=tmp_path
        )
        return done.stderr.strip().splitlines()[-1]

    cost = ("cost", "--framework", "qim", "--turnover", "50000")
    # Paused while the command line is read and the command imported, running for the
    # command; frozen once for two runs (a second freeze would add the first run's objects:
    # the frozen count would grow).
    paused_then_ran = "False, False, 'ran'"
    assert states("on", *cost, "--", *cost) == (
        f"[{paused_then_ran}, {paused_then_ran}] True True True"
    )
    assert states("off", *cost) == "[False, False, 'ran paused'] False False True"
    # Through typer (a value it words the error for): paused while the command is built.
    assert states("on", "cost", "--turnover", "x") == "[False, False, False, True] True True True"
    assert states("on", "no-such-command") == "[False, False] True False True"


def test_a_read_on_cached_files_never_imports_pydantic(qim_ws: Path) -> None:
    """typer would convert each value through a pydantic TypeAdapter; text, paths and flags are
    converted directly (cli/params.py), so a read on cached files loads no pydantic at all, nor
    does a write whose change conform.py can judge."""
    report = "print('pydantic' in sys.modules, file=sys.stderr)"

    def pydantic_loaded(*args: str) -> str:
        return main_in_child(report, *args, cwd=qim_ws).stderr.strip().splitlines()[-1]

    (qim_ws / "evidence" / "a.pdf").write_bytes(b"a")
    (qim_ws / "evidence" / "b.pdf").write_bytes(b"b")
    assert pydantic_loaded("evidence", "add", "QIM-SV-A01", "evidence/a.pdf") == "True"
    for args in (
        ("status",),
        ("check", "--json", "--workspace", "."),
        ("status", "--area", "service"),
        ("evidence", "add", "QIM-SV-A01", "evidence/b.pdf", "--note", "p. 2"),  # spliced in
        ("mark", "QIM-SV-A02", "partly-met", "--note", "judged by conform.py"),
        ("mark", "QIM-SV-A02", "met", "--by", "assessor", "--rating", "3"),
        ("plan", "add", "More mentors"),
    ):
        assert pydantic_loaded(*args) == "False", args


def test_a_write_or_a_json_read_never_imports_rich(qim_ws: Path) -> None:
    """rich is loaded by what prints rich output: a write's one-line summary, a JSON document,
    an error line, what check and init say are printed without it (cli/consoles.py); a table
    loads it."""
    report = "print('rich' in sys.modules, file=sys.stderr)"

    def rich_loaded(*args: str) -> tuple[str, str]:
        done = main_in_child(report, *args, cwd=qim_ws)
        *said, loaded = done.stderr.strip().splitlines()
        return loaded, done.stdout + "".join(said)

    (qim_ws / "evidence" / "a.pdf").write_bytes(b"a")
    for args in (
        ("evidence", "add", "QIM-SV-A01", "evidence/a.pdf"),
        ("mark", "QIM-SV-A01", "met", "--note", "p. 3"),
        ("mark", "QIM-SV-A01", "met", "--note", "again"),  # (was Met, note 'p. 3')
        ("status", "--json"),
        ("check", "--json"),
        ("check",),  # its findings and summary are lines
        ("check", "--format", "github"),
        ("mark", "QIM-XX-A99", "met"),  # an error
        ("init", str(qim_ws.parent / "new"), "--framework", "qim", "--name", "R [/] M"),
    ):
        loaded, said = rich_loaded(*args)
        assert loaded == "False", (args, said)
    assert "Created a workspace for R [/] M (Quality in Mentoring)" in said
    assert rich_loaded("status")[0] == "True"  # a table
    (qim_ws / "evidence" / "[b] café.pdf").write_bytes(b"b")
    loaded, said = rich_loaded("evidence", "add", "QIM-SV-A02", "evidence/[b] café.pdf")
    assert loaded == "True" and "evidence/[b] café.pdf" in said  # not ASCII: rich measures it


def test_a_help_shown_once_is_replayed_without_loading_the_commands(tmp_path: Path) -> None:
    """`--help` is kept in the cache folder and printed again byte for byte, without typer;
    another width is another text, and a failed request is not kept."""
    import os

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "COLUMNS": "100"}
    report = "print('typer' in sys.modules, code, file=sys.stderr)"

    def helped(*args: str, columns: str = "100") -> tuple[str, str, int]:
        done = main_in_child(report, *args, env={**env, "COLUMNS": columns})
        loaded, code = done.stderr.strip().splitlines()[-1].split()
        return done.stdout, loaded, int(code)

    first = helped("evidence", "add", "--help")
    again = helped("evidence", "add", "--help")
    assert first[1] == "True" and again[1] == "False"  # built once, then replayed
    assert again[0] == first[0] and "--valid-until" in first[0] and again[2] == 0
    wide = helped("evidence", "add", "--help", columns="140")
    assert wide[1] == "True" and wide[0] != first[0]
    assert max(len(line) for line in wide[0].splitlines()) > 100
    for _ in range(2):  # a failed request runs every time and prints its error
        failed = helped("no-such-command", "--help")
        assert failed[1] == "True" and failed[2] == 2


def test_a_help_request_with_bytes_that_are_not_utf8_is_an_error_line(tmp_path: Path) -> None:
    """Found in review: the help cache's key met the argument before the UTF-8 check did."""
    import os

    env = {**os.environb, b"XDG_CACHE_HOME": bytes(tmp_path)}
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"mentorqa", b"caf\xe9", b"--help"],
        capture_output=True,
        env=env,
    )
    assert done.returncode == 2 and done.stderr.startswith(b"error: "), done.stderr
    assert b"Traceback" not in done.stderr


def test_the_command_line_skips_pydantic_plugins_unless_asked(tmp_path: Path) -> None:
    """pydantic's search for plugins costs a first run 25-50 ms; the command line skips it
    unless PYDANTIC_DISABLE_PLUGINS is set (empty: plugins load), and a first run (which
    validates with pydantic) works either way. The variable is as it was once main() ends."""
    report = (
        "import os, pydantic.plugin._loader as plugins\n"
        "print(code, 'pydantic' in sys.modules, plugins._plugins is None, "
        "os.environ.get('PYDANTIC_DISABLE_PLUGINS'))"
    )
    example = Path(__file__).resolve().parents[2] / "examples" / "qim-riverside"
    args = ("status", "--json", "-w", str(example))
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")  # (nothing cached: pydantic validates)
    skipped = main_in_child(report, *args, cwd=tmp_path, env=env)
    assert skipped.stdout.splitlines()[-1] == "0 True True None", skipped.stderr
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache2")
    asked = main_in_child(report, *args, cwd=tmp_path, env={**env, "PYDANTIC_DISABLE_PLUGINS": ""})
    assert asked.stdout.splitlines()[-1] == "0 True False ", asked.stderr
