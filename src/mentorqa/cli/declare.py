"""How the command modules declare their parameters and groups, without loading typer.

A command is a plain function whose parameters are annotated ``Annotated[type, Option(...)]``
or ``Annotated[type, Argument(...)]``; a group of commands is a :class:`Commands`. They take
exactly typer's arguments (``typer.Option``, ``typer.Argument``, ``typer.Typer``) and only
record them: :mod:`.root` turns them into typer's when it builds a command, and :mod:`.fast`
runs the common, simple command lines without typer at all (typer and its click are a third
of a write command's start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Option:
    """An option, declared with ``typer.Option``'s arguments (``*names``, ``help=``...)."""

    def __init__(self, *names: str, **settings: Any) -> None:
        self.names, self.settings = names, settings


class Argument:
    """A positional argument, declared with ``typer.Argument``'s arguments."""

    def __init__(self, **settings: Any) -> None:
        self.settings = settings


@dataclass(frozen=True)
class Commands:
    """A group of commands (``mentorqa evidence add|remove|list``): ``commands`` maps each
    name to its function, in the order ``--help`` lists them; ``settings`` are typer.Typer's
    (``help=``...)."""

    commands: dict[str, Callable[..., Any]]
    settings: dict[str, Any] = field(default_factory=dict)
