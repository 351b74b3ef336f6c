"""The command tree: the root group, its options and every command, each built when asked for."""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.main

from .. import __version__
from . import params, resume
from ._common import Group

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
            self.add_command(_build(cmd_name), cmd_name)
        return self.commands.get(cmd_name)


def _build(name: str) -> Any:
    """The click command of ``name``, from a one-command typer app (typer's public API)."""
    module, attribute, panel = COMMANDS[name]
    target = getattr(importlib.import_module(f".{module}", __package__), attribute)
    holder = typer.Typer()
    holder.callback()(_nothing)  # a callback keeps the holder a group, whatever it holds
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name, rich_help_panel=panel)
    else:
        holder.command(name, rich_help_panel=panel)(target)
    command = typer.main.get_group(holder).commands[name]
    params.install(command)  # text, paths and flags are converted without pydantic
    # What is loaded by now lives until the end of the run: the collector stops walking it,
    # and runs again if main() paused it while the command was imported and built.
    resume()
    return command


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
