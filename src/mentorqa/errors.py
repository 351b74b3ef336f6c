"""Errors a user can act on, and the exit codes every command ends with.

The CLI turns each :class:`MentorqaError` into ``error: ...`` lines and :attr:`ExitCode.ERROR`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """What a command's exit status means (the contract's three codes)."""

    OK = 0
    NOT_HOLDING = 1  # the command ran and found that something does not hold
    ERROR = 2  # the command could not do its work


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

    exit_code = ExitCode.ERROR

    def __init__(self, problems: str | Problem | list[Problem]) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))


class UsageError(MentorqaError):
    """A value given by the user (an argument, an id, a date) that cannot be used."""


class FrameworkError(MentorqaError):
    """A framework that cannot be found, read or validated."""


class WorkspaceError(MentorqaError):
    """A workspace that cannot be found, read or written."""


class UnknownFrameworkError(FrameworkError):
    """No framework with the id asked for is available."""


def fold(value: str) -> str:
    """The form ids are compared in: case-insensitive, with '-' and '_' alike."""
    return value.strip().casefold().replace("_", "-")


def resolve(kind: str, value: str, known: Iterable[str], where: str = "") -> str:
    """The known id that ``value`` names (ids match case-insensitively, '-' and '_' alike).

    An unknown id is a :class:`UsageError` in one wording everywhere: with ``did you mean`` when
    one close id exists, otherwise the ids to choose from (or ``where`` to list them).
    """
    ids = list(known)
    folded = {fold(i): i for i in ids}
    found = folded.get(fold(value))
    if found is not None:
        return found
    raise UsageError(unknown(kind, value, ids, where))


def unknown(kind: str, value: str, known: list[str], where: str = "") -> str:
    """The one wording of an unknown id, with a did-you-mean where one close id exists."""
    import difflib  # (only when an id is wrong)

    folded = {fold(i): i for i in known}
    close = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=0.6)
    text = f"unknown {kind} '{value}'"
    if close:
        return f"{text}; did you mean '{folded[close[0]]}'?"
    if known and len(known) <= 12:
        return f"{text}; use one of: {', '.join(known)}"
    if where:
        return f"{text}; {where}"
    return (
        f"{text}; none is declared"
        if not known
        else f"{text}; use one of: {', '.join(known[:12])}, ..."
    )
