"""What commands show at a terminal, as rich renderables. Every piece of user or framework text
goes through :func:`esc`, so no name, note or file can inject markup."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich import box
from rich.table import Table
from rich.tree import Tree

from ..assessment import Assessment
from ..frameworks.model import Framework
from ..frameworks.registry import Found
from ..manifest import Service
from ..rules.costs import Quote
from ..rules.levels import LevelResult
from ..rules.timeline import MilestoneResult
from ..values import visible as visible
from .terminal import esc

Lines = list[Any]  # strings with rich markup, tables, trees


def _bar(done: int, total: int, terminal: bool, width: int = 20) -> str:
    if not terminal or total == 0:
        return ""
    filled = round(width * done / total)
    return "[green]" + "█" * filled + "[/][dim]" + "░" * (width - filled) + "[/]"


def level_line(level: LevelResult, terminal: bool = False) -> str:
    mark = "[green]✓ reached[/]" if level.achieved else "[yellow]not yet[/]"
    needed = f" (needs {level.needed})" if level.needed != level.total else ""
    bar = _bar(level.counted, level.total, terminal)
    if level.expired and level.expires is not None:
        mark = f"[red]expired {level.expires.isoformat()}[/]"
    elif level.achieved and level.expires is not None:
        mark += f" until {level.expires.isoformat()}"
    line = f"{esc(level.name)}: {level.counted} of {level.total} {level.verb}{needed} {bar} {mark}"
    if level.missing_steps:
        line += f"\n    still to record: {esc(', '.join(level.missing_steps))}"
    return line


def status(
    result: Assessment, terminal: bool = False, *, full: bool = False, area: str | None = None
) -> Lines:
    """Where the service stands: short by default (deadlines first, then levels, then per
    practice area what is done and what is next); ``full`` lists every indicator still to do,
    ``area`` one practice area's."""
    fw, manifest = result.framework, result.manifest
    lines: Lines = [
        f"[bold]{esc(manifest.service.name)}[/] — {esc(fw.name)} ({esc(fw.version)}), "
        f"as of {result.today.isoformat()}",
        *deadlines(result.next_deadlines[:3]),
        "",
        *(level_line(level, terminal) for level in result.levels),
    ]
    lines += _cycle(result)
    if area is not None:
        lines += _area_detail(result, area)
        return lines
    if full:
        lines += ["", _areas_table(result), *_unmet(result)]
    else:
        lines += _next_per_area(result)
    lines += _people_and_plan(result)
    lines += _lapses(result)
    lines += _upcoming(result)
    unanswered = result.eligibility.unanswered
    if unanswered:
        lines.append(
            f"\n{len(unanswered)} eligibility question(s) unanswered: see 'mentorqa eligibility'."
        )
    if not full:
        lines.append(
            "\n[dim]'mentorqa status --all' lists every indicator still to do; "
            "'--area AREA' one practice area; 'mentorqa show INDICATOR' what one requires.[/]"
        )
    return lines


def _upcoming(result: Assessment) -> Lines:
    """New indicators of the framework that count towards levels only from their date."""
    new = [r for r in result.indicators if r.upcoming]
    if not new:
        return []
    shown = ", ".join(f"{esc(r.id)} (from {r.indicator.upcoming})" for r in new[:5])
    more = f" and {len(new) - 5} more" if len(new) > 5 else ""
    return [f"\nNew indicators, not yet counted: {shown}{more}; 'mentorqa show ID' says more."]


def _lapses(result: Assessment) -> Lines:
    """Evidence past, or within the framework's warning window of, its last valid day."""
    if not result.lapses:
        return []
    lines: Lines = ["", "[bold]Evidence that lapses[/]"]
    for x in result.lapses[:5]:
        when = (
            f"[red]expired {x.expires}[/]"
            if x.expired
            else f"[yellow]valid until {x.expires}[/] ({x.expires_in} days)"
        )
        lines.append(f"  {esc(x.indicator)}  {esc(x.file)}: {when}")
    if len(result.lapses) > 5:
        lines.append(f"  ... and {len(result.lapses) - 5} more: see 'mentorqa check'")
    return lines


def _cycle(result: Assessment) -> Lines:
    """For a workspace in a later round (a reaccreditation): what the round asks, from data."""
    fw, chosen = result.framework, result.manifest.cycle
    cycle = next((c for c in fw.cycles if c.id == chosen), None)
    if cycle is None or cycle is (fw.cycles[0] if fw.cycles else None):
        return []
    methods = {m.id: m.name for m in fw.evidence_methods}
    roles = {i.role: i.name for i in fw.interviews}
    parts = [f"{n} by {methods.get(m, m).lower()}" for m, n in cycle.counts.items()]
    talks = [f"{n} {roles.get(r, r).lower()}" for r, n in cycle.interviews.items()]
    when = f" (years {', '.join(map(str, cycle.at_years))})" if cycle.at_years else ""
    line = f"[bold]{esc(cycle.name)}{when}[/]: " + esc("; ".join(parts))
    if talks:
        line += esc(f"; interviews: {', '.join(talks)}")
    return ["", line]


def _next_per_area(result: Assessment) -> Lines:
    """Per practice area: how many of the target level's indicators count, and the next one."""
    towards = result.target
    if towards is None:
        return ["\n[green]Every level is reached.[/] Well done."]
    still = {r.id for r in result.unmet}
    table = Table(
        title=f"Towards {esc(towards.name)}",
        title_justify="left",
        box=None,
        padding=(0, 1),
        show_edge=False,
    )
    table.add_column("practice area")
    table.add_column("done", justify="right", no_wrap=True)
    table.add_column("next to do")
    scope = set(result.framework.level_ids[: result.framework.level_ids.index(towards.id) + 1])
    for found in result.areas:
        mine = [r for r in found.indicators if r.level in scope and not r.upcoming]
        todo = [r for r in mine if r.id in still]
        if not mine:
            continue
        upcoming = f"{esc(todo[0].id)} {esc(todo[0].title)}" if todo else "[green]done[/]"
        if len(todo) > 1:
            upcoming += f" [dim](+{len(todo) - 1} more)[/]"
        done = f"{len(mine) - len(todo)}/{len(mine)}"
        table.add_row(esc(found.area.name), done, upcoming)
    lines: Lines = ["", table]
    if towards.missing_steps:
        names = ", ".join(result.framework.event_names.get(s, s) for s in towards.missing_steps)
        lines.append(f"Steps still to record for {esc(towards.name)}: {esc(names)}")
    return lines


def _area_detail(result: Assessment, area: str) -> Lines:
    """Every indicator of one practice area with its state and what it requires."""
    found = next(a for a in result.areas if a.area.id == area)
    labels = result.framework.status_labels
    lines: Lines = [f"\n[bold]{esc(found.area.name)}[/]"]
    for r in found.indicators:
        state = labels.get(r.status, r.status) if r.status else "not yet judged"
        tick = "[green]✓[/]" if r.met else " "
        lines.append(f"  {tick} {esc(r.id)}  {esc(r.title)} [dim]({esc(state)})[/]")
        if not r.met:
            lines.append(f"      [dim]{esc(r.requires)}[/]")
    return lines


def _people_and_plan(result: Assessment) -> Lines:
    lines: Lines = []
    if result.interviews or result.case_studies:
        lines.append("\n[bold]Interviews and case studies[/]")
        for p in (*result.interviews, *result.case_studies):
            limit = f", up to {p.max_minutes} minutes each" if p.max_minutes else ""
            tick = "[green]✓[/]" if p.complete else " "
            lines.append(
                f"  {tick} {esc(p.name)}: {p.recorded} recorded (normally {p.required}{limit})"
            )
    if result.plan is not None:
        plan = result.plan
        agreed = ", agreed" if plan.agreed else ""
        lines.append(
            f"\n[bold]{esc(plan.name)}[/]: {plan.priorities} of {plan.min_priorities}-"
            f"{plan.max_priorities} priorities{agreed}"
        )
        lines += [f"  - {esc(lack)}" for lack in plan.lacks]
    return lines


def _areas_table(result: Assessment) -> Table:
    fw = result.framework
    methods = {m.id: m.name for m in fw.evidence_methods}
    table = Table(title="Practice areas", title_justify="left")
    table.add_column("area")
    table.add_column("assessed by")
    for level in fw.levels:
        table.add_column(esc(level.name), justify="right")
    for area in result.areas:
        cells = []
        for lid in fw.level_ids:
            met, total = area.count(lid)
            cells.append(f"{met}/{total}" if total else "—")
        table.add_row(esc(area.area.name), esc(methods[area.area.method]), *cells)
    return table


def _unmet(result: Assessment) -> Lines:
    fw = result.framework
    lines: Lines = []
    if result.target is None:
        return ["\n[green]Every level is reached.[/] Well done."]
    if result.unmet:
        lines.append(
            f"\n[bold]Still to be {result.target.verb} for {esc(result.target.name)}[/] "
            f"({len(result.unmet)}):"
        )
        for r in result.unmet:
            label = fw.status_labels.get(r.status, r.status) if r.status else ""
            now = f" [dim](now: {esc(label)})[/]" if label else ""
            lines.append(
                f"  {esc(r.id)}  {esc(r.title)} [dim]· {esc(r.area.name)} · "
                f"{esc(r.method.name)}[/]{now}"
            )
    if result.target.missing_steps:
        lines.append(f"\n[bold]Steps still to record for {esc(result.target.name)}:[/]")
        for step in result.target.missing_steps:
            name = fw.event_names.get(step, step)
            lines.append(f"  {esc(name)}  (mentorqa event {esc(step)} DATE)")
    return lines


def deadlines(milestones: list[MilestoneResult]) -> Lines:
    if not milestones:
        return []
    lines: Lines = ["", "[bold]Next deadlines[/]"]
    for m in milestones:
        assert m.due is not None and m.days_left is not None
        days = -m.days_left if m.state == "overdue" else m.days_left
        plural = "day" if days == 1 else "days"
        when = (
            f"[red]overdue by {days} {plural}[/]" if m.state == "overdue" else f"in {days} {plural}"
        )
        lines.append(f"  {m.due.isoformat()}  {esc(m.title)} ({when})")
    return lines


def timeline(result: Assessment) -> Lines:
    fw = result.framework
    table = Table(
        title=f"{esc(fw.name)}: timeline as of {result.today.isoformat()}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    # Short columns never wrap; the milestone (with what it counts from) takes the rest, so at
    # 80 columns words wrap whole instead of being folded.
    table.add_column("due", no_wrap=True)
    table.add_column("milestone", ratio=1)
    table.add_column("whose", no_wrap=True)
    table.add_column("state", no_wrap=True)
    colours = {
        "done": "green",
        "scheduled": "cyan",
        "overdue": "red",
        "upcoming": "yellow",
        "waiting": "dim",
    }
    for m in result.milestones:
        whose = "yours" if m.owner == "service" else "awarding body"
        title = f"{esc(m.title)}\n[dim]after {esc(m.after_name)}[/]"
        table.add_row(_due(m), title, whose, f"[{colours[m.state]}]{_state(m)}[/]")
    lines: Lines = [table]
    missing = [e for e in fw.events if e.id not in result.manifest.dates]
    if missing:
        lines.append(
            "Record events with 'mentorqa event EVENT DATE'; not yet recorded: "
            + esc(", ".join(e.id for e in missing))
        )
    return lines


def _due(m: MilestoneResult) -> str:
    if m.due is None:
        return "—"
    if m.earliest is not None:
        return f"{m.earliest.isoformat()} to {m.due.isoformat()}"
    return m.due.isoformat()


def _state(m: MilestoneResult) -> str:
    if m.state == "upcoming" and m.days_left is not None:
        return f"upcoming, {m.days_left} day{'' if m.days_left == 1 else 's'}"
    if m.state == "overdue" and m.days_left is not None:
        return f"overdue by {-m.days_left} day{'' if m.days_left == -1 else 's'}"
    if m.state in ("done", "scheduled") and m.done_on is not None:
        return f"{m.state} {m.done_on.isoformat()}"
    return m.state


def quote(fw: Framework, q: Quote, years: bool) -> Lines:
    lines: Lines = []
    if not q.known:
        lines.append(f"[bold]{esc(fw.name)}[/]: the fees are not published; ask {esc(fw.owner)}.")
    elif q.free:
        lines.append(f"[bold]{esc(fw.name)}[/] costs nothing.")
    else:
        assert q.band is not None
        given = f" for a turnover of {esc(fw.money(q.turnover))}" if q.turnover is not None else ""
        lines.append(
            f"[bold]{esc(fw.name)}[/]{given}: [bold]{esc(q.band.name)}[/] band "
            f"({esc(q.band_basis)})"
        )
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_row("Registration", esc(fw.money(q.registration)))
        table.add_row("Assessment", esc(fw.money(q.assessment)))
        table.add_row("[bold]Total[/]", f"[bold]{esc(fw.money(q.total))}[/]")
        lines.append(table)
    if years and q.years:
        lines.append(f"\n[bold]Over the {len(q.years)}-year award period[/]")
        table = Table()
        table.add_column("year")
        table.add_column("what")
        table.add_column("amount", justify="right")
        for y in q.years:
            for what, value in y.items:
                table.add_row(str(y.year), esc(what), esc(fw.money(value)))
        total = fw.money(sum(y.total for y in q.years))
        table.add_row("", "[bold]total[/]", f"[bold]{esc(total)}[/]")
        lines.append(table)
    elif years:
        lines.append("\nThis framework gives no yearly costs beyond the fee above.")
    lines += [f"• {esc(note)}" for note in q.notes]
    return lines


def eligibility(result: Assessment) -> Lines:
    fw, found = result.framework, result.eligibility
    regions = f" (available in {esc(fw.eligibility.regions)})" if fw.eligibility.regions else ""
    lines: Lines = [f"[bold]Eligibility for {esc(fw.name)}[/]{regions}"]
    marks = {True: "[green]yes[/]", False: "[red]no[/] ", None: "[yellow]?[/]  "}
    for c in found.criteria:
        lines.append(f"  {marks[c.answer]}  {esc(c.text)} [dim]({esc(c.id)})[/]")
    if not found.criteria:
        lines.append(f"{esc(fw.name)} states no eligibility criteria; ask {esc(fw.owner)}.")
        return lines
    if found.eligible:
        lines.append("\n[green]Eligible[/] on every criterion.")
        return lines
    if found.unanswered:
        ids = " ".join(f"--answer {c.id}=yes" for c in found.unanswered[:2])
        lines.append(
            f"\n{len(found.unanswered)} unanswered: record answers like "
            f"'mentorqa eligibility {esc(ids)}'."
        )
    if any(c.answer is False for c in found.criteria) and found.if_not_eligible:
        lines.append(f"\n{esc(found.if_not_eligible)}")
    return lines


def frameworks(found: list[Found]) -> Lines:
    # One short block per framework rather than a table: owners and names are long, and a
    # table squeezed into 80 columns (the width when piped) breaks words in half.
    lines: Lines = []
    for f in found:
        fw = f.framework
        levels = ", ".join(level.name for level in fw.levels)
        lines.append(f"[bold]{esc(fw.id)}[/bold]  {esc(fw.name)} ({esc(fw.owner)})")
        lines.append(
            f"      version {esc(fw.version)} · {len(fw.indicator_index)} indicators"
            f" · levels: {esc(levels)} · {f.origin}"
        )
    return lines


def framework(fw: Framework) -> Tree:
    level_names = {level.id: level.name for level in fw.levels}
    methods = {method.id: method.name for method in fw.evidence_methods}
    totals = Counter(ind.level for _, ind in fw.indicator_index.values())
    summary = ", ".join(f"{totals[lid]} {level_names[lid]}" for lid in fw.level_ids)
    tree = Tree(
        f"[bold]{esc(fw.name)}[/] ({esc(fw.id)}, {esc(fw.version)}) by {esc(fw.owner)}: "
        f"{esc(summary)}"
    )
    for area in fw.practice_areas:
        counts = Counter(ind.level for ind in area.indicators)
        per_level = ", ".join(
            f"{counts[lid]} {level_names[lid]}" for lid in fw.level_ids if counts[lid]
        )
        branch = tree.add(
            f"[bold]{esc(area.name)}[/] [dim]({esc(area.id)})[/] — {esc(per_level)}; "
            f"{esc(methods[area.method])}"
        )
        for ind in area.indicators:
            method = f" [dim]· {esc(methods[ind.method])}[/]" if ind.method else ""
            branch.add(
                f"{esc(ind.id)}  {esc(ind.title)} [dim]· {esc(level_names[ind.level])}[/]{method}"
            )
    return tree


def plan(result: Assessment) -> Lines:
    progress = result.plan
    fw = result.framework
    if progress is None:
        return [f"{esc(fw.name)} has no improvement plan."]
    lines: Lines = [f"[bold]{esc(progress.name)}[/]" + (" (agreed)" if progress.agreed else "")]
    if progress.latest:
        lines.append(f"Priorities may be due any time up to {progress.latest}.")
    for number, p in enumerate(result.manifest.plan.priorities, 1):
        area = f" [dim]({esc(p.area)})[/]" if p.area else ""
        lines.append(f"\n{number}. [bold]{esc(p.goal)}[/]{area}")
        lines += [f"   - {esc(action)}" for action in p.actions]
        lines.append(f"   owner: {esc(p.owner) or '—'}; target: {p.target or '—'}")
    lines += [f"[yellow]still needed:[/] {esc(lack)}" for lack in progress.lacks]
    for version in result.manifest.plan_history:
        agreed = f", agreed {version.agreed}" if version.agreed else ""
        lines.append(
            f"[dim]Version {version.version}{agreed}, revised {version.revised}: "
            f"{len(version.priorities)} priorities[/]"
        )
    return lines


def evidence(rows: list[dict[str, Any]]) -> Lines:
    if not rows:
        return ["No evidence recorded yet. Add some with 'mentorqa evidence add INDICATOR FILE'."]
    table = Table()
    columns = ("indicator", "file", "recorded", "expires", "state", "note")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(esc(row[key] or "") for key in columns))
    return [table]


def service(fw: Framework, recorded: Service) -> str:
    """The service's name, turnover and sector, as ``mentorqa service`` shows them."""
    turnover = fw.money(recorded.turnover) if recorded.turnover is not None else "not recorded"
    sector = recorded.sector or "not recorded"
    return f"{esc(recorded.name)}: turnover {esc(turnover)}, sector {esc(sector)}"


def indicator(fw: Framework, shown: dict[str, Any]) -> Lines:
    """One indicator as ``mentorqa show`` prints it, in a manager's words."""
    area = next(a for a in fw.practice_areas if a.id == shown["area"])
    level = next(lv for lv in fw.levels if lv.id == shown["level"])
    lines: Lines = [
        f"[bold]{esc(shown['id'])}  {esc(shown['title'])}[/]",
        f"{esc(area.name)} · {esc(level.name)} · assessed by {esc(shown['method_name'])}",
        "",
        f"[bold]What it requires[/]\n  {esc(shown['requires'])}",
    ]
    if shown["upcoming"]:
        lines.insert(2, f"[yellow]New: counts towards levels from {shown['upcoming']}.[/]")
    if shown["evidence_examples"]:
        lines.append("[bold]Typical evidence[/]")
        lines += [f"  • {esc(example)}" for example in shown["evidence_examples"]]
    for key, who in (("self", "Your judgement"), ("assessor", "The assessor's judgement")):
        judged = shown[key]
        if judged is None:
            continue
        rating = f", rating {judged['rating']}" if judged["rating"] is not None else ""
        note = f" — {esc(judged['note'])}" if judged["note"] else ""
        lines.append(f"[bold]{who}[/]: {esc(judged['label'])}{rating}{note}")
    if shown["evidence"]:
        lines.append("[bold]Evidence recorded[/]")
        lines += [
            f"  {esc(e['file'])} ({e['recorded']}"
            + (f"; valid until {e['expires']}" if e["expires"] else "")
            + ")"
            for e in shown["evidence"]
        ]
    lines += [f"  interview: {esc(i['role'])} {esc(i['who'])}" for i in shown["interviews"]]
    lines += [f"  case study: {esc(c['title'] or c['kind'])}" for c in shown["case_studies"]]
    return lines


def provenance(fw: Framework) -> Lines:
    """Where a framework's facts come from, its steps, benefits and eligibility questions."""
    lines: Lines = []
    if fw.notes:
        lines.append("\n[bold]Where this comes from[/]")
        lines += [f"  • {esc(' '.join(note.split()))}" for note in fw.notes]
    if fw.steps:
        lines.append("\n[bold]Steps[/]")
        lines += [f"  {n}. {esc(step.title)}" for n, step in enumerate(fw.steps, 1)]
    if fw.eligibility.criteria:
        lines.append("\n[bold]Eligibility[/]")
        for c in fw.eligibility.criteria:
            lines.append(f"  • {esc(c.question)} [dim]({esc(c.id)})[/]")
            if c.help:
                lines.append(f"    [dim]{esc(' '.join(c.help.split()))}[/]")
    if fw.benefits:
        lines.append("\n[bold]Benefits[/]")
        lines += [f"  • {esc(' '.join(b.split()))}" for b in fw.benefits]
    return lines


def changes(rows: list[dict[str, Any]]) -> Lines:
    """The log of changes, numbered as 'change remove' takes them."""
    if not rows:
        return ["No changes recorded. Add one with 'mentorqa change add TEXT'."]
    return [f"{row['number']}. {row['date']}  {esc(row['text'])}" for row in rows]


def wrapped(lines: list[str], width: int) -> str:
    """Plain lines wrapped at word boundaries, indented under a summary. A sheet may change
    thousands of judgements: textwrap takes milliseconds where rich takes seconds, and the lines
    are written as they are (no markup to interpret)."""
    import textwrap

    wrap = textwrap.TextWrapper(
        width,
        initial_indent="  ",
        subsequent_indent="    ",
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "".join(f"{wrap.fill(visible(line))}\n" for line in lines)
