"""Plain-data builders shared by every output: the ``--json`` documents, the library's
``to_dict()``, the JUnit, SARIF and calendar views and the report templates all start here, so a
figure cannot differ between them. Pure: no I/O. Dates stay ``date`` objects until serialised."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..assessment import Assessment
from ..frameworks.model import Framework
from ..frameworks.registry import Found
from ..manifest import EvidenceFile, Judgement
from ..rules import freshness
from ..rules.costs import Quote
from ..rules.findings import Finding
from ..rules.indicators import IndicatorResult
from ..rules.timeline import MilestoneResult
from ..values import SCHEMA_VERSION


def number(value: float) -> int | float:
    """Whole amounts as integers (200000, not 200000.0)."""
    return int(value) if float(value).is_integer() else value


def levels(result: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "id": lv.id,
            "name": lv.name,
            "counts": lv.counts,
            "met": lv.counted,
            "total": lv.total,
            "needed": lv.needed,
            "achieved": lv.achieved,
            "expires": lv.expires,
            "expired": lv.expired,
            "missing_steps": list(lv.missing_steps),
        }
        for lv in result.levels
    ]


def judgement(j: Judgement | None, labels: dict[str, str]) -> dict[str, Any] | None:
    if j is None:
        return None
    return {
        "status": j.status,
        "label": labels.get(j.status, j.status),
        "rating": j.rating,
        "note": j.note,
        "date": j.date,
    }


def indicator(r: IndicatorResult, labels: dict[str, str], names_consent: bool) -> dict[str, Any]:
    """One indicator with both judgements, the one that counts, and what evidences it."""
    counted = r.judgement
    return {
        "id": r.id,
        "title": r.title,
        "requires": r.requires,
        "evidence_examples": list(r.indicator.evidence),
        "area": r.area.id,
        "level": r.level,
        "method": r.method.id,
        "method_name": r.method.name,
        "met": r.met,
        "answered": r.answered,
        "status": r.status,
        "label": labels.get(r.status, r.status) if r.status else "Not yet judged",
        "rating": counted.rating if counted else None,
        "note": (r.assessor.note if r.assessor else "") or (r.service.note if r.service else ""),
        "self": judgement(r.service, labels),
        "assessor": judgement(r.assessor, labels),
        "evidence": [
            {
                "file": e.file,
                "note": e.note,
                "recorded": e.recorded,
                "expires": freshness.expires(e, r.indicator),
            }
            for e in r.evidence
        ],
        "upcoming": r.indicator.upcoming,
        "interviews": [
            {"role": i.role, "who": person(i.pseudonym, i.name, names_consent), "date": i.date}
            for i in r.interviews
        ],
        "case_studies": [
            {"kind": c.kind, "title": c.title, "file": c.file} for c in r.case_studies
        ],
    }


def person(pseudonym: str, name: str, names_consent: bool) -> str:
    """How outputs name an interviewee: the pseudonym unless names are consented to."""
    return name if names_consent and name else pseudonym


def milestone(m: MilestoneResult) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "after": m.after,
        "after_name": m.after_name,
        "due": m.due,
        "earliest": m.earliest,
        "state": m.state,
        "days_left": m.days_left,
        "done_on": m.done_on,
        "done_when": m.done_when,
        "marker": m.is_marker,
        "owner": m.owner,
    }


def status(result: Assessment) -> dict[str, Any]:
    """The ``status --json`` document."""
    fw, manifest = result.framework, result.manifest
    return {
        "schema_version": SCHEMA_VERSION,
        "framework": fw.id,
        "framework_version": fw.version,
        "service": manifest.service.name,
        "today": result.today,
        "reached_level": result.reached.id if result.reached else None,
        "target_level": result.target.id if result.target else None,
        "levels": levels(result),
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
        "plan": plan_progress(result),
        "next_deadlines": [
            {
                "id": m.id,
                "title": m.title,
                "due": m.due,
                "state": m.state,
                "days_left": m.days_left,
                "owner": m.owner,
            }
            for m in result.next_deadlines
        ],
        "evidence_expiring": [lapse(x) for x in result.lapses],
    }


def lapse(x: freshness.Lapse) -> dict[str, Any]:
    """A document past, or near, the end of its validity."""
    return {
        "indicator": x.indicator,
        "file": x.file,
        "expires": x.expires,
        "expired": x.expired,
        "days_left": x.expires_in,
    }


def plan_progress(result: Assessment) -> dict[str, Any] | None:
    if result.plan is None:
        return None
    return {
        "priorities": result.plan.priorities,
        "min": result.plan.min_priorities,
        "max": result.plan.max_priorities,
        "agreed": result.plan.agreed,
        "earliest": result.plan.earliest,
        "latest": result.plan.latest,
        "lacks": list(result.plan.lacks),
    }


def plan(result: Assessment) -> dict[str, Any]:
    """The ``plan show --json`` document."""
    recorded = result.manifest.plan
    progress = result.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "priorities": [
            {
                "goal": p.goal,
                "area": p.area,
                "actions": list(p.actions),
                "owner": p.owner,
                "target": p.target,
            }
            for p in recorded.priorities
        ],
        "strengths": list(recorded.strengths),
        "improvements": list(recorded.improvements),
        "agreed": progress.agreed if progress else False,
        "lacks": list(progress.lacks) if progress else [],
        "version": len(result.manifest.plan_history) + 1,
        "history": [
            {
                "version": v.version,
                "revised": v.revised,
                "agreed": v.agreed,
                "priorities": [p.goal for p in v.priorities],
            }
            for v in result.manifest.plan_history
        ],
    }


def changes(result: Assessment) -> dict[str, Any]:
    """The ``change list --json`` document: the dated log of significant changes."""
    return {
        "schema_version": SCHEMA_VERSION,
        "changes": [
            {"number": n, "date": c.date, "text": c.text}
            for n, c in enumerate(result.manifest.changes, 1)
        ],
    }


def finding(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "indicator": f.indicator,
        "file": f.file,
        "line": f.line,
        "message": f.message,
    }


def check(findings: list[Finding], warnings: list[Finding], ok: bool) -> dict[str, Any]:
    """The ``check --json`` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "ok": ok,
        "errors": [finding(f) for f in findings],
        "warnings": [finding(f) for f in warnings],
    }


def timeline(result: Assessment) -> dict[str, Any]:
    """The ``timeline --json`` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "today": result.today,
        "events": dict(result.manifest.dates),
        "milestones": [milestone(m) for m in result.milestones],
    }


def quote(q: Quote) -> dict[str, Any]:
    """The ``cost --json`` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "framework": q.framework,
        "currency": q.currency,
        "turnover": None if q.turnover is None else number(q.turnover),
        "band": q.band.id if q.band else None,
        "band_name": q.band.name if q.band else None,
        "band_basis": q.band_basis or None,
        "sector": q.sector,
        "registration": number(q.registration) if q.known else None,
        "assessment": number(q.assessment) if q.known else None,
        "total": number(q.total) if q.known else None,
        "free": q.free,
        "known": q.known,
        "notes": list(q.notes),
        "years": [
            {
                "year": y.year,
                "items": [{"what": what, "amount": number(amount)} for what, amount in y.items],
                "total": number(y.total),
            }
            for y in q.years
        ],
        "period_total": number(sum(y.total for y in q.years)) if q.years else None,
    }


def eligibility(result: Assessment) -> dict[str, Any]:
    """The ``eligibility --json`` document."""
    found = result.eligibility
    return {
        "schema_version": SCHEMA_VERSION,
        "eligible": found.eligible,
        "criteria": [
            {"id": c.id, "text": c.text, "help": c.help, "answer": c.answer, "met": c.met}
            for c in found.criteria
        ],
    }


def evidence(result: Assessment, states: dict[str, str], only: str | None) -> dict[str, Any]:
    """The ``evidence list --json`` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "evidence": [
            {
                "indicator": ind_id,
                "file": item.file,
                "size": item.size,
                "recorded": item.recorded,
                "expires": _expires(result, ind_id, item),
                "note": item.note,
                "state": states.get(item.file, "ok"),
            }
            for ind_id, record in result.manifest.indicators.items()
            if only is None or ind_id == only
            for item in record.evidence
        ],
    }


def _expires(result: Assessment, ind_id: str, item: EvidenceFile) -> date | None:
    known = result.framework.indicator_index.get(ind_id)
    if known is None:  # an id the framework does not know (check reports it)
        return item.valid_until
    return freshness.expires(item, known[1])


def frameworks(found: list[Found]) -> dict[str, Any]:
    """The ``frameworks list --json`` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "frameworks": [
            {
                "id": f.framework.id,
                "name": f.framework.name,
                "owner": f.framework.owner,
                "version": f.framework.version,
                "indicators": len(f.framework.indicator_index),
                "levels": list(f.framework.level_ids),
                "source": f.origin,
                "path": str(f.path),
            }
            for f in found
        ],
    }


def framework(fw: Framework) -> dict[str, Any]:
    """The ``frameworks show --json`` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": fw.id,
        "name": fw.name,
        "owner": fw.owner,
        "version": fw.version,
        "notes": list(fw.notes),
        "levels": [{"id": level.id, "name": level.name} for level in fw.levels],
        "areas": [
            {
                "id": area.id,
                "name": area.name,
                "section": area.section,
                "method": area.method,
                "indicators": [
                    {
                        "id": ind.id,
                        "title": ind.title,
                        "level": ind.level,
                        "method": ind.method or area.method,
                        "requires": ind.requires,
                        "evidence_examples": list(ind.evidence),
                        "not_applicable": ind.not_applicable,
                    }
                    for ind in area.indicators
                ],
            }
            for area in fw.practice_areas
        ],
    }
