"""Simple command lines run without typer.

Importing typer and its click, and building a command, is some 30 ms of a command that takes
130: a quarter of a write, and most of what a script or a CI job waits for beyond Python itself.
Most command lines are simple: a command, its arguments, options by their full or short names.
For those, this module reads the line as typer's parser would, from ``commands.json`` (written
by :mod:`.describe` from the commands typer builds, so there is one declaration of each
parameter), and calls the command's function itself.

Anything it is not sure of is left to typer, which then reads the line afresh: ``--help``, an
unknown option, a flag given a value, a missing or an extra argument, a value that does not
convert, shell completion, Windows (whose shell leaves wildcards to the program), a missing or
stale ``commands.json``. So every usage error, and all help, is typer's own; a property test
holds what this module reads to what typer reads. A command that ends in an error ends as
through typer: the same lines, the same exit code.
"""

from __future__ import annotations

import contextlib
import enum
import importlib
import inspect
import json
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import MentorqaError
from ._common import encodable, err, out, report_error
from .params import PLAIN_BY_NAME

SPEC = Path(__file__).with_name("commands.json")
COMPLETION = "_MENTORQA_COMPLETE"  # set by the shell when it asks typer for completions


@cache
def commands() -> dict[str, Any]:
    """The command lines this module may read: see :mod:`.describe`. (Nothing if the file is
    missing or damaged: typer then reads every line, as it did before this module.)"""
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
    except _aborted():  # an answer at a terminal cut short (Ctrl-C, Ctrl-D), as typer says it
        err.print("Aborted.")
        sys.exit(1)
    except EOFError:  # as typer: stdin ended where a command read it (not an answer: above)
        sys.stderr.write("\n")
        err.print("Aborted.")
        sys.exit(1)
    except KeyboardInterrupt:  # as typer: Ctrl-C outside a question ends quietly
        sys.exit(130)
    except BrokenPipeError:  # as typer: a reader that stopped reading (`| head`)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (no second error)
        sys.exit(1)
    sys.exit(0)


def _aborted() -> tuple[type[BaseException], ...]:
    """typer's Abort, when the command has loaded typer (to ask questions at a terminal)."""
    typer = sys.modules.get("typer")
    return (typer.Abort,) if typer is not None else ()


def command_of(args: list[str]) -> tuple[Callable[..., Any], dict[str, Any]] | None:
    """The function ``mentorqa ARGS`` calls and its arguments; None: leave the line to typer."""
    if sys.platform == "win32" or COMPLETION in os.environ or not args:
        return None
    known = commands()
    name, rest = args[0], args[1:]
    if " " in name:
        return None  # ("change add" as one word is no command: typer says so)
    if name not in known and rest:
        name, rest = f"{args[0]} {args[1]}", args[2:]
    if name not in known or not all(encodable(arg) for arg in args):
        return None
    try:
        function = named(known[name]["function"])
        params = known[name]["params"]
        if {p["name"] for p in params} != set(inspect.signature(function).parameters):
            return None  # (a commands.json older than the code, in a checkout)
        kwargs = parse(params, rest)
    except (LookupError, AttributeError, ImportError, TypeError, ValueError):
        return None  # a damaged commands.json
    return None if kwargs is None else (function, kwargs)


class _Doubt(Exception):
    """The line is not one this module reads with certainty."""


def parse(params: list[dict[str, Any]], args: list[str]) -> dict[str, Any] | None:
    """The values ``args`` give, by parameter name, as typer's parser reads them (those not
    given are left to the function's defaults); None at the first doubt."""
    try:
        return _parse(params, args)
    except _Doubt:
        return None


def _parse(params: list[dict[str, Any]], args: list[str]) -> dict[str, Any]:
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
            raise _Doubt  # typer says which options there are
        if param.get("flag"):
            if attached is not None:
                raise _Doubt
            _record(given, param, name in param["opts"])
            continue
        text = attached if attached is not None else next(rest, None)
        if text is None:
            raise _Doubt
        _record(given, param, _value(param, text))
    for param in (p for p in params if p.get("argument")):
        taken = positional if param.get("many") else positional[:1]
        positional = positional[len(taken) :]
        for text in taken:
            _record(given, param, _value(param, text))
    if positional or any(p.get("required") and p["name"] not in given for p in params):
        raise _Doubt  # an extra argument, or a missing one: typer words it
    return given


def _record(given: dict[str, Any], param: dict[str, Any], value: Any) -> None:
    """Add one value of ``param`` to ``given``; of a single one given twice, the last counts,
    as in typer."""
    if param.get("many"):
        given.setdefault(param["name"], []).append(value)
    else:
        given[param["name"]] = value


def _value(param: dict[str, Any], text: str) -> Any:
    """The value of one given text, as typer converts it."""
    try:
        if "parser" in param:
            return named(param["parser"])(text)
        if "choice" in param:
            return _choice(named(param["choice"]), text, param.get("fold", False))
        return PLAIN_BY_NAME[param["kind"]](text)
    except Exception:  # whatever a parser raises (or an unknown kind), typer reports it
        raise _Doubt from None


def _choice(choices: type[enum.Enum], text: str, fold: bool) -> enum.Enum:
    for member in choices:
        if member.value == text or (
            fold and text.isascii() and str(member.value).lower() == text.lower()
        ):
            return member
    raise _Doubt


def named(qualified: str) -> Any:
    """``module:name`` in this package."""
    module, _, name = qualified.partition(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)
