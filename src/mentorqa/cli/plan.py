"""``mentorqa plan`` and ``mentorqa sign``: the improvement plan and the statement to sign."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from .. import records
from ..errors import UsageError
from ..workspace import today
from ._common import JsonOption, WorkspaceOption, err, out, print_json
from ._context import load

app = typer.Typer(
    help="Record the improvement plan (NQMS: the Improvement and Innovation Plan); "
    "'plan show' says how many priorities it needs and when their targets may fall.",
    no_args_is_help=True,
)

Goal = Annotated[str, typer.Argument(metavar="GOAL", help="What the priority sets out to achieve.")]
Area = Annotated[
    str, typer.Option(metavar="AREA", help="Program area, e.g. management, operations, evaluation.")
]
Actions = Annotated[list[str] | None, typer.Option("--action", help="An action (repeatable).")]
Owner = Annotated[str, typer.Option(help="Who is responsible (a role is enough).")]
Target = Annotated[str | None, typer.Option(metavar="DATE", help="Target date, e.g. 2027-09-30.")]
Number = Annotated[
    int, typer.Argument(metavar="NUMBER", help="The priority's number, as 'plan show' lists it.")
]


@app.command("add")
def add(
    goal: Goal,
    area: Area = "",
    action: Actions = None,
    owner: Owner = "",
    target: Target = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a priority to the plan."""
    ctx = load(workspace)
    when = records.parse_date(target, "--target") if target else None
    number = records.add_priority(
        ctx.workspace, ctx.framework, goal, area, action or [], owner, when
    )
    out.print(f"Added priority {number}: {escape(goal)}")


@app.command("edit")
def edit(
    number: Number,
    goal: Annotated[str | None, typer.Option(help="New goal.")] = None,
    area: Annotated[str | None, typer.Option(help="New area.")] = None,
    action: Annotated[
        list[str] | None, typer.Option("--action", help="Replace the actions (repeatable).")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="New owner.")] = None,
    target: Target = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Change a priority; only the options given are changed."""
    ctx = load(workspace)
    when = records.parse_date(target, "--target") if target else None
    records.edit_priority(
        ctx.workspace,
        ctx.framework,
        number,
        goal=goal,
        area=area,
        actions=action,
        owner=owner,
        target=when,
    )
    out.print(f"Priority {number} updated.")


@app.command("remove")
def remove(number: Number, workspace: WorkspaceOption = None) -> None:
    """Remove a priority (the ones after it move up)."""
    ctx = load(workspace)
    records.remove_priority(ctx.workspace, ctx.framework, number)
    out.print(f"Priority {number} removed.")


@app.command("note")
def note(
    strength: Annotated[
        list[str] | None, typer.Option("--strength", help="A strength (repeatable).")
    ] = None,
    improvement: Annotated[
        list[str] | None,
        typer.Option("--improvement", help="An area for improvement (repeatable)."),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the plan's strengths and areas for improvement."""
    ctx = load(workspace)
    records.add_plan_notes(ctx.workspace, strength or [], improvement or [])
    out.print("Plan notes recorded.")


@app.command("agree")
def agree(
    when: Annotated[str | None, typer.Argument(metavar="DATE", help="Default: today.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the plan as agreed; from then on it must have its minimum of priorities."""
    ctx = load(workspace)
    rules = ctx.framework.plan
    if rules is None:
        raise UsageError(f"{ctx.framework.name} has no improvement plan")
    day = records.parse_date(when) if when else today()
    records.record_event(ctx.workspace, ctx.framework, rules.agreed_event, day)
    out.print(f"{rules.name} agreed on {day.isoformat()}.")
    # The date is recorded as it happened; what the plan still lacks is said at once, and
    # 'mentorqa check' fails until it is put right.
    lacks = load(workspace).assess(files=False).plan
    for lack in lacks.lacks if lacks else ():
        err.print(f"[yellow]warning:[/] {escape(lack)}")


@app.command("show")
def show(json: JsonOption = False, workspace: WorkspaceOption = None) -> None:
    """Show the plan's priorities and what it still lacks."""
    ctx = load(workspace)
    result = ctx.assess(files=False)
    plan = ctx.workspace.manifest.plan
    if json:
        print_json(
            {
                "priorities": [p.model_dump() for p in plan.priorities],
                "strengths": list(plan.strengths),
                "improvements": list(plan.improvements),
                "agreed": result.plan.agreed if result.plan else False,
                "lacks": list(result.plan.lacks) if result.plan else [],
            }
        )
        return
    if result.plan is None:
        out.print(f"{ctx.framework.name} has no improvement plan.")
        return
    out.print(f"[bold]{result.plan.name}[/]" + (" (agreed)" if result.plan.agreed else ""))
    if result.plan.earliest and result.plan.latest:
        out.print(f"Target dates between {result.plan.earliest} and {result.plan.latest}.")
    for number, p in enumerate(plan.priorities, 1):
        out.print(
            f"\n{number}. [bold]{escape(p.goal)}[/]"
            + (f" [dim]({escape(p.area)})[/]" if p.area else "")
        )
        for action in p.actions:
            out.print(f"   - {escape(action)}")
        out.print(f"   owner: {escape(p.owner) or '—'}; target: {p.target or '—'}")
    for lack in result.plan.lacks:
        out.print(f"[yellow]still needed:[/] {lack}")


def sign(
    name: Annotated[str, typer.Option(help="Name of the key leader who signs.")],
    role: Annotated[str, typer.Option(help="Their role, e.g. Executive Director.")],
    when: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="Default: today.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record that a key leader signed the statement (NQMS: Statement of Accuracy)."""
    ctx = load(workspace)
    day = records.parse_date(when, "--date") if when else today()
    records.sign_statement(ctx.workspace, ctx.framework, name, role, day)
    title = ctx.framework.statement.title if ctx.framework.statement else "statement"
    out.print(f"{title} signed by {escape(name)} ({escape(role)}) on {day.isoformat()}.")
