"""The command tree: the root group, its options and every command, each built when asked for."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Sequence
from typing import Annotated, Any, get_args, get_origin, get_type_hints

import typer
import typer.main
from typer.core import TyperArgument, TyperGroup, TyperOption

from .. import __version__
from ..errors import ExitCode, MentorqaError
from . import params, resume
from ._common import encodable, err, out, report_error
from .declare import Argument, Commands, Option

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

        params.install(self)  # the group's own options (--version, completion): no pydantic
        if not standalone_mode:
            return run()
        out.fit()
        refuse_unencodable(list(sys.argv[1:] if args is None else args))
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
        except SystemExit as exc:  # a command's own exit code (see finish): click's way
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            raise typer.Exit(code) from None


def refuse_unencodable(args: Sequence[str]) -> None:
    """Exit with an error line if a command-line argument is not valid UTF-8 text."""
    if bad := [n for n, arg in enumerate(args, 1) if not encodable(arg)]:
        err.print(
            f"[bold red]error:[/] argument {bad[0]} is not valid UTF-8 text; retype it "
            "(or check the terminal's encoding)"
        )
        sys.exit(ExitCode.ERROR)


def _usage_message(exc: Any) -> str:
    message = str(exc.format_message()).strip().rstrip(".").replace("Value error, ", "")
    message = message[:1].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return message
    return f"{message}; see '{ctx.command_path} --help'"


# Commands grouped as a service meets them: start, record, see where you stand, plan and report.
START, RECORD = "Get started", "Record progress"
SEE, WRITE = "See where you stand", "Plan and report"

# name -> (module in this package, its attribute, help panel), in the order --help lists them.
# A command's module is imported, and its click command built, only when that command runs (or
# --help lists them all): starting `mentorqa status` builds one command, not twenty-odd.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "frameworks": ("frameworks", "app", START),
    "init": ("records", "init", START),
    "eligibility": ("money", "eligibility", START),
    "cost": ("money", "cost", START),
    "service": ("records", "service", START),
    "evidence": ("records", "evidence_app", RECORD),
    "mark": ("records", "mark", RECORD),
    "event": ("records", "event", RECORD),
    "interview": ("records", "interview_app", RECORD),
    "case-study": ("records", "case_study", RECORD),
    "visit": ("records", "visit", RECORD),
    "note": ("records", "note", RECORD),
    "status": ("progress", "status", SEE),
    "show": ("progress", "show", SEE),
    "check": ("progress", "check", SEE),
    "timeline": ("money", "timeline", SEE),
    "plan": ("plan", "app", WRITE),
    "change": ("records", "change_app", RECORD),
    "sign": ("plan", "sign", WRITE),
    "report": ("report", "report", WRITE),
    "schema": ("records", "schema", WRITE),
    "export": ("sheets", "export", WRITE),
    "import": ("sheets", "import_", RECORD),
    "map": ("mapping", "map_", RECORD),
    "rollup": ("rollup", "rollup", SEE),
    "migrate": ("migrate", "migrate", RECORD),
}


class _Commands(Group):
    """The root group, building each command from :data:`COMMANDS` when it is first asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(build(cmd_name), cmd_name)
        return self.commands.get(cmd_name)


def build(name: str) -> Any:
    """The click command of ``name``, from a one-command typer app (typer's public API)."""
    module, attribute, panel = COMMANDS[name]
    target = getattr(importlib.import_module(f".{module}", __package__), attribute)
    holder = typer.Typer()
    holder.callback()(_nothing)  # a callback keeps the holder a group, whatever it holds
    if isinstance(target, Commands):
        holder.add_typer(_group(target), name=name, rich_help_panel=panel)
    else:
        holder.command(name, rich_help_panel=panel)(typed(target))
    command = typer.main.get_group(holder).commands[name]
    params.install(command)  # text, paths and flags are converted without pydantic
    # What is loaded by now lives until the end of the run: the collector stops walking it,
    # and runs again if main() paused it while the command was imported and built.
    resume()
    return command


def _group(declared: Commands) -> typer.Typer:
    """The typer app of a group of commands."""
    group = typer.Typer(**declared.settings)
    for name, function in declared.commands.items():
        group.command(name)(typed(function))
    return group


def typed(function: Callable[..., Any]) -> Callable[..., Any]:
    """A copy of a command function whose declared parameters are typer's: each
    :class:`~.declare.Option` or :class:`~.declare.Argument` in an annotation becomes
    ``typer.Option`` or ``typer.Argument`` with the same arguments. (The function itself is
    left as it is, for the fast path.)"""
    hints = get_type_hints(function, include_extras=True)
    for name, hint in hints.items():
        if get_origin(hint) is Annotated:
            base, *extras = get_args(hint)
            extras = [_typer_info(extra) for extra in extras]
            hints[name] = Annotated.__class_getitem__((base, *extras))
    copy = types.FunctionType(
        function.__code__,
        function.__globals__,
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )
    copy.__kwdefaults__ = function.__kwdefaults__
    copy.__annotations__ = hints
    copy.__doc__, copy.__module__ = function.__doc__, function.__module__
    copy.__qualname__ = function.__qualname__
    return copy


def _typer_info(extra: Any) -> Any:
    if isinstance(extra, Option):
        return typer.Option(*extra.names, **extra.settings)
    if isinstance(extra, Argument):
        return typer.Argument(**extra.settings)
    return extra


def _nothing() -> None:
    """Nothing: the holder group's own callback is never run."""


app = typer.Typer(
    name="mentorqa",
    cls=_Commands,
    help="Track evidence, progress, costs and deadlines for mentoring quality awards "
    "(Quality in Mentoring, NQMS), and write the reports.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion [SHELL]
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mentorqa {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Track evidence, progress, costs and deadlines for mentoring quality awards."""
