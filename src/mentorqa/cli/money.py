"""``mentorqa cost``, ``eligibility`` and ``timeline``: money, eligibility and time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from .. import records
from ..costs import Quote, parse_amount, quote
from ..eligibility import parse_answer
from ..frameworks import Framework, get
from ..timeline import MilestoneResult
from ..workspace import find_root
from ._common import JsonOption, WorkspaceOption, out, print_json
from ._context import load


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def quote_json(q: Quote) -> dict[str, Any]:
    return {
        "framework": q.framework,
        "currency": q.currency,
        "turnover": None if q.turnover is None else _number(q.turnover),
        "band": q.band.id if q.band else None,
        "band_name": q.band.name if q.band else None,
        "registration": _number(q.registration),
        "assessment": _number(q.assessment),
        "total": _number(q.total),
        "free": q.free,
        "notes": list(q.notes),
        "years": [
            {
                "year": y.year,
                "items": [{"what": what, "amount": _number(amount)} for what, amount in y.items],
                "total": _number(y.total),
            }
            for y in q.years
        ],
        "period_total": _number(sum(y.total for y in q.years)) if q.years else None,
    }


def cost(
    framework: Annotated[
        str | None,
        typer.Option("--framework", "-f", metavar="ID", help="Framework id, without a workspace."),
    ] = None,
    turnover: Annotated[
        str | None,
        typer.Option(
            metavar="AMOUNT", help="Annual organisation turnover, e.g. 120000 or £120,000."
        ),
    ] = None,
    sector: Annotated[
        str | None,
        typer.Option(metavar="SECTOR", help="Sector for membership fees, e.g. not_for_profit."),
    ] = None,
    years: Annotated[
        bool, typer.Option("--years", help="Also show each year of the award period.")
    ] = False,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show what the award costs: fee band, registration, assessment and total.

    With the notes the framework carries (refunds, membership, several services).

    Uses the workspace's framework and turnover, or --framework and --turnover without one.
    """
    amount = parse_amount(turnover, "turnover") if turnover is not None else None
    if framework is not None:
        root = find_root(workspace or Path.cwd(), must_exist=False)
        fw = get(framework, root).framework
    else:
        ctx = load(workspace)
        fw = ctx.framework
        service = ctx.workspace.manifest.service
        amount = service.turnover if amount is None else amount
        sector = sector or service.sector
    q = quote(fw, amount, sector)
    if json:
        print_json(quote_json(q))
        return
    _print_quote(fw, q, years)


def _print_quote(fw: Framework, q: Quote, years: bool) -> None:
    if q.free:
        out.print(f"[bold]{fw.name}[/] costs nothing.")
    else:
        assert q.band is not None and q.turnover is not None
        out.print(
            f"[bold]{fw.name}[/] for a turnover of {fw.money(q.turnover)}: "
            f"[bold]{q.band.name}[/] band"
        )
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_row("Registration", fw.money(q.registration))
        table.add_row("Assessment", fw.money(q.assessment))
        table.add_row("[bold]Total[/]", f"[bold]{fw.money(q.total)}[/]")
        out.print(table)
    if years and q.years:
        out.print(f"\n[bold]Over the {len(q.years)}-year award period[/]")
        table = Table()
        table.add_column("year")
        table.add_column("what")
        table.add_column("amount", justify="right")
        for y in q.years:
            for what, value in y.items:
                table.add_row(str(y.year), escape(what), fw.money(value))
        table.add_row("", "[bold]total[/]", f"[bold]{fw.money(sum(y.total for y in q.years))}[/]")
        out.print(table)
    elif years:
        out.print("\nThis framework gives no yearly costs beyond the fee above.")
    for note in q.notes:
        out.print(f"• {escape(note)}")


def eligibility(
    answer: Annotated[
        list[str] | None,
        typer.Option(
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
    ctx = load(workspace)
    if answer:
        parsed = [parse_answer(text, ctx.framework) for text in answer]
        records.answer(ctx.workspace, parsed)
    result = ctx.assess(files=False).eligibility
    if json:
        print_json(
            {
                "eligible": result.eligible,
                "criteria": [
                    {"id": c.id, "text": c.text, "answer": c.answer, "met": c.met}
                    for c in result.criteria
                ],
            }
        )
    else:
        fw = ctx.framework
        out.print(
            f"[bold]Eligibility for {fw.name}[/]"
            + (f" (available in {fw.eligibility.regions})" if fw.eligibility.regions else "")
        )
        for c in result.criteria:
            mark = {True: "[green]yes[/]", False: "[red]no[/] ", None: "[yellow]?[/]  "}[c.answer]
            out.print(f"  {mark}  {escape(c.text)} [dim]({c.id})[/]")
        if result.eligible:
            out.print("\n[green]Eligible[/] on every criterion.")
        else:
            if result.unanswered:
                ids = " ".join(f"--answer {c.id}=yes" for c in result.unanswered[:2])
                out.print(
                    f"\n{len(result.unanswered)} unanswered: record answers like "
                    f"'mentorqa eligibility {ids}'."
                )
            if any(c.answer is False for c in result.criteria) and result.if_not_eligible:
                out.print(f"\n{escape(result.if_not_eligible)}")
    if not result.eligible:
        raise typer.Exit(1)


def milestone_json(m: MilestoneResult) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "after": m.after,
        "due": m.due,
        "earliest": m.earliest,
        "state": m.state,
        "days_left": m.days_left,
        "done_on": m.done_on,
        "done_when": m.done_when,
    }


def timeline(
    ics: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Also write the dated milestones as an .ics calendar."),
    ] = None,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show every deadline, computed from the dates recorded so far.

    Each milestone is done, overdue, upcoming, or waiting for an earlier event.

    Record events with 'mentorqa event EVENT DATE'. Exit 0 whatever the state.
    """
    ctx = load(workspace)
    result = ctx.assess(files=False)
    if ics is not None:
        from ..reports.calendar import render_ics

        records.write_file(ics, render_ics(result))
    if json:
        print_json(
            {
                "today": result.today,
                "events": dict(ctx.workspace.manifest.dates),
                "milestones": [milestone_json(m) for m in result.milestones],
            }
        )
        return
    fw = ctx.framework
    table = Table(
        title=f"{fw.name}: timeline as of {result.today.isoformat()}", title_justify="left"
    )
    for column in ("due", "milestone", "state", "counts from"):
        table.add_column(column, overflow="fold")
    colours = {"done": "green", "overdue": "red", "upcoming": "yellow", "waiting": "dim"}
    for m in result.milestones:
        if m.due is None:
            due = "—"
        elif m.earliest is not None:
            due = f"{m.earliest.isoformat()} to {m.due.isoformat()}"
        else:
            due = m.due.isoformat()
        state: str = m.state
        if m.state == "upcoming" and m.days_left is not None:
            state += f", {m.days_left} days"
        elif m.state == "overdue" and m.days_left is not None:
            state += f" by {-m.days_left} days"
        elif m.state == "done" and m.done_on is not None:
            state += f" {m.done_on.isoformat()}"
        table.add_row(due, escape(m.title), f"[{colours[m.state]}]{state}[/]", m.after_name)
    out.print(table)
    if ics is not None:
        out.print(f"Calendar written to {ics}")
    dates = ctx.workspace.manifest.dates
    missing = [e for e in fw.events if e.id not in dates]
    if missing:
        out.print(
            "Record events with 'mentorqa event EVENT DATE'; not yet recorded: "
            + ", ".join(e.id for e in missing)
        )
