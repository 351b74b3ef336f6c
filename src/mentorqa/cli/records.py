"""Commands that record things: init, evidence, mark, event, interview, case-study, visit, note."""

from __future__ import annotations

import json as jsonlib
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

from ..completion import complete_ids
from ..errors import MentorqaError, UsageError
from ..workspace import create_workspace, open_workspace
from ._common import (
    IndicatorArgument,
    JsonOption,
    WorkspaceOption,
    amount_option,
    date_argument,
    date_option,
    err,
    finish,
    minutes_option,
    out,
    said,
)
from .declare import Argument, Commands, Option

T = TypeVar("T")


class By(StrEnum):
    self = "self"
    assessor = "assessor"


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def init(
    directory: Annotated[
        Path | None,
        Argument(
            metavar="DIR",
            help="Folder for the new workspace (created if needed). Default: the current folder.",
            show_default=False,
        ),
    ] = None,
    framework: Annotated[
        str | None,
        Option(
            "--framework",
            "-f",
            metavar="ID",
            help="Framework id, such as qim or nqms ('mentorqa frameworks list' shows all).",
        ),
    ] = None,
    name: Annotated[str | None, Option("--name", "-n", help="The service's name.")] = None,
    turnover: Annotated[
        float | None,
        amount_option(help="Annual turnover of the whole organisation, e.g. 120000 or £120,000."),
    ] = None,
    start: Annotated[
        date | None,
        date_option(
            help="Date the process started (QiM: registration; NQMS: access to the "
            "self-assessment), e.g. 2026-03-01. Without it, deadlines wait until you record it.",
        ),
    ] = None,
    cycle: Annotated[
        str | None,
        Option(
            metavar="CYCLE",
            help="The assessment round, where the framework has several (QiM: reaccreditation); "
            "--start is then the day it started. Default: the first award.",
        ),
    ] = None,
) -> None:
    """Create a workspace for one service.

    Writes mentorqa.yaml, an evidence/ folder, and a private/ folder kept out of git for
    notes that name people.

    At a terminal, asks for what is missing (the framework, the name, the folder, whether the
    process has started); elsewhere a missing --framework or --name is an error.
    """
    if _stdin_is_terminal():
        answers = _ask(directory, framework, name, turnover, start, cycle)
        directory, framework, name, turnover, start = answers
    elif framework is None or name is None:
        missing = "--framework" if framework is None else "--name"
        example = " (for example --framework qim)" if framework is None else " (the service's name)"
        raise UsageError(f"{missing} is required{example}")
    assert framework is not None and name is not None
    ws = create_workspace(
        directory or Path("."), framework, name, turnover=turnover, start=start, cycle=cycle
    )
    fw = ws.framework
    out.styled("Created a workspace for ", (name, "bold"), f" ({fw.name}) in {ws.root}:")
    for path in ws.created:
        out.styled(f"  {path.relative_to(ws.root) if path.is_absolute() else path}")
    # Two lines, each within 80 columns (as rich wrapped the one line they were, when piped).
    out.styled(
        "Next: ",
        ("mentorqa eligibility", "bold"),
        " (are you eligible?), ",
        ("mentorqa cost", "bold"),
        " (what it costs),",
    )
    out.styled(("mentorqa timeline", "bold"), " (by when).")


Answers = tuple[Path | None, str | None, str | None, float | None, date | None]


def _ask(
    directory: Path | None,
    framework: str | None,
    name: str | None,
    turnover: float | None,
    start: date | None,
    cycle: str | None = None,
) -> Answers:
    """Ask at a terminal for what the options left out, each answer checked as it is typed, so
    a slip is asked again rather than losing what was typed before it."""
    from ..frameworks import get
    from ..values import parse_amount, parse_date

    if framework is None:
        framework = _until_valid("Framework (such as qim or nqms)", lambda t: get(t).framework.id)
    fw = get(framework).framework
    if name is None:
        name = _until_valid("Name of the service", _non_empty)
    if directory is None:
        directory = Path(_until_valid("Folder for the workspace", _non_empty, default="."))
    if turnover is None and fw.fees.bands:
        turnover = _until_valid(
            f"Annual turnover ({fw.fees.basis}); blank to skip",
            lambda t: parse_amount(t, "turnover") if t.strip() else None,
            default="",
        )
    first = fw.start_event(cycle)  # the round's own first event (reaccreditation has its own)
    if start is None and first is not None:
        event = fw.event_names.get(first, first)
        start = _until_valid(
            f"Has the process started? The date of '{event}' (YYYY-MM-DD), or blank if not yet",
            lambda t: parse_date(t, "the date") if t.strip() else None,
            default="",
        )
    return directory, framework, name, turnover, start


def _non_empty(text: str) -> str:
    if not text.strip():
        raise UsageError("it must not be empty")
    return text.strip()


def _until_valid(question: str, check: Callable[[str], T], default: str | None = None) -> T:
    import typer  # (at a terminal only: see fast.run for what an interrupted answer says)

    from ..views.terminal import esc

    while True:
        answer = typer.prompt(question, default=default, show_default=bool(default))
        try:
            return check(str(answer))
        except MentorqaError as exc:
            err.print(f"[yellow]{esc(exc.problems[0].message)}[/]; try again")


def evidence_add(
    indicator: IndicatorArgument,
    paths: Annotated[list[Path], Argument(metavar="PATH...", help="Files inside the workspace.")],
    note: Annotated[str | None, Option(help="A short note about the evidence.")] = None,
    valid_until: Annotated[
        date | None,
        date_option(
            "--valid-until",
            help="The last day the document is valid (an insurance certificate, a DBS check); "
            "check warns before it lapses.",
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record files as evidence for an indicator, with a checksum, size and today's date.

    Paths are relative to the current folder and must lie inside the workspace. A file already
    recorded for the indicator is recorded afresh. A document that lapses (insurance, a
    safeguarding review, a criminal-record check) can be given its last valid day; some
    indicators have a default validity in the framework.
    """
    ws = open_workspace(workspace)
    said(ws.add_evidence(indicator, *paths, note=note, valid_until=valid_until))


def evidence_remove(
    indicator: Annotated[str, Argument(metavar="INDICATOR", help="Indicator id.")],
    paths: Annotated[list[str], Argument(metavar="PATH...", help="Recorded files to forget.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Forget recorded evidence. The files themselves are not deleted."""
    said(open_workspace(workspace).remove_evidence(indicator, *paths))


def evidence_list(
    indicator: Annotated[
        str | None, Argument(metavar="INDICATOR", help="Only this indicator.")
    ] = None,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """List recorded evidence, with whether each file is still as recorded."""
    from ..views import text

    result = open_workspace(workspace).evidence(indicator)
    finish(result, json, None if json else text.evidence(result.to_dict()["evidence"]))


def mark(
    indicator: IndicatorArgument,
    status: Annotated[
        str | None,
        Argument(
            metavar="STATUS",
            help="met, partly-met, not-met or not-applicable (as the framework allows).",
        ),
    ] = None,
    by: Annotated[
        By, Option(help="Whose judgement: the service's own (self) or the assessor's.")
    ] = By.self,
    note: Annotated[str | None, Option(help="A comment, e.g. the assessor's reasons.")] = None,
    rating: Annotated[
        int | None,
        Option(
            metavar="N",
            help="Quality rating, where the framework has a scale (NQMS: implementation quality).",
        ),
    ] = None,
    clear: Annotated[bool, Option("--clear", help="Remove the judgement instead.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a judgement on an indicator: met, partly-met, not-met or not-applicable.

    The assessor's judgement, where present, is the one that counts for levels. Marking again
    keeps the rating and note unless new ones are given."""
    ws = open_workspace(workspace)
    if clear:
        said(ws.clear_mark(indicator, by=by.value))
        return
    if status is None:
        raise UsageError("missing argument 'STATUS'; see 'mentorqa mark --help'")
    said(ws.mark(indicator, status, by=by.value, note=note, rating=rating))


def event(
    event_id: Annotated[
        str,
        Argument(
            metavar="EVENT",
            help="Event id, e.g. registration.",
            autocompletion=complete_ids("event"),
        ),
    ],
    when: Annotated[
        date | None, date_argument("When it happened (or is scheduled). Default: today.")
    ] = None,
    clear: Annotated[bool, Option("--clear", help="Forget the event's date.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the date of a step of the process (see 'mentorqa timeline' for the events)."""
    from ..values import today

    day = None if clear else (when or today())
    said(open_workspace(workspace).record_event(event_id, day))


def interview_add(
    role: Annotated[str, Argument(metavar="ROLE", help="Role, e.g. mentor, mentee, staff.")],
    pseudonym: Annotated[
        str, Argument(metavar="PSEUDONYM", help="A pseudonym such as 'Mentee A'.")
    ],
    when: Annotated[date | None, date_option("--date", help="Date of the interview.")] = None,
    minutes: Annotated[int | None, minutes_option(help="How long it lasted.")] = None,
    informs: Annotated[
        list[str] | None,
        Option("--informs", metavar="INDICATOR", help="An indicator it informs (repeatable)."),
    ] = None,
    note: Annotated[str | None, Option(help="A short note (no names).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record an interview. Keep notes that could identify people in private/."""
    ws = open_workspace(workspace)
    said(
        ws.add_interview(
            role, pseudonym, date=when, minutes=minutes, informs=informs or [], note=note
        )
    )


def interview_remove(
    pseudonym: Annotated[str, Argument(metavar="PSEUDONYM", help="The interview's pseudonym.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Forget a recorded interview."""
    said(open_workspace(workspace).remove_interview(pseudonym))


def case_study(
    kind: Annotated[
        str, Argument(metavar="KIND", help="Kind, e.g. mentee_journey or mentor_journey.")
    ],
    file: Annotated[
        Path | None, Argument(metavar="FILE", help="The case study file, if any.")
    ] = None,
    title: Annotated[str, Option(help="A title (no real names).")] = "",
    informs: Annotated[
        list[str] | None,
        Option("--informs", metavar="INDICATOR", help="An indicator it informs (repeatable)."),
    ] = None,
    note: Annotated[str | None, Option(help="A short note.")] = None,
    remove: Annotated[
        bool, Option("--remove", help="Forget the case study of this kind (--title: which).")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a case study (QiM asks for a mentee journey and a mentor journey); --remove
    forgets one."""
    ws = open_workspace(workspace)
    if remove:
        said(ws.remove_case_study(kind, title=title or None))
        return
    said(ws.add_case_study(kind, title=title, file=file, informs=informs or [], note=note))


def visit(
    when: Annotated[date | None, date_argument("Date of the visit.")] = None,
    mode: Annotated[str, Option(metavar="MODE", help="on_site or remote.")] = "on_site",
    assessor: Annotated[
        str | None, Option(metavar="NAME", help="The named assessor, for the report.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the assessment visit: its date, whether it was on site or remote, and who
    assessed."""
    said(open_workspace(workspace).record_visit(when, mode, assessor=assessor))


def note(
    area: Annotated[str, Argument(metavar="AREA", help="Practice area id, e.g. mentee_journey.")],
    strength: Annotated[
        list[str] | None, Option("--strength", help="A strength (repeatable).")
    ] = None,
    suggestion: Annotated[
        list[str] | None,
        Option("--suggestion", help="A suggestion for developing quality (repeatable)."),
    ] = None,
    remove: Annotated[
        str | None,
        Option("--remove", metavar="TEXT", help="Forget this strength or suggestion."),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the assessor's strengths and suggestions for a practice area.

    They appear in the assessor's report as the service's 'health check'."""
    ws = open_workspace(workspace)
    if remove is not None:
        said(ws.remove_area_note(area, remove))
        return
    if not strength and not suggestion:
        raise UsageError("give at least one --strength or --suggestion")
    said(ws.add_area_notes(area, strengths=strength or [], suggestions=suggestion or []))


def service(
    turnover: Annotated[float | None, amount_option(help="Annual organisation turnover.")] = None,
    sector: Annotated[
        str | None,
        Option(metavar="SECTOR", help="Sector for membership fees, e.g. not_for_profit."),
    ] = None,
    name: Annotated[str | None, Option(help="The service's name.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Change the service's name, turnover or sector; without options, show them."""
    from ..views import text

    ws = open_workspace(workspace)
    if turnover is None and sector is None and name is None:
        out.print(text.service(ws.framework, ws.manifest.service))
        return
    said(ws.update_service(name=name, turnover=turnover, sector=sector))


def change_add(
    text: Annotated[str, Argument(metavar="TEXT", help="What changed, in a sentence.")],
    when: Annotated[date | None, date_option("--date", help="Default: today.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a significant change (a new director, a merger, a new funding source...)."""
    from ..values import today

    said(open_workspace(workspace).add_change(text, when or today()))


def change_remove(
    number: Annotated[int, Argument(metavar="NUMBER", help="As 'change list' numbers it.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Remove an entry from the log of changes."""
    said(open_workspace(workspace).remove_change(number))


def change_list(json: JsonOption = False, workspace: WorkspaceOption = None) -> None:
    """List the dated log of changes."""
    from ..views import text

    result = open_workspace(workspace).changes()
    finish(result, json, None if json else text.changes(result.to_dict()["changes"]))


def schema(
    framework: Annotated[
        str | None,
        Option(
            "--framework",
            "-f",
            metavar="ID",
            help="Complete and check this framework's ids. Default: the workspace's, if any.",
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Print the JSON Schema of mentorqa.yaml, for editors that validate and complete YAML.

    With a framework (given, or the workspace's), indicator ids, events, criteria, areas and
    statuses are offered as completions with their names."""
    from ..schema import schema_for

    document = schema_for(framework, workspace)
    sys.stdout.write(jsonlib.dumps(document, indent=2) + "\n")


evidence_app = Commands(
    {
        "add": evidence_add,
        "remove": evidence_remove,
        "list": evidence_list,
    },
    dict(help="Record, list and remove evidence files for indicators.", no_args_is_help=True),
)


interview_app = Commands(
    {
        "add": interview_add,
        "remove": interview_remove,
    },
    dict(help="Record interviews by role and pseudonym (never a real name).", no_args_is_help=True),
)


change_app = Commands(
    {
        "add": change_add,
        "remove": change_remove,
        "list": change_list,
    },
    dict(
        help="Keep a dated log of significant changes to the service or program (NQMS asks "
        "programs to report them); reports show it.",
        no_args_is_help=True,
    ),
)
