"""What every command shares: consoles, the error mapping, options, JSON output."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from ..completion import complete_ids
from ..errors import ExitCode, MentorqaError
from .consoles import Stream
from .declare import Argument, Option

# What commands show wraps at word boundaries to the terminal's width (80 columns when piped).
# Error and warning lines on stderr are never wrapped, so each problem stays one line to grep.
out = Stream()
err = Stream(stderr=True, soft_wrap=True)


def report_error(exc: MentorqaError) -> None:
    """One ``error:`` line per problem; a newline in a name cannot forge a second line."""
    for problem in exc.problems:
        err.line(str(problem), "error:", "bold red")


def encodable(text: str) -> bool:
    """Whether text can be stored and printed (bytes that are not UTF-8 arrive as surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def print_json(document: Any) -> None:
    """One JSON document on stdout, nothing else there."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=_json_default))
    sys.stdout.write("\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_output(workspace: Any, path: Path, data: str | bytes) -> None:
    """Write an output file that can never replace the manifest or recorded evidence."""
    from ..store.files import write_output as write

    write(path, data, workspace.protected_files() if workspace is not None else frozenset())


def show(lines: list[Any]) -> None:
    """Print a view's lines and tables on stdout."""
    for line in lines:
        out.print(line)


def finish(result: Any, json: bool = False, view: list[Any] | None = None) -> None:
    """Print ``result`` as JSON or as ``view``, then end with the result's own exit code."""
    if json:
        print_json(result.to_dict())
    elif view is not None:
        show(view)
    code = ExitCode(result.exit_code)
    if code is not ExitCode.OK:
        raise SystemExit(int(code))


def said(change: Any) -> None:
    """What a write did, and what it replaced."""
    out.line(change.summary)
    if change.replaced:  # stderr: one line each, whatever the text holds
        err.line(f"({change.replaced})")
    for warning in change.warnings:
        err.line(warning, "warning:", "yellow")


def _date(text: str) -> date:
    from ..errors import UsageError
    from ..values import parse_date

    try:
        return parse_date(text, "")
    except UsageError as exc:
        from typer import BadParameter  # (typer reads the command line whenever this fails)

        raise BadParameter(str(exc).strip()) from None


def _amount(text: str) -> float:
    from ..errors import UsageError
    from ..values import parse_amount

    try:
        return parse_amount(text, "")
    except UsageError as exc:
        from typer import BadParameter  # (typer reads the command line whenever this fails)

        raise BadParameter(str(exc).strip()) from None


def _minutes(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 24 * 60:
        from typer import BadParameter

        raise BadParameter(f"'{text}' is not a number of minutes from 1 to 1440")
    return int(text)


def minutes_option(help: str) -> Any:
    return Option(metavar="MINUTES", parser=_minutes, help=help, show_default=False)


def date_option(*names: str, help: str) -> Any:
    """An option whose value is a DATE, checked as the command line is read."""
    return Option(*names, metavar="DATE", parser=_date, help=help, show_default=False)


def amount_option(*names: str, help: str) -> Any:
    return Option(*names, metavar="AMOUNT", parser=_amount, help=help, show_default=False)


def date_argument(help: str) -> Any:
    return Argument(metavar="DATE", parser=_date, help=help, show_default=False)


JsonOption = Annotated[
    bool, Option("--json", help="Print one JSON document on stdout instead of a table.")
]
WorkspaceOption = Annotated[
    Path | None,
    Option(
        "--workspace",
        "-w",
        metavar="DIR",
        help="The workspace folder. Default: the current folder or the nearest parent holding "
        "mentorqa.yaml.",
        show_default=False,
    ),
]


IndicatorArgument = Annotated[
    str,
    Argument(
        metavar="INDICATOR",
        help="Indicator id, e.g. QIM-SV-A01.",
        autocompletion=complete_ids("indicator"),
    ),
]
