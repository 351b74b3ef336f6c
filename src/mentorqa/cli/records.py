"""Commands that record things: init, evidence, mark, event, interview, case-study, visit, note."""

from __future__ import annotations

import json as jsonlib
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .. import records
from ..costs import parse_amount
from ..errors import UsageError
from ..frameworks import get
from ..workspace import Manifest, find_root, today
from ._common import JsonOption, WorkspaceOption, out, print_json
from ._context import load


class By(StrEnum):
    self = "self"
    assessor = "assessor"


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def init(
    directory: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="Folder for the new workspace (created if needed)."),
    ] = Path("."),
    framework: Annotated[
        str | None,
        typer.Option("--framework", "-f", metavar="ID", help="Framework id: qim or nqms."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", "-n", help="The service's name.")] = None,
    turnover: Annotated[
        str | None,
        typer.Option(
            metavar="AMOUNT",
            help="Annual turnover of the whole organisation, e.g. 120000 or £120,000.",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Date the process started (QiM: registration; NQMS: access to the "
            "self-assessment), e.g. 2026-03-01. Default: today.",
        ),
    ] = None,
) -> None:
    """Create a workspace for one service.

    Writes mentorqa.yaml, an evidence/ folder, and a private/ folder kept out of git for
    notes that name people.

    Asks for a missing framework or name only when run at a terminal.
    """
    if find_root(directory, must_exist=False) == directory.resolve():
        raise UsageError(f"{directory / 'mentorqa.yaml'} already exists; nothing was changed")
    interactive = _stdin_is_terminal()
    if framework is None:
        if not interactive:
            raise UsageError("--framework is required (for example --framework qim)")
        framework = typer.prompt("Framework (qim or nqms)")
    if name is None:
        if not interactive:
            raise UsageError("--name is required (the service's name)")
        name = typer.prompt("Name of the service")
    fw = get(framework, directory.resolve() if directory.exists() else None).framework
    amount = parse_amount(turnover, "turnover") if turnover else None
    if amount is None and fw.fees.bands and interactive:
        answer = typer.prompt(f"Annual turnover ({fw.fees.basis}); blank to skip", default="")
        amount = parse_amount(answer, "turnover") if answer.strip() else None
    started = records.parse_date(start, "--start") if start else today()
    created = records.init(directory, fw, name, amount, started)
    out.print(f"Created a {fw.name} workspace for [bold]{name}[/] in {directory.resolve()}:")
    for path in created:
        out.print(f"  {path.relative_to(directory.resolve()) if path.is_absolute() else path}")
    if (
        interactive
        and fw.eligibility.criteria
        and typer.confirm("Answer the eligibility questions now?", default=False)
    ):
        ctx = load(directory)
        answers = [(c.id, typer.confirm(c.question, default=True)) for c in fw.eligibility.criteria]
        records.answer(ctx.workspace, answers)
    out.print(
        "Next: [bold]mentorqa status[/] shows what to evidence; "
        "[bold]mentorqa evidence add[/] records a document."
    )


evidence_app = typer.Typer(
    help="Record, list and remove evidence files for indicators.", no_args_is_help=True
)


@evidence_app.command("add")
def evidence_add(
    indicator: Annotated[
        str, typer.Argument(metavar="INDICATOR", help="Indicator id, e.g. QIM-SV-A01.")
    ],
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH...", help="Files inside the workspace.")
    ],
    note: Annotated[str, typer.Option(help="A short note about the evidence.")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Record files as evidence for an indicator, with a checksum, size and today's date.

    Paths are relative to the current folder and must lie inside the workspace. A file already
    recorded for the indicator is recorded afresh.
    """
    ctx = load(workspace)
    entries = records.add_evidence(ctx.workspace, ctx.framework, indicator, paths, note)
    for entry in entries:
        out.print(f"Recorded {entry['file']} for {indicator} ({entry['size']:,} bytes)")


@evidence_app.command("remove")
def evidence_remove(
    indicator: Annotated[str, typer.Argument(metavar="INDICATOR", help="Indicator id.")],
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="Recorded files to forget.")
    ],
    workspace: WorkspaceOption = None,
) -> None:
    """Forget recorded evidence. The files themselves are not deleted."""
    ctx = load(workspace)
    count = records.remove_evidence(ctx.workspace, indicator, paths)
    out.print(f"Removed {count} evidence record(s) from {indicator}; the files are untouched.")


@evidence_app.command("list")
def evidence_list(
    indicator: Annotated[
        str | None, typer.Argument(metavar="INDICATOR", help="Only this indicator.")
    ] = None,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """List recorded evidence, with whether each file is still as recorded."""
    ctx = load(workspace)
    if indicator is not None:
        records.require_indicator(ctx.framework, indicator)
    states = records.inspect(ctx.workspace)
    rows = [
        {
            "indicator": ind_id,
            "file": item.file,
            "size": item.size,
            "recorded": item.recorded,
            "note": item.note,
            "state": states.get(item.file, "ok"),
        }
        for ind_id, record in ctx.workspace.manifest.indicators.items()
        if indicator is None or ind_id == indicator
        for item in record.evidence
    ]
    if json:
        print_json({"evidence": rows})
        return
    if not rows:
        out.print("No evidence recorded yet. Add some with 'mentorqa evidence add INDICATOR FILE'.")
        return
    table = Table()
    for column in ("indicator", "file", "recorded", "state", "note"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            *(escape(str(row[key])) for key in ("indicator", "file", "recorded", "state", "note"))
        )
    out.print(table)


def mark(
    indicator: Annotated[
        str, typer.Argument(metavar="INDICATOR", help="Indicator id, e.g. QIM-SV-A01.")
    ],
    status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS",
            help="met, partly-met, not-met or not-applicable (as the framework allows).",
        ),
    ],
    by: Annotated[
        By, typer.Option(help="Whose judgement: the service's own (self) or the assessor's.")
    ] = By.self,
    note: Annotated[str, typer.Option(help="A comment, e.g. the assessor's reasons.")] = "",
    rating: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help="Quality rating, where the framework has a scale (NQMS: implementation quality).",
        ),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a judgement on an indicator: met, partly-met, not-met or not-applicable.

    The assessor's judgement, where present, is the one that counts for levels."""
    if status not in records.STATUSES:
        raise UsageError(f"status '{status}' must be one of: {', '.join(records.STATUSES)}")
    ctx = load(workspace)
    records.mark(ctx.workspace, ctx.framework, indicator, status, by.value, note, rating)
    label = ctx.framework.status_labels[status]
    who = "the service" if by is By.self else "the assessor"
    out.print(f"{indicator}: {label} (by {who})")


def event(
    event_id: Annotated[str, typer.Argument(metavar="EVENT", help="Event id, e.g. registration.")],
    when: Annotated[
        str | None, typer.Argument(metavar="DATE", help="When it happened. Default: today.")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Forget the event's date.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the date of a step of the process (see 'mentorqa timeline' for the events)."""
    ctx = load(workspace)
    day = None if clear else (records.parse_date(when) if when else today())
    records.record_event(ctx.workspace, ctx.framework, event_id, day)
    name = ctx.framework.event_names[event_id]
    out.print(f"{name}: {'cleared' if day is None else day.isoformat()}")


interview_app = typer.Typer(
    help="Record interviews by role and pseudonym (never a real name).", no_args_is_help=True
)


@interview_app.command("add")
def interview_add(
    role: Annotated[str, typer.Argument(metavar="ROLE", help="Role, e.g. mentor, mentee, staff.")],
    pseudonym: Annotated[
        str, typer.Argument(metavar="PSEUDONYM", help="A pseudonym such as 'Mentee A'.")
    ],
    when: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="Date of the interview.")
    ] = None,
    minutes: Annotated[
        int | None, typer.Option(min=1, metavar="MINUTES", help="How long it lasted.")
    ] = None,
    informs: Annotated[
        list[str] | None,
        typer.Option(
            "--informs", metavar="INDICATOR", help="An indicator it informs (repeatable)."
        ),
    ] = None,
    note: Annotated[str, typer.Option(help="A short note (no names).")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Record an interview. Keep notes that could identify people in private/."""
    ctx = load(workspace)
    day = records.parse_date(when, "--date") if when else None
    records.add_interview(
        ctx.workspace, ctx.framework, role, pseudonym, day, minutes, informs or [], note
    )
    out.print(f"Recorded the interview with {role} '{pseudonym}'.")


@interview_app.command("remove")
def interview_remove(
    pseudonym: Annotated[
        str, typer.Argument(metavar="PSEUDONYM", help="The interview's pseudonym.")
    ],
    workspace: WorkspaceOption = None,
) -> None:
    """Forget a recorded interview."""
    ctx = load(workspace)
    records.remove_interview(ctx.workspace, pseudonym)
    out.print(f"Removed the interview '{pseudonym}'.")


def case_study(
    kind: Annotated[
        str, typer.Argument(metavar="KIND", help="Kind, e.g. mentee_journey or mentor_journey.")
    ],
    file: Annotated[
        Path | None, typer.Argument(metavar="FILE", help="The case study file, if any.")
    ] = None,
    title: Annotated[str, typer.Option(help="A title (no real names).")] = "",
    informs: Annotated[
        list[str] | None,
        typer.Option(
            "--informs", metavar="INDICATOR", help="An indicator it informs (repeatable)."
        ),
    ] = None,
    note: Annotated[str, typer.Option(help="A short note.")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Record a case study (QiM asks for a mentee journey and a mentor journey)."""
    ctx = load(workspace)
    records.add_case_study(ctx.workspace, ctx.framework, kind, title, file, informs or [], note)
    out.print(f"Recorded a {kind.replace('_', ' ')} case study.")


def visit(
    when: Annotated[str | None, typer.Argument(metavar="DATE", help="Date of the visit.")] = None,
    mode: Annotated[str, typer.Option(metavar="MODE", help="on_site or remote.")] = "on_site",
    workspace: WorkspaceOption = None,
) -> None:
    """Record the assessment visit: its date and whether it was on site or remote."""
    ctx = load(workspace)
    day = records.parse_date(when) if when else None
    records.record_visit(ctx.workspace, ctx.framework, day, mode)
    out.print(f"Visit recorded ({mode.replace('_', ' ')}{', ' + day.isoformat() if day else ''}).")


def note(
    area: Annotated[
        str, typer.Argument(metavar="AREA", help="Practice area id, e.g. mentee_journey.")
    ],
    strength: Annotated[
        list[str] | None, typer.Option("--strength", help="A strength (repeatable).")
    ] = None,
    suggestion: Annotated[
        list[str] | None,
        typer.Option("--suggestion", help="A suggestion for developing quality (repeatable)."),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the assessor's strengths and suggestions for a practice area.

    They appear in the assessor's report as the service's 'health check'."""
    if not strength and not suggestion:
        raise UsageError("give at least one --strength or --suggestion")
    ctx = load(workspace)
    records.add_area_note(ctx.workspace, ctx.framework, area, strength or [], suggestion or [])
    out.print(f"Noted for {area}.")


def service(
    turnover: Annotated[
        str | None, typer.Option(metavar="AMOUNT", help="Annual organisation turnover.")
    ] = None,
    sector: Annotated[
        str | None,
        typer.Option(metavar="SECTOR", help="Sector for membership fees, e.g. not_for_profit."),
    ] = None,
    name: Annotated[str | None, typer.Option(help="The service's name.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Change the service's name, turnover or sector."""
    ctx = load(workspace)
    if turnover is None and sector is None and name is None:
        service = ctx.workspace.manifest.service
        out.print(f"{service.name}: turnover {service.turnover}, sector {service.sector}")
        return
    amount = parse_amount(turnover, "turnover") if turnover else None
    membership = ctx.framework.fees.membership
    if sector is not None and (membership is None or sector not in membership.sectors):
        known = ", ".join(membership.sectors) if membership else "none"
        raise UsageError(f"unknown sector '{sector}'; use one of: {known}")
    records.set_service(ctx.workspace, turnover=amount, sector=sector, name=name)
    out.print("Service updated.")


def schema() -> None:
    """Print the JSON Schema of mentorqa.yaml, for editors that validate YAML."""
    document = Manifest.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "mentorqa workspace manifest (mentorqa.yaml)"
    sys.stdout.write(jsonlib.dumps(document, indent=2) + "\n")
