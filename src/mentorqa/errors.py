"""Errors a user can act on. The CLI turns each into ``error: ...`` lines and an exit code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem, optionally tied to a place in a file (line and column count from 1)."""

    message: str
    file: Path | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        place = str(self.file)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return f"{place}: {self.message}"


class MentorqaError(Exception):
    """A problem the user can fix: bad usage, bad input, a file that cannot be read.

    Carries one or more :class:`Problem` so several problems give several lines.
    """

    exit_code = 2

    def __init__(self, problems: str | Problem | list[Problem]) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))


class UsageError(MentorqaError):
    """A command-line argument that cannot be used."""


class FrameworkError(MentorqaError):
    """A framework that cannot be found, read or validated."""


class WorkspaceError(MentorqaError):
    """A workspace that cannot be found, read or written."""


class UnknownFrameworkError(FrameworkError):
    """No framework with the id asked for is available."""
