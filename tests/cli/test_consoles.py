"""A line printed without rich (cli/consoles.py) is exactly the line rich would print."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from mentorqa.cli.consoles import Stream
from mentorqa.values import visible
from mentorqa.views.terminal import esc

_WORD = st.one_of(
    # what summaries are made of, short and long
    st.sampled_from(["QIM-SV-A01:", "Met", "(by", "the", "service)", "evidence/a.pdf", "a" * 45]),
    st.text(alphabet=st.sampled_from(list("ab:.-()'/#")), min_size=1, max_size=12),
    # what rich treats apart, or what may not be one line
    st.sampled_from(
        [
            "[bold]",
            "[/]",
            "a\\",
            "\\[x]",
            "\u00e9",
            "\u4e2d",
            "\U0001f600",
            "\t",
            "\n",
            "\x1b[31m",
            "",
        ]
    ),
)
_TEXT = st.lists(_WORD, max_size=14).map(" ".join)


def piped(monkeypatch: pytest.MonkeyPatch, columns: str | None) -> None:
    """A stream that is not a terminal, nothing forcing colour, and COLUMNS as given."""
    for forcing in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(forcing, raising=False)
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)


def rich_prints(markup: str | Text, stderr: bool) -> str:
    """What rich prints for ``markup`` on a stream that is not a terminal."""
    sink = io.StringIO()
    console = Console(
        file=sink,
        highlight=False,
        soft_wrap=stderr,
        emoji=False,
        width=Stream.width_of_run(False),
    )
    console.print(markup)
    return sink.getvalue()


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=_TEXT,
    label=st.sampled_from([("", ""), ("warning:", "yellow"), ("error:", "bold red"), ("x:", "")]),
    stderr=st.booleans(),
    columns=st.sampled_from([None, "30", "80", "200"]),
)
def test_a_line_is_what_rich_prints(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    label: tuple[str, str],
    stderr: bool,
    columns: str | None,
) -> None:
    piped(monkeypatch, columns)
    word, style = label
    shown = esc(text.replace("\n", "\\n") if stderr else text)
    if word:
        shown = f"[{style}]{esc(word)}[/] {shown}" if style else f"{esc(word)} {shown}"
    stream = Stream(stderr=stderr, soft_wrap=stderr)
    capsys.readouterr()
    stream.line(text, word, style)
    printed = capsys.readouterr()
    assert (printed.err if stderr else printed.out) == rich_prints(shown, stderr)
    assert (printed.out if stderr else printed.err) == ""


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(
        st.one_of(_TEXT, st.tuples(_TEXT, st.sampled_from(["bold", "bold red", "yellow"]))),
        min_size=1,
        max_size=5,
    ),
    columns=st.sampled_from([None, "30", "80", "200"]),
    stderr=st.booleans(),
)
def test_a_styled_line_is_what_rich_prints(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    parts: list[str | tuple[str, str]],
    columns: str | None,
    stderr: bool,
) -> None:
    """Styled parts print, without rich where it would print the bare text, what rich prints
    of them assembled (their text is never markup: '[/]' in a name is shown as written), with
    control characters (ESC, tab) and line breaks shown as escapes, as everywhere workspace
    text is shown on one line."""
    piped(monkeypatch, columns)
    capsys.readouterr()
    Stream(stderr=stderr, soft_wrap=stderr).styled(*parts)
    printed = capsys.readouterr()
    said, elsewhere = (printed.err, printed.out) if stderr else (printed.out, printed.err)
    # What rich prints of the parts with their control characters shown as escapes.
    pairs = [(p, "") if isinstance(p, str) else p for p in parts]
    shown = [(visible(text.replace("\n", "\\n")), style) for text, style in pairs]
    assert said == rich_prints(Text.assemble(*shown), stderr=stderr) and elsewhere == ""
    assert "\x1b" not in said and "\t" not in said


def test_plain_lines_do_not_make_the_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    stream = Stream()
    assert stream.plain("QIM-SV-A01: Met (by the service)")
    assert stream.plain("evidence/[bold]b.pdf")  # escaped, rich prints it as it is
    assert not stream.plain("evidence/café.pdf")  # rich measures wide and narrow characters
    assert not stream.plain("x" * 81)  # too long for 80 columns: rich wraps it
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich would colour it
    assert not stream.plain("QIM-SV-A01: Met (by the service)")
    assert stream._console is None


def test_plain_lines_keep_their_order_with_stderr_in_one_log(tmp_path: Path) -> None:
    """stdout piped is block-buffered: a plain line is flushed as rich flushes its own, so a
    log that takes both streams (2>&1) has the summary before the replaced judgement."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    ws = tmp_path / "ws"
    mentorqa = [sys.executable, "-m", "mentorqa"]
    subprocess.run([*mentorqa, "init", str(ws), "--framework", "qim", "--name", "R"], env=env)
    for note in ("first", "second"):
        done = subprocess.run(
            [*mentorqa, "mark", "QIM-SV-A01", "partly-met", "--note", note, "-w", str(ws)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    assert done.stdout.splitlines() == [
        "QIM-SV-A01: Partly met (by the service)",
        "(was Partly met, note 'first')",
    ]


@pytest.mark.parametrize("forced", [False, True], ids=["piped", "colour forced"])
def test_what_init_says_shows_control_characters_as_escapes(tmp_path: Path, forced: bool) -> None:
    """A name or folder holding ESC cannot steer the terminal: it is shown as '\\x1b'; nor can
    a line break in a name start a forged line."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    if forced:
        env["FORCE_COLOR"] = "1"
    name, folder = "X\x1b[31mRED\x1b[0m\nerror: forged", tmp_path / "d\x1b[2Jx"
    init = [sys.executable, "-m", "mentorqa", "init", str(folder), "--framework", "qim"]
    done = subprocess.run(
        [*init, "--name", name],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b[31mRED" not in done.stdout and "\x1b[2J" not in done.stdout
    assert "X\\x1b[31mRED\\x1b[0m\\nerror: forged" in done.stdout and "d\\x1b[2Jx" in done.stdout
    assert not any(line.startswith("error:") for line in done.stdout.splitlines())
