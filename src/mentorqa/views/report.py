"""Markdown and HTML reports from Jinja2 templates, rendered in a bounded sandbox.

Templates receive plain data built here (dicts, lists, strings, numbers, dates), never the
workspace's own objects: people appear by role and pseudonym only, unless the workspace records
consent to name them. Everything a template prints is escaped for markdown unless it is
:class:`~.sandbox.Markdown` built here (the timeline); see :mod:`.sandbox` for the limits.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from .. import plain
from ..assessment import Assessment
from ..errors import MentorqaError, Problem, UsageError, resolve
from ..resources import bundled_dir
from ..rules.costs import quote
from . import data
from .sandbox import LimitExceeded, Markdown, TemplateRefused

FORMATS = ("md", "html", "pdf")
PDF_INSTALL = 'python -m pip install "mentorqa[pdf]"'


def template_folders(workspace_root: Path) -> list[Path]:
    """A workspace's own ``templates/`` first, then the bundled ones."""
    return [workspace_root / "templates", bundled_dir("templates")]


def gantt(result: Assessment) -> Markdown:
    """A Mermaid gantt chart of the dated milestones (empty when none is dated).

    Markdown built here, so templates print it as is; titles pass through :func:`_mermaid_text`.
    """
    dated = [m for m in result.milestones if m.due is not None]
    if not dated:
        return Markdown("")
    lines = [
        "```mermaid",
        "gantt",
        f"    title {_mermaid_text(result.framework.name)} timeline",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m-%d",
        "    section Milestones",
    ]
    tags = {"done": "done, ", "scheduled": "done, ", "overdue": "crit, "}
    for index, m in enumerate(dated):
        assert m.due is not None
        tag = tags.get(m.state, "")
        start = m.earliest or m.due
        if start == m.due:
            lines.append(f"    {_mermaid_text(m.title)} :{tag}milestone, m{index}, {m.due}, 0d")
        else:
            lines.append(f"    {_mermaid_text(m.title)} :{tag}m{index}, {start}, {m.due}")
    lines.append("```")
    return Markdown("\n".join(lines))


def _mermaid_text(text: str) -> str:
    """Text for one Mermaid line: no syntax of its own, and no backtick that could end the
    code block (the text comes from framework files, which a workspace may bring)."""
    text = text.replace(":", " -").replace("#", "").replace(";", ",").replace("`", "'")
    return " ".join(text.split())


def _framework(result: Assessment) -> dict[str, Any]:
    fw = result.framework
    return {
        "id": fw.id,
        "name": fw.name,
        "owner": fw.owner,
        "version": fw.version,
        "summary": fw.summary,
        "notes": list(fw.notes),
        "confidentiality": fw.confidentiality,
        "benefits": list(fw.benefits),
        "rating": plain.data(fw.judgement.rating) if fw.judgement.rating else None,
    }


def _areas(result: Assessment, indicators: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    fw = result.framework
    sections = {s.id: s.name for s in fw.sections}
    areas = []
    for area in result.areas:
        per_level = []
        for level in fw.levels:
            met, total = area.count(level.id)
            if total:
                per_level.append({"id": level.id, "name": level.name, "met": met, "total": total})
        items = [indicators[r.id] for r in area.indicators]
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
                "answered": sum(1 for i in items if i["answered"]),
                "total": len(items),
                "average_rating": area.average_rating,
                "strengths": list(area.strengths),
                "suggestions": list(area.suggestions),
            }
        )
    return areas


def _cost(result: Assessment) -> dict[str, Any] | None:
    fw, service = result.framework, result.manifest.service
    if not fw.fees.bands:
        total = fw.money(0) if fw.fees.public else None  # unpublished fees are not nothing
        return {"band": None, "total": total, "notes": list(fw.fees.notes)}
    if service.turnover is None:
        return None
    q = quote(fw, service.turnover, service.sector)
    return {
        "band": q.band.name if q.band else None,
        "registration": fw.money(q.registration),
        "assessment": fw.money(q.assessment),
        "total": fw.money(q.total),
        "notes": list(q.notes),
    }


def _people(result: Assessment) -> dict[str, Any]:
    manifest, fw = result.manifest, result.framework
    consent = result.names_consent
    return {
        "interviews": [
            {
                "role": i.role,
                "who": data.person(i.pseudonym, i.name, consent),
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
            "assessor": manifest.visit.assessor,
            "date": manifest.dates.get(fw.visit.event) if fw.visit and fw.visit.event else None,
        },
    }


def _plan(result: Assessment) -> dict[str, Any] | None:
    rules = result.framework.plan
    if rules is None:
        return None
    shown = data.plan(result)
    names = _area_names(result)
    progress = data.plan_progress(result) or {}
    return {
        "name": rules.name,
        "description": rules.description,
        "min": rules.min_priorities,
        "max": rules.max_priorities,
        "earliest": progress.get("earliest"),
        "latest": progress.get("latest"),
        "agreed": shown["agreed"],
        "agreed_on": result.manifest.dates.get(rules.agreed_event),
        "lacks": shown["lacks"],
        "strengths": shown["strengths"],
        "improvements": shown["improvements"],
        "version": shown["version"],
        "history": shown["history"],
        "priorities": [
            dict(p, area_name=names.get(p["area"], p["area"])) for p in shown["priorities"]
        ],
        "follow_up": [
            data.milestone(m) for m in result.milestones if m.after == rules.agreed_event
        ],
    }


def _area_names(result: Assessment) -> dict[str, str]:
    """Plan areas by id -> the name people read (sections, or practice areas)."""
    fw = result.framework
    return {s.id: s.name for s in fw.sections} | {a.id: a.name for a in fw.practice_areas}


def _statement(result: Assessment) -> dict[str, Any] | None:
    statement = result.framework.statement
    if statement is None:
        return None
    return {
        "title": statement.title,
        "signer": statement.signer,
        "confirms": list(statement.confirms),
        "name": result.manifest.statement.name,
        "role": result.manifest.statement.role,
        "date": result.manifest.dates.get(statement.event),
    }


def provenance(result: Assessment) -> str:
    """Where the report's wording comes from, for the foot of every report."""
    from .. import __version__

    fw = result.framework
    text = f"Framework: {fw.name} ({fw.owner}), version {fw.version}."
    if fw.wording == "model":
        text += (
            " The indicator wording is mentorqa's own model of the framework, not the official "
            f"wording; 'mentorqa frameworks show {fw.id}' says where each fact comes from."
        )
    return f"{text} Made with mentorqa {__version__} on {result.today.isoformat()}."


def _where_it_stands(result: Assessment, indicators: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "reached": result.reached.name if result.reached else None,
        "target": result.target.name if result.target else None,
        "unmet": [indicators[r.id] for r in result.unmet],
        "not_in_practice": [i for i in indicators.values() if i["answered"] and not i["met"]],
        "unanswered": [i for i in indicators.values() if not i["answered"]],
    }


def _dates(result: Assessment) -> dict[str, Any]:
    return {
        "milestones": [data.milestone(m) for m in result.milestones],
        "next_deadlines": [data.milestone(m) for m in result.next_deadlines],
        "changes": [{"date": c.date, "text": c.text} for c in result.manifest.changes],
    }


def build_context(result: Assessment, show_all_rows: bool = False) -> dict[str, Any]:
    """Everything a template may use, as plain data from the shared builders."""
    fw, manifest = result.framework, result.manifest
    labels = fw.status_labels
    indicators = {r.id: data.indicator(r, labels, result.names_consent) for r in result.indicators}
    areas = _areas(result, indicators)
    levels = [
        dict(
            lv,
            counted=lv["met"],
            missing_steps=[fw.event_names.get(s, s) for s in lv["missing_steps"]],
        )
        for lv in data.levels(result)
    ]
    return {
        "today": result.today,
        "framework": _framework(result),
        "service": {"name": manifest.service.name, "organisation": manifest.service.organisation},
        "dates": {e.id: manifest.dates.get(e.id) for e in fw.events},
        "event_names": dict(fw.event_names),
        "level_names": {lv.id: lv.name for lv in fw.levels},
        "levels": levels,
        **_where_it_stands(result, indicators),
        "areas": areas,
        "sections": [
            {"id": s.id, "name": s.name, "areas": [a for a in areas if a["section"] == s.id]}
            for s in fw.sections
        ],
        **_people(result),
        **_dates(result),
        "gantt": gantt(result),
        "cost": _cost(result),
        "plan": _plan(result),
        "statement": _statement(result),
        "rating_name": fw.judgement.rating.name if fw.judgement.rating else None,
        "provenance": provenance(result),
        "show_all_rows": show_all_rows,
    }


def _date_filter(value: object) -> str:
    """Dates as ISO 8601; a missing date as a dash."""
    if isinstance(value, date):
        return value.isoformat()
    return "—" if value is None else str(value)


def _environment(workspace_root: Path) -> Any:
    """The sandbox for one render: the workspace's templates, then the bundled ones.

    Each folder is checked against its real path: the workspace's own folder is taken as
    ``templates/`` inside the workspace's real path (not resolved itself, so a ``templates``
    that is a link leads nowhere), and nothing may be read from the workspace's ``private/``.
    """
    from .sandbox import BoundedSandbox, GuardedLoader

    shown = template_folders(workspace_root)
    real_root = workspace_root.resolve()
    folders = [(shown[0], real_root / "templates"), (shown[1], shown[1].resolve())]
    private = [real_root / "private", (workspace_root / "private").resolve()]
    return BoundedSandbox(GuardedLoader(folders, private), {"date": _date_filter})


def render_markdown(
    result: Assessment, kind: str, workspace_root: Path, show_all_rows: bool = False
) -> str:
    """The report of ``kind`` as markdown; unknown kinds and broken templates are user errors."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    fw = result.framework
    report = fw.report(resolve("report kind", kind, [r.id for r in fw.reports]))
    assert report is not None
    from .sandbox import render as render_bounded

    folders = template_folders(workspace_root)
    env = _environment(workspace_root)
    context = build_context(result, show_all_rows)
    try:
        template = env.get_template(report.template)
        return render_bounded(template, context)
    except TemplateRefused as exc:
        raise MentorqaError(f"{exc}; report templates must be files inside templates/") from None
    except LimitExceeded as exc:
        raise MentorqaError(f"template '{report.template}' stopped: {exc}") from None
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
figure.chart{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
figure.chart svg{max-width:100%;height:auto}.nb{white-space:nowrap}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.running{position:running(header);font-size:8pt;color:#555;margin:0}
@media screen{.running{display:none}}
@page{size:PAGE;margin:18mm 14mm 18mm;
@top-left{content:element(header)}
@bottom-right{content:"page " counter(page) " of " counter(pages);font-size:8pt;color:#555}}
@media print{body{margin:0;max-width:none;font-size:10pt}a{color:inherit}
h2,h3{break-after:avoid}tr,figure{break-inside:avoid}thead{display:table-header-group}}
"""


_MERMAID = re.compile(r'<pre><code class="language-mermaid">.*?</code></pre>\n?', re.S)
_FIRST_HEADING = re.compile(r"(</h1>\n)")
# Text (never inside a tag) that is a date or an indicator id such as QIM-SV-A01.
_UNBROKEN = re.compile(
    r"(?<![\w<=\"'/-])(\d{4}-\d{2}-\d{2}|[A-Z]{1,6}(?:-[A-Z0-9]{1,6}){1,3})(?![\w\"'>-])"
)
_TITLE = re.compile(r'<title id="[\w-]+">(.*?)</title>')


_HEADING_OR_TABLE = re.compile(r"<h([1-3])>(.*?)</h\1>|<table>", re.S)


def _captioned(body: str) -> str:
    """Each table captioned with the heading it stands under, for screen readers (the caption
    is not shown: the heading already is)."""
    heading = ""

    def caption(match: re.Match[str]) -> str:
        nonlocal heading
        if match.group(0) != "<table>":
            heading = match.group(2)
            return match.group(0)
        return f'<table><caption class="sr">{heading}</caption>' if heading else "<table>"

    return _HEADING_OR_TABLE.sub(caption, body)


def _caption(svg: str) -> str:
    """A chart's title, shown above it (already escaped where the chart was built)."""
    found = _TITLE.search(svg)
    return found.group(1) if found else ""


def to_html(
    markdown: str,
    title: str,
    charts: tuple[str, ...] = (),
    timeline: str = "",
    lang: str = "en",
) -> str:
    """One self-contained, printable HTML page. Raw HTML in the markdown is shown as text; the
    charts (SVG built by :mod:`.charts`) go under the title, and the timeline chart replaces
    the Mermaid source that only GitHub renders."""
    from html import escape

    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    # Dates and ids are never broken across lines (at their hyphens) in a narrow cell.
    body = _UNBROKEN.sub(r'<span class="nb">\1</span>', body)
    body = _MERMAID.sub(lambda _: f'<figure class="chart">{timeline}</figure>\n', body)
    body = body.replace("<th>", '<th scope="col">')  # header cells say what they head
    body = _captioned(body)
    if charts:
        figures = "".join(
            f'<figure class="chart"><figcaption>{_caption(svg)}</figcaption>{svg}</figure>\n'
            for svg in charts
            if svg
        )
        body = _FIRST_HEADING.sub(lambda m: m.group(1) + figures, body, count=1)
    # Printed on the paper of the framework's country: US Letter for en-US, else A4; every page
    # is headed with the report and the service (the page's title) and numbered.
    css = _CSS.replace("size:PAGE", "size:letter" if lang == "en-US" else "size:A4")
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f'<p class="running">{escape(title)}</p>\n{body}'
        "</body>\n</html>\n"
    )


# The page is whole in itself: a browser opening it loads nothing (a workspace template's
# image link to a server, say, which would tell that server who opened the report) and runs
# nothing; its own style and charts are inline.
_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)


def render_pdf(
    result: Assessment, kind: str, workspace_root: Path, show_all_rows: bool = False
) -> bytes:
    """The HTML report printed to PDF by WeasyPrint (the optional extra ``mentorqa[pdf]``),
    with nothing fetched: the page is self-contained."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError):  # not installed, or its system libraries are missing
        raise UsageError(
            f"PDF needs the optional extra: {PDF_INSTALL} (and the Pango library, which "
            "Debian and Ubuntu call libpango-1.0-0); or write HTML and print it from a browser"
        ) from None
    page = render(result, kind, "html", workspace_root, show_all_rows)
    assert isinstance(page, str)
    pdf: bytes = HTML(string=page, url_fetcher=_no_fetch).write_pdf()
    return pdf


def _no_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, object]:
    raise MentorqaError(f"a report may load nothing from outside; it asked for {url}")


def render(
    result: Assessment, kind: str, fmt: str, workspace_root: Path, show_all_rows: bool = False
) -> str | bytes:
    """The report of ``kind`` as markdown, HTML or PDF; ``show_all_rows`` keeps indicators a
    report would leave out as not yet judged."""
    fmt = resolve("format", fmt, FORMATS)
    if fmt == "pdf":
        return render_pdf(result, kind, workspace_root, show_all_rows)
    markdown = render_markdown(result, kind, workspace_root, show_all_rows)
    if fmt == "md":
        return markdown
    report = result.framework.report(
        resolve("report kind", kind, [r.id for r in result.framework.reports])
    )
    title = f"{report.title if report else kind}: {result.manifest.service.name}"
    from .charts import CHARTS, timeline

    shown = tuple(CHARTS[name](result) for name in (report.charts if report else ()))
    return to_html(markdown, title, shown, timeline(result), result.framework.locale)
