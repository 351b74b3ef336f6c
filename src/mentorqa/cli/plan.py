"""``mentorqa plan`` and ``mentorqa sign``: the improvement plan and the statement to sign."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ..values import today
from ..workspace import open_workspace
from ._common import JsonOption, WorkspaceOption, date_argument, date_option, finish, said
from .declare import Argument, Commands, Option

Goal = Annotated[str, Argument(metavar="GOAL", help="What the priority sets out to achieve.")]
Area = Annotated[
    str, Option(metavar="AREA", help="Program area, e.g. management, operations, evaluation.")
]
Actions = Annotated[list[str] | None, Option("--action", help="An action (repeatable).")]
Owner = Annotated[str, Option(help="Who is responsible (a role is enough).")]
Target = Annotated[date | None, date_option("--target", help="Target date, e.g. 2027-09-30.")]
Number = Annotated[
    int, Argument(metavar="NUMBER", help="The priority's number, as 'plan show' lists it.")
]


def add(
    goal: Goal,
    area: Area = "",
    action: Actions = None,
    owner: Owner = "",
    target: Target = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a priority to the plan."""
    ws = open_workspace(workspace)
    said(ws.add_priority(goal, area=area, actions=action or [], owner=owner, target=target))


def edit(
    number: Number,
    goal: Annotated[str | None, Option(help="New goal.")] = None,
    area: Annotated[str | None, Option(help="New area.")] = None,
    action: Annotated[
        list[str] | None, Option("--action", help="Replace the actions (repeatable).")
    ] = None,
    owner: Annotated[str | None, Option(help="New owner.")] = None,
    target: Target = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Change a priority; only the options given are changed."""
    ws = open_workspace(workspace)
    said(ws.edit_priority(number, goal=goal, area=area, actions=action, owner=owner, target=target))


def remove(number: Number, workspace: WorkspaceOption = None) -> None:
    """Remove a priority (the ones after it move up)."""
    said(open_workspace(workspace).remove_priority(number))


def note(
    strength: Annotated[
        list[str] | None, Option("--strength", help="A strength (repeatable).")
    ] = None,
    improvement: Annotated[
        list[str] | None,
        Option("--improvement", help="An area for improvement (repeatable)."),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the plan's strengths and areas for improvement."""
    ws = open_workspace(workspace)
    said(ws.add_plan_notes(strengths=strength or [], improvements=improvement or []))


def agree(
    when: Annotated[date | None, date_argument("Default: today.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the plan as agreed; refused while it breaks the plan's rules."""
    said(open_workspace(workspace).agree_plan(when or today()))


def revise(
    when: Annotated[date | None, date_argument("Default: today.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Revise the agreed plan (NQMS: at the mini-review).

    The agreed version is kept in the plan's history; change the priorities, then agree the
    revised plan again with 'mentorqa plan agree'."""
    said(open_workspace(workspace).revise_plan(when or today()))


def show(json: JsonOption = False, workspace: WorkspaceOption = None) -> None:
    """Show the plan's priorities and what it still lacks."""
    from ..views import text

    result = open_workspace(workspace).plan()
    finish(result, json, None if json else text.plan(result.assessment))


def sign(
    name: Annotated[str, Option(help="Name of the key leader who signs.")],
    role: Annotated[str, Option(help="Their role, e.g. Executive Director.")],
    when: Annotated[date | None, date_option("--date", help="Default: today.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record that a key leader signed the statement (NQMS: Statement of Accuracy)."""
    said(open_workspace(workspace).sign_statement(name, role, when or today()))


app = Commands(
    {
        "add": add,
        "edit": edit,
        "remove": remove,
        "note": note,
        "agree": agree,
        "revise": revise,
        "show": show,
    },
    dict(
        help="Record the improvement plan (NQMS: the Improvement and Innovation Plan); "
        "'plan show' says how many priorities it needs and by when they may be due.",
        no_args_is_help=True,
    ),
)
