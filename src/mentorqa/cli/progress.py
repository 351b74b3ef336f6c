"""``mentorqa status`` and ``mentorqa check``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..assessment import Assessment, Finding, LevelResult
from ..errors import UsageError
from ..frameworks import Framework
from ._common import JsonOption, WorkspaceOption, err, out, print_json
from ._context import load

LevelOption = Annotated[
    str | None,
    typer.Option(
        "--level",
        metavar="LEVEL",
        help="A level id (e.g. award, excellence); exit 1 unless reached.",
    ),
]


def _check_level(framework: Framework, level: str | None) -> None:
    if level is not None and level not in framework.level_ids:
        raise UsageError(
            f"unknown level '{level}'; {framework.id} has: {', '.join(framework.level_ids)}"
        )


def _bar(done: int, total: int, width: int = 20) -> str:
    if not out.is_terminal or total == 0:
        return ""
    filled = round(width * done / total)
    return "[green]" + "█" * filled + "[/][dim]" + "░" * (width - filled) + "[/]"


def _level_line(level: LevelResult) -> str:
    verb = "met" if level.counts == "met" else "answered"
    mark = "[green]✓ reached[/]" if level.achieved else "[yellow]not yet[/]"
    needed = f" (needs {level.needed})" if level.needed != level.total else ""
    bar = _bar(level.counted, level.total)
    line = f"{level.name}: {level.counted} of {level.total} {verb}{needed} {bar} {mark}"
    if level.missing_steps:
        line += f"\n    still to record: {', '.join(level.missing_steps)}"
    return line


def status_json(result: Assessment) -> dict[str, Any]:
    fw, manifest = result.framework, result.manifest
    return {
        "framework": fw.id,
        "framework_version": fw.version,
        "service": manifest.service.name,
        "today": result.today,
        "reached_level": result.reached.id if result.reached else None,
        "target_level": result.target.id if result.target else None,
        "levels": [
            {
                "id": lv.id,
                "name": lv.name,
                "counts": lv.counts,
                "met": lv.counted,
                "total": lv.total,
                "needed": lv.needed,
                "achieved": lv.achieved,
                "missing_steps": list(lv.missing_steps),
            }
            for lv in result.levels
        ],
        "areas": [
            {
                "id": area.area.id,
                "name": area.area.name,
                "method": area.area.method,
                "levels": {
                    lid: dict(zip(("met", "total"), area.count(lid), strict=True))
                    for lid in fw.level_ids
                },
            }
            for area in result.areas
        ],
        "unmet": [
            {
                "id": r.id,
                "area": r.area.id,
                "level": r.level,
                "method": r.method.id,
                "title": r.title,
                "status": r.status,
            }
            for r in result.unmet
        ],
        "interviews": [
            {
                "role": p.id,
                "name": p.name,
                "required": p.required,
                "recorded": p.recorded,
                "max_minutes": p.max_minutes,
            }
            for p in result.interviews
        ],
        "case_studies": [
            {"kind": p.id, "name": p.name, "required": p.required, "recorded": p.recorded}
            for p in result.case_studies
        ],
        "plan": None
        if result.plan is None
        else {
            "priorities": result.plan.priorities,
            "min": result.plan.min_priorities,
            "max": result.plan.max_priorities,
            "agreed": result.plan.agreed,
            "lacks": list(result.plan.lacks),
        },
        "next_deadlines": [
            {"id": m.id, "title": m.title, "due": m.due, "state": m.state, "days_left": m.days_left}
            for m in result.next_deadlines
        ],
    }


def status(
    level: LevelOption = None,
    json: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show progress and exactly what is still missing for the next level.

    Per practice area and level, with interviews, case studies and the next deadlines.

    Exit 0 whatever the progress; with --level, exit 1 while that level is not reached.
    """
    ctx = load(workspace)
    _check_level(ctx.framework, level)
    result = ctx.assess(level, files=False)
    if json:
        print_json(status_json(result))
    else:
        _print_status(result)
    if level is not None and not result.level(level).achieved:
        raise typer.Exit(1)


def _print_status(result: Assessment) -> None:
    fw, manifest = result.framework, result.manifest
    out.print(
        f"[bold]{manifest.service.name}[/] — {fw.name} ({fw.version}), "
        f"as of {result.today.isoformat()}"
    )
    out.print()
    for level in result.levels:
        out.print(_level_line(level))
    out.print()
    names = {lv.id: lv.name for lv in fw.levels}
    methods = {m.id: m.name for m in fw.evidence_methods}
    table = Table(title="Practice areas", title_justify="left")
    table.add_column("area")
    table.add_column("assessed by")
    for lid in fw.level_ids:
        table.add_column(names[lid], justify="right")
    for area in result.areas:
        cells = []
        for lid in fw.level_ids:
            met, total = area.count(lid)
            cells.append(f"{met}/{total}" if total else "—")
        table.add_row(area.area.name, methods[area.area.method], *cells)
    out.print(table)
    if result.target is None:
        out.print("\n[green]Every level is reached.[/] Well done.")
    elif result.unmet:
        verb = "met" if result.target.counts == "met" else "answered"
        out.print(f"\n[bold]Still to be {verb} for {result.target.name}[/] ({len(result.unmet)}):")
        for r in result.unmet:
            now = f" [dim](now: {fw.status_labels.get(r.status, r.status)})[/]" if r.status else ""
            out.print(f"  {r.id}  {r.title} [dim]· {r.area.name} · {r.method.name}[/]{now}")
    if result.target is not None and result.target.missing_steps:
        out.print(f"\n[bold]Steps still to record for {result.target.name}:[/]")
        for step in result.target.missing_steps:
            out.print(f"  {fw.event_names.get(step, step)}  (mentorqa event {step} DATE)")
    if result.interviews or result.case_studies:
        out.print("\n[bold]Interviews and case studies[/]")
        for p in (*result.interviews, *result.case_studies):
            limit = f", up to {p.max_minutes} minutes each" if p.max_minutes else ""
            tick = "[green]✓[/]" if p.complete else " "
            out.print(f"  {tick} {p.name}: {p.recorded} of {p.required}{limit}")
    if result.plan is not None:
        plan = result.plan
        out.print(
            f"\n[bold]{plan.name}[/]: {plan.priorities} of {plan.min_priorities}-"
            f"{plan.max_priorities} priorities" + (", agreed" if plan.agreed else "")
        )
        for lack in plan.lacks:
            out.print(f"  - {lack}")
    deadlines = result.next_deadlines[:3]
    if deadlines:
        out.print("\n[bold]Next deadlines[/]")
        for m in deadlines:
            assert m.due is not None and m.days_left is not None
            when = (
                f"[red]overdue by {-m.days_left} days[/]"
                if m.state == "overdue"
                else f"in {m.days_left} days"
            )
            out.print(f"  {m.due.isoformat()}  {m.title} ({when})")
    unanswered = result.eligibility.unanswered
    if unanswered:
        out.print(
            f"\n{len(unanswered)} eligibility question(s) unanswered: see 'mentorqa eligibility'."
        )


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {"indicator": finding.indicator, "file": finding.file, "message": finding.message}


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
    unfinished workspace with nothing wrong passes.
    """
    ctx = load(workspace)
    _check_level(ctx.framework, level)
    result = ctx.assess(level)
    findings = list(result.findings)
    if level is not None and not result.level(level).achieved:
        lv = result.level(level)
        findings.append(
            Finding(
                "error",
                f"level '{lv.name}' is not reached: {lv.counted} of {lv.total} "
                f"{'met' if lv.counts == 'met' else 'answered'}"
                + (f", steps missing: {', '.join(lv.missing_steps)}" if lv.missing_steps else ""),
            )
        )
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    failed = bool(errors) or (strict and bool(warnings))
    if junit is not None:
        from ..reports.junit import write_junit

        write_junit(junit, result, findings, strict)
    if json:
        print_json(
            {
                "ok": not failed,
                "errors": [_finding_json(f) for f in errors],
                "warnings": [_finding_json(f) for f in warnings],
            }
        )
    else:
        for f in errors:
            err.print(f"error: {_where(f)}{f.message}", soft_wrap=True, highlight=False)
        for f in warnings:
            err.print(f"warning: {_where(f)}{f.message}", soft_wrap=True, highlight=False)
        summary = f"{len(errors)} error(s), {len(warnings)} warning(s)"
        out.print(("[red]check failed[/]: " if failed else "[green]check passed[/]: ") + summary)
    if failed:
        raise typer.Exit(1)


def _where(finding: Finding) -> str:
    parts = [finding.file]
    if finding.indicator:
        parts.append(finding.indicator)
    return ": ".join(parts) + ": "
