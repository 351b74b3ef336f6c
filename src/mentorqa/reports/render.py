"""Markdown and HTML reports from Jinja2 templates, rendered in Jinja's sandbox.

Templates receive plain data built here (dicts, lists, strings, numbers, dates), never the
workspace's own objects: people appear by role and pseudonym only, unless the workspace records
consent to name them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..assessment import Assessment, IndicatorResult
from ..costs import quote
from ..errors import MentorqaError, Problem, UsageError
from ..resources import bundled_dir
from ..timeline import MilestoneResult

FORMATS = ("md", "html")


def template_folders(workspace_root: Path) -> list[Path]:
    """A workspace's own ``templates/`` first, then the bundled ones."""
    return [workspace_root / "templates", bundled_dir("templates")]


def _person(interview: Any, consent: bool) -> str:
    """How a report names an interviewee: the pseudonym unless names are consented to."""
    return str(interview.name if consent and interview.name else interview.pseudonym)


def _indicator(r: IndicatorResult, fw_labels: dict[str, str], consent: bool) -> dict[str, Any]:
    def judgement(j: Any) -> dict[str, Any] | None:
        if j is None:
            return None
        return {
            "status": j.status,
            "label": fw_labels.get(j.status, j.status),
            "rating": j.rating,
            "note": j.note,
            "date": j.date,
        }

    return {
        "id": r.id,
        "title": r.title,
        "requires": r.requires,
        "level": r.level,
        "method": r.method.id,
        "method_name": r.method.name,
        "met": r.met,
        "answered": r.answered,
        "status": r.status,
        "label": fw_labels.get(r.status, r.status) if r.status else "Not yet judged",
        "self": judgement(r.own),
        "assessor": judgement(r.assessor),
        "evidence": [{"file": e.file, "note": e.note, "recorded": e.recorded} for e in r.evidence],
        "interviews": [
            {"role": i.role, "who": _person(i, consent), "date": i.date} for i in r.interviews
        ],
        "case_studies": [
            {"kind": c.kind, "title": c.title, "file": c.file} for c in r.case_studies
        ],
    }


def _milestone(m: MilestoneResult) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "due": m.due,
        "earliest": m.earliest,
        "state": m.state,
        "days_left": m.days_left,
        "done_on": m.done_on,
        "after": m.after_name,
        "marker": m.is_marker,
    }


def gantt(result: Assessment) -> str:
    """A Mermaid gantt chart of the dated milestones (empty when none is dated)."""
    dated = [m for m in result.milestones if m.due is not None]
    if not dated:
        return ""
    lines = [
        "```mermaid",
        "gantt",
        f"    title {_mermaid_text(result.framework.name)} timeline",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m-%d",
        "    section Milestones",
    ]
    for index, m in enumerate(dated):
        assert m.due is not None
        tag = {"done": "done, ", "overdue": "crit, ", "upcoming": "", "waiting": ""}[m.state]
        start = m.earliest or m.due
        if start == m.due:
            lines.append(f"    {_mermaid_text(m.title)} :{tag}milestone, m{index}, {m.due}, 0d")
        else:
            lines.append(f"    {_mermaid_text(m.title)} :{tag}m{index}, {start}, {m.due}")
    lines.append("```")
    return "\n".join(lines)


def _mermaid_text(text: str) -> str:
    return text.replace(":", " -").replace("#", "").replace(";", ",")


def build_context(result: Assessment) -> dict[str, Any]:
    """Everything a template may use, as plain data."""
    fw, manifest = result.framework, result.manifest
    consent = manifest.privacy.names_consent
    labels = fw.status_labels
    indicators = {r.id: _indicator(r, labels, consent) for r in result.indicators}
    sections = {s.id: s.name for s in fw.sections}
    areas = []
    for area in result.areas:
        per_level = []
        for level in fw.levels:
            met, total = area.count(level.id)
            if total:
                per_level.append({"id": level.id, "name": level.name, "met": met, "total": total})
        items = [indicators[r.id] for r in area.indicators]
        answered = [i for i in items if i["answered"]]
        areas.append(
            {
                "id": area.area.id,
                "name": area.area.name,
                "description": area.area.description,
                "section": area.area.section,
                "section_name": sections.get(area.area.section or "", ""),
                "method": area.area.method,
                "levels": per_level,
                "indicators": items,
                "in_practice": sum(1 for i in items if i["met"]),
                "answered": len(answered),
                "total": len(items),
                "average_rating": area.average_rating,
                "strengths": list(area.strengths),
                "suggestions": list(area.suggestions),
            }
        )
    cost = None
    if fw.fees.bands and manifest.service.turnover is not None:
        q = quote(fw, manifest.service.turnover, manifest.service.sector)
        cost = {
            "band": q.band.name if q.band else None,
            "registration": fw.money(q.registration),
            "assessment": fw.money(q.assessment),
            "total": fw.money(q.total),
            "notes": list(q.notes),
        }
    elif not fw.fees.bands:
        cost = {"band": None, "total": fw.money(0), "notes": list(fw.fees.notes)}
    plan = manifest.plan
    rules = fw.plan
    statement = fw.statement
    return {
        "today": result.today,
        "framework": {
            "id": fw.id,
            "name": fw.name,
            "owner": fw.owner,
            "version": fw.version,
            "summary": fw.summary,
            "confidentiality": fw.confidentiality,
            "benefits": list(fw.benefits),
            "rating": fw.judgement.rating.model_dump() if fw.judgement.rating else None,
        },
        "service": {"name": manifest.service.name, "organisation": manifest.service.organisation},
        "dates": {e.id: manifest.dates.get(e.id) for e in fw.events},
        "event_names": dict(fw.event_names),
        "level_names": {lv.id: lv.name for lv in fw.levels},
        "levels": [
            {
                "id": lv.id,
                "name": lv.name,
                "counted": lv.counted,
                "total": lv.total,
                "needed": lv.needed,
                "achieved": lv.achieved,
                "counts": lv.counts,
                "missing_steps": [fw.event_names.get(s, s) for s in lv.missing_steps],
            }
            for lv in result.levels
        ],
        "reached": result.reached.name if result.reached else None,
        "target": result.target.name if result.target else None,
        "unmet": [indicators[r.id] for r in result.unmet],
        "not_in_practice": [i for i in indicators.values() if i["answered"] and not i["met"]],
        "unanswered": [i for i in indicators.values() if not i["answered"]],
        "areas": areas,
        "sections": [
            {"id": s.id, "name": s.name, "areas": [a for a in areas if a["section"] == s.id]}
            for s in fw.sections
        ],
        "interviews": [
            {
                "role": i.role,
                "who": _person(i, consent),
                "date": i.date,
                "minutes": i.minutes,
                "indicators": list(i.indicators),
            }
            for i in manifest.interviews
        ],
        "interview_progress": [
            {
                "name": p.name,
                "required": p.required,
                "recorded": p.recorded,
                "max_minutes": p.max_minutes,
                "complete": p.complete,
            }
            for p in result.interviews
        ],
        "case_studies": [
            {"kind": c.kind, "title": c.title, "file": c.file} for c in manifest.case_studies
        ],
        "case_study_progress": [
            {"name": p.name, "required": p.required, "recorded": p.recorded, "complete": p.complete}
            for p in result.case_studies
        ],
        "visit": {
            "name": fw.visit.name if fw.visit else None,
            "mode": manifest.visit.mode.replace("_", " "),
            "date": manifest.dates.get(fw.visit.event) if fw.visit and fw.visit.event else None,
        },
        "milestones": [_milestone(m) for m in result.milestones],
        "next_deadlines": [_milestone(m) for m in result.next_deadlines],
        "gantt": gantt(result),
        "cost": cost,
        "plan": None
        if rules is None
        else {
            "name": rules.name,
            "description": rules.description,
            "min": rules.min_priorities,
            "max": rules.max_priorities,
            "earliest": result.plan.earliest if result.plan else None,
            "latest": result.plan.latest if result.plan else None,
            "agreed": result.plan.agreed if result.plan else False,
            "agreed_on": manifest.dates.get(rules.agreed_event),
            "lacks": list(result.plan.lacks) if result.plan else [],
            "strengths": list(plan.strengths),
            "improvements": list(plan.improvements),
            "priorities": [
                {
                    "goal": p.goal,
                    "area": p.area,
                    "actions": list(p.actions),
                    "owner": p.owner,
                    "target": p.target,
                }
                for p in plan.priorities
            ],
            "follow_up": [
                _milestone(m) for m in result.milestones if m.after == rules.agreed_event
            ],
        },
        "statement": None
        if statement is None
        else {
            "title": statement.title,
            "signer": statement.signer,
            "confirms": list(statement.confirms),
            "name": manifest.statement.name,
            "role": manifest.statement.role,
            "date": manifest.dates.get(statement.event),
        },
        "rating_name": fw.judgement.rating.name if fw.judgement.rating else None,
    }


def _date_filter(value: object) -> str:
    """Dates as ISO 8601; a missing date as a dash."""
    if isinstance(value, date):
        return value.isoformat()
    return "—" if value is None else str(value)


def _cell_filter(value: object) -> str:
    """Text made safe for one markdown table cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _environment(folders: list[Path]) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader([str(f) for f in folders]),
        undefined=StrictUndefined,
        autoescape=False,  # markdown, not HTML: the HTML step escapes raw HTML itself
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = _date_filter
    env.filters["cell"] = _cell_filter
    return env


def render_markdown(result: Assessment, kind: str, workspace_root: Path) -> str:
    """The report of ``kind`` as markdown; unknown kinds and broken templates are user errors."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    fw = result.framework
    report = fw.report(kind)
    if report is None:
        kinds = ", ".join(r.id for r in fw.reports) or "none"
        raise UsageError(f"unknown report kind '{kind}' for {fw.id}; use one of: {kinds}")
    folders = template_folders(workspace_root)
    env = _environment(folders)
    context = build_context(result)
    try:
        template = env.get_template(report.template)
        return str(template.render(context))
    except TemplateNotFound:
        raise MentorqaError(
            f"template '{report.template}' for report '{kind}' was not found in "
            f"{' or '.join(str(f) for f in folders)}"
        ) from None
    except TemplateSyntaxError as exc:
        raise MentorqaError(
            Problem(
                f"template syntax error: {exc.message}; fix the template",
                Path(exc.filename or report.template),
                exc.lineno,
                None,
            )
        ) from None
    except SecurityError as exc:
        raise MentorqaError(
            f"template '{report.template}' tried something the sandbox forbids ({exc}); "
            "templates may only use the report data"
        ) from None
    except TemplateError as exc:
        raise MentorqaError(
            f"template '{report.template}' failed: {exc}; check the names it uses"
        ) from None
    except UnicodeDecodeError:
        raise MentorqaError(
            f"template '{report.template}' is not UTF-8 text; save it as UTF-8"
        ) from None
    except Exception as exc:  # a workspace template's own mistake, e.g. {{ 1/0 }}
        file, line = _template_place(exc, folders)
        raise MentorqaError(
            Problem(
                f"template failed while rendering: {type(exc).__name__}: {exc}; "
                "fix the expression at this place",
                file or Path(report.template),
                line,
            )
        ) from None


def _template_place(exc: BaseException, folders: list[Path]) -> tuple[Path | None, int | None]:
    """The template file and line where ``exc`` was raised (Jinja puts them in the traceback)."""
    roots = [str(f) for f in folders]
    place: tuple[Path | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if any(name.startswith(root) for root in roots):
            place = (Path(name), tb.tb_lineno)
        tb = tb.tb_next
    return place


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}
h1,h2,h3{line-height:1.2}h1{border-bottom:2px solid #333;padding-bottom:.3rem}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}
code{background:#f4f4f4;padding:0 .2rem}
pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}
@media print{body{margin:0;max-width:none}a{color:inherit}h2{page-break-after:avoid}
tr{page-break-inside:avoid}}
"""


def to_html(markdown: str, title: str) -> str:
    """One self-contained, printable HTML page. Raw HTML in the markdown is shown as text."""
    from html import escape

    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}"
        "</body>\n</html>\n"
    )


def render(result: Assessment, kind: str, fmt: str, workspace_root: Path) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"format '{fmt}' must be one of: {', '.join(FORMATS)}")
    markdown = render_markdown(result, kind, workspace_root)
    if fmt == "md":
        return markdown
    report = result.framework.report(kind)
    title = f"{report.title if report else kind}: {result.manifest.service.name}"
    return to_html(markdown, title)
