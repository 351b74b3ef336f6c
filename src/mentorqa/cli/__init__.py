"""The ``mentorqa`` command: a thin skin that parses arguments, calls the core and renders."""

from __future__ import annotations

import typer

from .. import __version__
from . import money, plan, progress, records, rollup, sheets
from ._common import Group
from .frameworks import app as frameworks_app
from .report import report

app = typer.Typer(
    name="mentorqa",
    cls=Group,
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


# Commands grouped as a service meets them: start, record, see where you stand, plan and report.
START, RECORD = "Get started", "Record progress"
SEE, WRITE = "See where you stand", "Plan and report"
app.add_typer(frameworks_app, name="frameworks", rich_help_panel=START)
app.command(rich_help_panel=START)(records.init)
app.command(rich_help_panel=START)(money.eligibility)
app.command(rich_help_panel=START)(money.cost)
app.command(rich_help_panel=START)(records.service)
app.add_typer(records.evidence_app, name="evidence", rich_help_panel=RECORD)
app.command(rich_help_panel=RECORD)(records.mark)
app.command(rich_help_panel=RECORD)(records.event)
app.add_typer(records.interview_app, name="interview", rich_help_panel=RECORD)
app.command("case-study", rich_help_panel=RECORD)(records.case_study)
app.command(rich_help_panel=RECORD)(records.visit)
app.command(rich_help_panel=RECORD)(records.note)
app.command(rich_help_panel=SEE)(progress.status)
app.command(rich_help_panel=SEE)(progress.show)
app.command(rich_help_panel=SEE)(progress.check)
app.command(rich_help_panel=SEE)(money.timeline)
app.add_typer(plan.app, name="plan", rich_help_panel=WRITE)
app.add_typer(records.change_app, name="change", rich_help_panel=RECORD)
app.command(rich_help_panel=WRITE)(plan.sign)
app.command(rich_help_panel=WRITE)(report)
app.command(rich_help_panel=WRITE)(records.schema)
app.command("export", rich_help_panel=WRITE)(sheets.export)
app.command("import", rich_help_panel=RECORD)(sheets.import_)
app.command("rollup", rich_help_panel=SEE)(rollup.rollup)


def main() -> None:
    """Entry point of the ``mentorqa`` console script."""
    app(prog_name="mentorqa")
