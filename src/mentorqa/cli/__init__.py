"""The ``mentorqa`` command: a thin skin that parses arguments, calls the core and renders."""

from __future__ import annotations

import typer

from .. import __version__
from . import money, plan, progress, records
from ._common import Group
from .frameworks import app as frameworks_app
from .report import report

app = typer.Typer(
    name="mentorqa",
    cls=Group,
    help="Track evidence, progress, costs and deadlines for mentoring quality awards "
    "(Quality in Mentoring, NQMS), and write the reports.",
    no_args_is_help=True,
    add_completion=False,
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


app.add_typer(frameworks_app, name="frameworks")
app.command()(records.init)
app.add_typer(records.evidence_app, name="evidence")
app.command()(records.mark)
app.command()(progress.status)
app.command()(progress.check)
app.command()(records.event)
app.add_typer(records.interview_app, name="interview")
app.command("case-study")(records.case_study)
app.command()(records.visit)
app.command()(records.note)
app.command()(records.service)
app.command()(money.cost)
app.command()(money.eligibility)
app.command()(money.timeline)
app.add_typer(plan.app, name="plan")
app.command()(plan.sign)
app.command()(report)
app.command()(records.schema)


def main() -> None:
    """Entry point of the ``mentorqa`` console script."""
    app(prog_name="mentorqa")
