"""``mentorqa status`` and ``mentorqa check``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..workspace import Workspace, open_workspace
from ._common import JsonOption, WorkspaceOption, err, finish, out, write_output

LevelOption = Annotated[
    str | None,
    typer.Option(
        "--level",
        metavar="LEVEL",
        help="A level id (e.g. award, excellence); exit 1 unless reached.",
    ),
]


def status(
    level: LevelOption = None,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show progress and exactly what is still missing for the next level.

    Per practice area and level, with interviews, case studies and the next deadlines.

    Exit 0 whatever the progress; with --level, exit 1 while that level is not reached.
    """
    from ..views import text

    ws = open_workspace(workspace)
    warn_version(ws)
    result = ws.status(level)
    finish(result, json, None if json else text.status(result.assessment, out.is_terminal))


def check(
    level: LevelOption = None,
    json: JsonOption = False,
    junit: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Also write a JUnit XML report, one test per indicator."),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Check the records for consistency (for CI on an evidence repository).

    Errors (exit 1): unknown ids, 'met' without evidence, missing evidence files, statuses or
    ratings the framework does not allow, broken framework rules, and with --level a level not
    reached. Warnings (exit 0, or 1 with --strict): changed evidence, passed deadlines. An
    unfinished workspace with nothing wrong passes. Each finding has a code (docs/checks.md).
    """
    from ..views import text

    ws = open_workspace(workspace)
    warn_version(ws)
    verdict = ws.check(level, strict)
    if junit is not None:
        from ..views.junit import render_junit

        write_output(ws, junit, render_junit(verdict.assessment, verdict.findings, verdict.strict))
    if not json:
        for line in text.findings(verdict.errors, verdict.warnings):
            err.print(line, markup=False, highlight=False)
    summary = text.check_summary(len(verdict.errors), len(verdict.warnings), verdict.ok)
    finish(verdict, json, [summary])


def warn_version(ws: Workspace) -> None:
    from ..views.text import esc

    sentence = ws.version_warning()
    if sentence:
        err.print(f"warning: {esc(sentence)}")
