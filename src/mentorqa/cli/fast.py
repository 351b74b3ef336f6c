"""Simple command lines run without typer.

Importing typer and its click, and building a command, is some 40 ms of a command that takes
130: a third of a write, and most of what a script or a CI job waits for beyond Python itself.
Most command lines are simple: a command, its arguments, options by their full or short names.
For those, this module reads the line as typer's parser would, from ``commands.json`` (written
by :func:`.root.describe` from the commands typer builds, so there is one declaration of each
parameter), and calls the command's function itself.

Anything it is not sure of is left to typer, which then reads the line afresh: ``--help``, an
unknown or repeated option, a missing argument, a value that does not convert, shell
completion, Windows (whose shell leaves wildcards to the program). So every usage error, and
all help, is typer's own; a property test holds what this module reads to what typer reads.
"""

from __future__ import annotations

import enum
import importlib
import json
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import MentorqaError
from ._common import encodable, err, out, report_error

SPEC = Path(__file__).with_name("commands.json")
COMPLETION = "_MENTORQA_COMPLETE"  # set by the shell when it asks typer for completions


@cache
def commands() -> dict[str, Any]:
    """The command lines this module may read: see :func:`.root.describe`. (Nothing if the file
    is missing or damaged: typer then reads every line, as it did before this module.)"""
    try:
        loaded = json.loads(SPEC.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def run(args: list[str]) -> None:
    """Run ``mentorqa ARGS`` and exit, if the line is simple; else return, having done nothing."""
    found = command_of(args)
    if found is None:
        return
    function, kwargs = found
    from . import resume

    resume()  # what start-up loaded lives until the end: see main()
    out.fit()
    try:
        function(**kwargs)
    except MentorqaError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
    except EOFError:  # as typer: an answer cut short at a terminal
        sys.stderr.write("\n")
        err.print("Aborted.")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # as typer: a reader that stopped reading (`| head`)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    sys.exit(0)


def command_of(args: list[str]) -> tuple[Callable[..., Any], dict[str, Any]] | None:
    """The function ``mentorqa ARGS`` calls and its arguments; None: leave the line to typer."""
    if sys.platform == "win32" or COMPLETION in os.environ or not args:
        return None
    known = commands()
    name, rest = args[0], args[1:]
    if name not in known and rest:
        name, rest = f"{args[0]} {args[1]}", args[2:]
    spec = known.get(name)
    if spec is None or not all(encodable(arg) for arg in args):
        return None
    module, _, attribute = spec["function"].partition(":")
    function = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
    kwargs = parse(spec["params"], rest)
    return None if kwargs is None else (function, kwargs)


def parse(params: list[dict[str, Any]], args: list[str]) -> dict[str, Any] | None:
    """The values ``args`` give, by parameter name, as typer's parser reads them (those not
    given are left to the function's defaults); None at the first doubt."""
    options = {name: p for p in params for name in (*p.get("opts", ()), *p.get("off", ()))}
    given: dict[str, Any] = {}
    positional: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            positional += rest  # everything after is an argument, even "-x"
            break
        if arg[:1] != "-" or len(arg) == 1:
            positional.append(arg)  # ("-" alone is an argument: stdin, by convention)
            continue
        if arg.startswith("--"):
            name, equals, value = arg.partition("=")
            attached = value if equals else None
        else:  # -w DIR or -wDIR (typer reads "-w=DIR" as the value "=DIR", as this does)
            name, attached = arg[:2], (arg[2:] or None)
        param = options.get(name)
        if param is None:
            return None  # typer says which options there are
        if param.get("flag"):
            if attached is not None:
                return None
            text: Any = name in param["opts"]
        elif attached is not None:
            text = attached
        else:
            text = next(rest, None)
            if text is None:
                return None
        if not _given(given, param, text):
            return None
    arguments = [p for p in params if p.get("argument")]
    for param in arguments:
        if not positional:
            break
        taken = positional if param.get("many") else positional[:1]
        positional = positional[len(taken) :]
        for text in taken:
            if not _given(given, param, text):
                return None
    if positional or any(p.get("required") and p["name"] not in given for p in params):
        return None  # an extra argument, or a missing one: typer words it
    return given


def _given(given: dict[str, Any], param: dict[str, Any], text: Any) -> bool:
    """Record one value of ``param``; False if it does not convert or is given twice."""
    name = param["name"]
    if name in given and not param.get("many"):
        return False  # (typer keeps the last; rare enough to leave to it)
    try:
        value = _value(param, text)
    except Exception:  # whatever a parser raises, typer reports it
        return False
    if value is _DOUBT:
        return False
    if param.get("many"):
        given.setdefault(name, []).append(value)
    else:
        given[name] = value
    return True


_DOUBT = object()
_DIGITS = frozenset("0123456789")


def _value(param: dict[str, Any], text: Any) -> Any:
    """The value of one given text, as typer converts it (_DOUBT where this cannot be sure)."""
    if param.get("flag"):
        return text
    if "parser" in param:
        return _named(param["parser"])(text)
    if "choice" in param:
        choices: type[enum.Enum] = _named(param["choice"])
        for member in choices:
            if member.value == text or (
                param.get("fold") and text.isascii() and str(member.value).lower() == text.lower()
            ):
                return member
        return _DOUBT
    kind = param["kind"]
    if kind == "text":
        return text
    if kind == "path":
        return Path(text)
    digits = text[1:] if text[:1] in "+-" else text
    if kind == "whole" and 0 < len(digits) <= 18 and set(digits) <= _DIGITS:
        return int(text)
    return _DOUBT


def _named(qualified: str) -> Any:
    """``module:name`` in this package."""
    module, _, name = qualified.partition(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)
