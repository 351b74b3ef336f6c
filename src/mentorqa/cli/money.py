"""``mentorqa cost``, ``eligibility`` and ``timeline``: money, eligibility and time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from ..frameworks import get
from ..rules.eligibility import parse_answer
from ..store.files import find_root
from ..workspace import cost as quote_for
from ..workspace import open_workspace
from ._common import (
    JsonOption,
    WorkspaceOption,
    amount_option,
    finish,
    said,
    write_output,
)
from .declare import Option


def cost(
    framework: Annotated[
        str | None,
        Option("--framework", "-f", metavar="ID", help="Framework id, without a workspace."),
    ] = None,
    turnover: Annotated[
        float | None,
        amount_option(help="Annual organisation turnover, e.g. 120000 or £120,000."),
    ] = None,
    sector: Annotated[
        str | None,
        Option(metavar="SECTOR", help="Sector for membership fees, e.g. not_for_profit."),
    ] = None,
    years: Annotated[
        bool, Option("--years", help="Also show each year of the award period.")
    ] = False,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show what the award costs: fee band, registration, assessment and total.

    With the notes the framework carries (refunds, membership, several services).

    Uses the workspace's framework and turnover, or --framework and --turnover without one.
    """
    from ..views import text

    if framework is not None:
        root = find_root(workspace or Path.cwd(), must_exist=False)
        fw = get(framework, root).framework
        result = quote_for(fw, turnover, sector)
    else:
        ws = open_workspace(workspace)
        fw = ws.framework
        result = ws.cost(turnover, sector)
    finish(result, json, None if json else text.quote(fw, result.quote, years))


def eligibility(
    answer: Annotated[
        list[str] | None,
        Option(
            "--answer",
            "-a",
            metavar="ID=yes|no",
            help="Record an answer, ID=yes or ID=no (repeatable).",
        ),
    ] = None,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show the framework's eligibility questions with your answers; --answer records them.

    Exit 1 while any criterion is unmet or unanswered.
    """
    from ..views import text

    ws = open_workspace(workspace)
    if answer:
        parsed = [parse_answer(item, ws.framework) for item in answer]
        change = ws.answer_eligibility(parsed)
        if change.replaced:
            said(change)
    result = ws.eligibility()
    finish(result, json, None if json else text.eligibility(result.assessment))


def timeline(
    ics: Annotated[
        Path | None,
        Option(metavar="FILE", help="Also write the dated milestones as an .ics calendar."),
    ] = None,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show every deadline, computed from the dates recorded so far.

    Each milestone is done, scheduled, overdue, upcoming, or waiting for an earlier event.

    Record events with 'mentorqa event EVENT DATE'. Exit 0 whatever the state.
    """
    from ..views import text
    from ..views.terminal import esc

    ws = open_workspace(workspace)
    result = ws.timeline()
    if ics is not None:
        from ..views.ics import render_ics

        write_output(ws, ics, render_ics(result.assessment))
    view = None if json else text.timeline(result.assessment)
    if view is not None and ics is not None:
        view.append(f"Calendar written to {esc(ics)}")
    finish(result, json, view)
