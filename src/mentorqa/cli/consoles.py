"""stdout and stderr as the commands print to them: rich consoles, made at their first use.

Loading rich costs about 30 ms, a sixth of a write command, which prints one line of plain
text; and a ``--json`` command prints no rich at all. So each console is made when a command
first prints rich output through it, and :meth:`Stream.line` prints a line of workspace text
straight to the stream where rich would print exactly that text (a stream that is not a
terminal, no colour forced, printable ASCII within the width): a property test holds the two
to the same output.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

# Variables that make rich treat a stream as a terminal (or as a notebook) whatever it is.
_FORCING = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS")


class Stream:
    """A rich console for stdout or stderr, made when first used."""

    def __init__(self, stderr: bool = False, soft_wrap: bool = False) -> None:
        self.stderr, self.soft_wrap = stderr, soft_wrap
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            # No ':name:' becomes an emoji: a note that says ':warning:' is shown as written.
            self._console = Console(
                stderr=self.stderr, highlight=False, soft_wrap=self.soft_wrap, emoji=False
            )
            self.fit()
        return self._console

    def fit(self) -> None:
        """Wrap at the width of this run: COLUMNS, else the terminal's, else 80 (piped). Set
        per run (when the console is made, and again at each run of a command in the same
        process), because a console made earlier would keep the width of that moment."""
        if self._console is not None and not self.stderr:
            self._console.width = self.width_of_run(self._console.is_terminal)

    @staticmethod
    def width_of_run(terminal: bool) -> int:
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return shutil.get_terminal_size().columns if terminal else 80

    @property
    def file(self) -> TextIO:
        return sys.stderr if self.stderr else sys.stdout

    @property
    def is_terminal(self) -> bool:
        return self.console.is_terminal

    @property
    def width(self) -> int:
        return self.console.width

    def print(self, *objects: Any, **options: Any) -> None:
        self.console.print(*objects, **options)

    def line(self, text: str, label: str = "", style: str = "") -> None:
        """Print workspace ``text`` as it is written, after ``label`` (a word such as
        ``warning:``, in ``style`` on a terminal); on stderr, always on one line: no line
        break (``\\n``, U+2028...) or control character of the text's own can start a forged
        second ``error:`` line."""
        head = [(label, style), (" ", "")] if label else []
        self._show([*head, (text, "")], one_line=self.stderr)

    def styled(self, *parts: str | tuple[str, str]) -> None:
        """Print one line made of ``parts``: text as it is written, or (text, style) for text
        styled on a terminal, always on one line (a name cannot start a forged second line)."""
        self._show([(part, "") if isinstance(part, str) else part for part in parts], True)

    def _show(self, parts: list[tuple[str, str]], one_line: bool) -> None:
        """Print text parts, each in its style on a terminal. Nothing in them is markup, so
        nothing needs escaping, but control characters are shown as escapes (see
        ``values.visible``), and line breaks too for ``one_line``. Where rich would print the
        bare text (see :meth:`plain`), rich is not loaded."""
        from ..values import visible

        shown = [(visible(t.replace("\n", "\\n") if one_line else t), s) for t, s in parts]
        if self._bare("".join(text for text, _ in shown)):
            return
        from rich.text import Text

        self.print(Text.assemble(*shown))

    def _bare(self, whole: str) -> bool:
        """Write ``whole`` and a line break straight to the stream, if rich would print just
        that (see :meth:`plain`); whether it did."""
        if not self.plain(whole):
            return False
        stream = self.file
        stream.write(whole + "\n")
        stream.flush()  # as rich does: stdout's lines stay in order with stderr's
        return True

    def plain(self, text: str) -> bool:
        """Whether rich would print ``text`` (as escaped text) exactly as it is, plus a line
        break: nothing for rich to style, wrap or measure."""
        if not (text.isascii() and text.isprintable()):
            return False  # (markup needs no care: what rich prints of escaped text is the text)
        if self._console is not None:  # made already: its own decision stands
            if self._console.is_terminal:
                return False
        elif _terminal(self.file):
            return False
        return self.soft_wrap or len(text) <= self.width_of_run(False)


def _terminal(stream: TextIO) -> bool:
    """Whether rich could treat ``stream`` as a terminal (any doubt counts as yes)."""
    if any(name in os.environ for name in _FORCING) or "ipykernel" in sys.modules:
        return True
    if hasattr(sys.stdin, "__module__") and sys.stdin.__module__.startswith("idlelib"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return True
