"""What every command shares: consoles, the error mapping, options, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from ..completion import complete_ids
from ..errors import ExitCode, MentorqaError
from .consoles import Stream

# What commands show wraps at word boundaries to the terminal's width (80 columns when piped).
# Error and warning lines on stderr are never wrapped, so each problem stays one line to grep.
out = Stream()
err = Stream(stderr=True, soft_wrap=True)


def report_error(exc: MentorqaError) -> None:
    """One ``error:`` line per problem; a newline in a name cannot forge a second line."""
    for problem in exc.problems:
        err.line(str(problem), "error:", "bold red")


# Value kinds as a non-programmer reads them: recent typer prints <str>, <int>, <path>, and
# <bool> beside on/off flags, which reads as if a value had to be typed after them.
_PLAIN_TYPES = {"<str>": "TEXT", "<int>": "NUMBER", "<path>": "PATH", "<float>": "NUMBER"}


def _plain_types(cls: type) -> None:
    original: Callable[[Any, Any], str | None] | None = getattr(cls, "display_type_rich", None)
    if original is None:  # older typer: click's own help, which has none of this
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        shown = original(self, ctx)
        if shown is None:
            return None
        # A repeatable option shows <list[str]>: the kind of one value is what a person types.
        inner = shown.removeprefix("<list[").removesuffix("]>").lower()
        return _PLAIN_TYPES.get(f"<{inner}>", _PLAIN_TYPES.get(shown, shown))

    cls.display_type_rich = display_type_rich  # type: ignore[attr-defined]


_plain_types(TyperOption)
_plain_types(TyperArgument)


try:  # typer >= 0.20 carries its own copy of click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer on top of click
    from click.exceptions import ClickException  # type: ignore[no-redef,import-not-found,assignment,unused-ignore]


class Group(TyperGroup):
    """Maps every :class:`MentorqaError` to ``error: ...`` lines and its exit code, in one place.

    Usage mistakes the parser finds (a missing argument, an unknown option, a value of the wrong
    type) get the same one-line form, with where to look for help, instead of a boxed panel.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        def run() -> Any:
            return super(Group, self).main(
                args,
                prog_name,
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )

        from . import params

        params.install(self)  # the group's own options (--version, completion): no pydantic
        if not standalone_mode:
            return run()
        out.fit()
        given = list(sys.argv[1:] if args is None else args)
        if bad := [n for n, arg in enumerate(given, 1) if not _encodable(arg)]:
            err.print(
                f"[bold red]error:[/] argument {bad[0]} is not valid UTF-8 text; retype it "
                "(or check the terminal's encoding)"
            )
            sys.exit(ExitCode.ERROR)
        try:
            outcome = run()
        except ClickException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                exc.show()  # the help itself
            else:
                err.line(_usage_message(exc), "error:", "bold red")
            sys.exit(exc.exit_code)
        except typer.Abort:
            err.print("Aborted.")
            sys.exit(1)
        sys.exit(outcome if isinstance(outcome, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MentorqaError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None


def _encodable(text: str) -> bool:
    """Whether text can be stored and printed (bytes that are not UTF-8 arrive as surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _usage_message(exc: Any) -> str:
    message = str(exc.format_message()).strip().rstrip(".").replace("Value error, ", "")
    message = message[:1].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return message
    return f"{message}; see '{ctx.command_path} --help'"


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
        raise typer.Exit(int(code))


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
        raise typer.BadParameter(str(exc).strip()) from None


def _amount(text: str) -> float:
    from ..errors import UsageError
    from ..values import parse_amount

    try:
        return parse_amount(text, "")
    except UsageError as exc:
        raise typer.BadParameter(str(exc).strip()) from None


def _minutes(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 24 * 60:
        raise typer.BadParameter(f"'{text}' is not a number of minutes from 1 to 1440")
    return int(text)


def minutes_option(help: str) -> Any:
    return typer.Option(metavar="MINUTES", parser=_minutes, help=help, show_default=False)


def date_option(*names: str, help: str) -> Any:
    """An option whose value is a DATE, checked as the command line is read."""
    return typer.Option(*names, metavar="DATE", parser=_date, help=help, show_default=False)


def amount_option(*names: str, help: str) -> Any:
    return typer.Option(*names, metavar="AMOUNT", parser=_amount, help=help, show_default=False)


def date_argument(help: str) -> Any:
    return typer.Argument(metavar="DATE", parser=_date, help=help, show_default=False)


JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout instead of a table.")
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
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
    typer.Argument(
        metavar="INDICATOR",
        help="Indicator id, e.g. QIM-SV-A01.",
        autocompletion=complete_ids("indicator"),
    ),
]
