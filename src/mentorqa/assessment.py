"""``assess``: a framework and a workspace's records -> everything the commands show.

Pure: no I/O, no printing. What it needs to know about files on disk arrives as
:class:`FileState` values gathered beforehand by :func:`mentorqa.evidence.inspect`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from . import timeline
from .eligibility import EligibilityResult, evaluate
from .frameworks.model import EvidenceMethod, Framework, Indicator, PracticeArea
from .workspace import MANIFEST, CaseStudy, EvidenceFile, Interview, Judgement, Manifest

FileState = Literal["ok", "missing", "changed", "outside"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """A problem ``check`` reports: errors fail it, warnings fail it only with ``--strict``."""

    severity: Severity
    message: str
    indicator: str | None = None
    file: str = MANIFEST


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    title: str
    requires: str
    area: PracticeArea
    indicator: Indicator
    method: EvidenceMethod
    own: Judgement | None
    assessor: Judgement | None
    evidence: tuple[EvidenceFile, ...]
    interviews: tuple[Interview, ...]
    case_studies: tuple[CaseStudy, ...]
    has_evidence: bool

    @property
    def level(self) -> str:
        return self.indicator.level

    @property
    def judgement(self) -> Judgement | None:
        """The judgement that counts: the assessor's where there is one."""
        return self.assessor or self.own

    @property
    def status(self) -> str | None:
        judgement = self.judgement
        return judgement.status if judgement else None

    @property
    def answered(self) -> bool:
        return self.judgement is not None

    @property
    def met(self) -> bool:
        status = self.status
        return status == "met" or (status == "not-applicable" and self.indicator.not_applicable)


@dataclass(frozen=True)
class LevelResult:
    id: str
    name: str
    counts: str  # "met" or "answered"
    counted: int
    total: int
    needed: int
    missing_steps: tuple[str, ...]
    achieved: bool


@dataclass(frozen=True)
class RequirementProgress:
    """Interviews of one role, or case studies of one kind: recorded against required."""

    id: str
    name: str
    required: int
    recorded: int
    max_minutes: int | None = None
    too_long: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.recorded >= self.required


@dataclass(frozen=True)
class PlanProgress:
    name: str
    priorities: int
    min_priorities: int
    max_priorities: int
    agreed: bool
    earliest: date | None
    latest: date | None
    lacks: tuple[str, ...]


@dataclass(frozen=True)
class AreaResult:
    area: PracticeArea
    indicators: tuple[IndicatorResult, ...]
    strengths: tuple[str, ...]
    suggestions: tuple[str, ...]

    def count(self, level: str) -> tuple[int, int]:
        """(met, total) for the indicators of exactly this level in the area."""
        own = [r for r in self.indicators if r.level == level]
        return sum(r.met for r in own), len(own)

    @property
    def average_rating(self) -> float | None:
        ratings = [
            r.judgement.rating
            for r in self.indicators
            if r.judgement is not None and r.judgement.rating is not None
        ]
        return round(sum(ratings) / len(ratings), 2) if ratings else None


@dataclass(frozen=True)
class Assessment:
    framework: Framework
    manifest: Manifest
    today: date
    indicators: tuple[IndicatorResult, ...]
    areas: tuple[AreaResult, ...]
    levels: tuple[LevelResult, ...]
    reached: LevelResult | None
    target: LevelResult | None
    unmet: tuple[IndicatorResult, ...]
    interviews: tuple[RequirementProgress, ...]
    case_studies: tuple[RequirementProgress, ...]
    milestones: tuple[timeline.MilestoneResult, ...]
    eligibility: EligibilityResult
    plan: PlanProgress | None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def level(self, level_id: str) -> LevelResult:
        return next(level for level in self.levels if level.id == level_id)

    @property
    def next_deadlines(self) -> list[timeline.MilestoneResult]:
        """Overdue and upcoming milestones that an event completes, soonest first."""
        open_ = [
            m
            for m in self.milestones
            if m.state in ("overdue", "upcoming") and m.due is not None and not m.is_marker
        ]
        return sorted(open_, key=lambda m: m.due or self.today)

    def show_names(self) -> bool:
        return self.manifest.privacy.names_consent


def assess(
    framework: Framework,
    manifest: Manifest,
    today: date,
    files: Mapping[str, FileState] | None = None,
    target_level: str | None = None,
) -> Assessment:
    """Judge a workspace against its framework on ``today``.

    ``files`` maps each recorded evidence path to its state on disk; paths not in it are taken
    as present and unchanged.
    """
    files = files or {}
    findings: list[Finding] = []
    dates = manifest.dates
    visit_held = framework.visit is not None and framework.visit.event in dates

    by_indicator_interviews: dict[str, list[Interview]] = {}
    for interview in manifest.interviews:
        for ind_id in interview.indicators:
            by_indicator_interviews.setdefault(ind_id, []).append(interview)
    by_indicator_cases: dict[str, list[CaseStudy]] = {}
    for case in manifest.case_studies:
        for ind_id in case.indicators:
            by_indicator_cases.setdefault(ind_id, []).append(case)

    results: list[IndicatorResult] = []
    for ind_id, (area, ind) in framework.indicator_index.items():
        record = manifest.indicators.get(ind_id)
        method = framework.method_of(ind_id)
        evidence = record.evidence if record else ()
        heard = tuple(by_indicator_interviews.get(ind_id, ()))
        cases = tuple(by_indicator_cases.get(ind_id, ()))
        has_evidence = (
            ("document" in method.accepts and bool(evidence))
            or ("interview" in method.accepts and bool(heard))
            or ("case_study" in method.accepts and bool(cases))
            or ("visit" in method.accepts and visit_held)
        )
        results.append(
            IndicatorResult(
                ind_id,
                ind.title,
                ind.requires,
                area,
                ind,
                method,
                record.self_ if record else None,
                record.assessor if record else None,
                evidence,
                heard,
                cases,
                has_evidence,
            )
        )

    findings += _judgement_findings(framework, manifest, results, files)
    findings += _reference_findings(framework, manifest)

    levels = _levels(framework, results, dates)
    reached = None
    for level in levels:
        if not level.achieved:
            break
        reached = level
    if target_level is not None:
        target: LevelResult | None = next(lv for lv in levels if lv.id == target_level)
    else:
        target = next((lv for lv in levels if not lv.achieved), None)
    unmet: tuple[IndicatorResult, ...] = ()
    if target is not None:
        scope = set(framework.level_ids[: framework.level_ids.index(target.id) + 1])
        counts = framework.level(target.id).rule.counts
        unmet = tuple(
            r
            for r in results
            if r.level in scope and not (r.met if counts == "met" else r.answered)
        )

    interviews = _interview_progress(framework, manifest)
    for progress in interviews:
        for pseudonym in progress.too_long:
            findings.append(
                Finding(
                    "warning",
                    f"interview with {progress.name.lower()} '{pseudonym}' is longer than the "
                    f"{progress.max_minutes} minutes {framework.name} allows",
                )
            )
    case_studies = tuple(
        RequirementProgress(
            req.kind,
            req.name,
            req.count,
            sum(1 for c in manifest.case_studies if c.kind == req.kind),
        )
        for req in framework.case_studies
    )

    milestones = tuple(timeline.compute(framework, dict(dates), today))
    for milestone in milestones:
        if milestone.state == "overdue":
            findings.append(
                Finding(
                    "warning",
                    f"deadline passed: '{milestone.title}' was due {milestone.due}; "
                    "record the date "
                    f"it happened with 'mentorqa event {milestone.done_when} DATE'",
                )
            )

    plan, plan_findings = _plan(framework, manifest)
    findings += plan_findings

    areas = tuple(
        AreaResult(
            area,
            tuple(r for r in results if r.area.id == area.id),
            manifest.areas[area.id].strengths if area.id in manifest.areas else (),
            manifest.areas[area.id].suggestions if area.id in manifest.areas else (),
        )
        for area in framework.practice_areas
    )
    return Assessment(
        framework,
        manifest,
        today,
        tuple(results),
        areas,
        levels,
        reached,
        target,
        unmet,
        interviews,
        case_studies,
        milestones,
        evaluate(framework, manifest.eligibility),
        plan,
        tuple(findings),
    )


def _levels(
    framework: Framework, results: list[IndicatorResult], dates: Mapping[str, date]
) -> tuple[LevelResult, ...]:
    out: list[LevelResult] = []
    below_achieved = True
    for index, level in enumerate(framework.levels):
        scope = set(framework.level_ids[: index + 1])
        in_scope = [r for r in results if r.level in scope]
        rule = level.rule
        counted = sum(1 for r in in_scope if (r.met if rule.counts == "met" else r.answered))
        needed = math.ceil(rule.share * len(in_scope) - 1e-9)
        missing = tuple(e for e in rule.events if e not in dates)
        achieved = below_achieved and counted >= needed and not missing
        out.append(
            LevelResult(
                level.id, level.name, rule.counts, counted, len(in_scope), needed, missing, achieved
            )
        )
        below_achieved = achieved
    return tuple(out)


def _judgement_findings(
    framework: Framework,
    manifest: Manifest,
    results: list[IndicatorResult],
    files: Mapping[str, FileState],
) -> list[Finding]:
    findings: list[Finding] = []
    statuses = framework.status_labels
    rating = framework.judgement.rating
    for ind_id in manifest.indicators:
        if ind_id not in framework.indicator_index:
            findings.append(
                Finding(
                    "error",
                    f"unknown indicator '{ind_id}' in {framework.id}; check the id with "
                    f"'mentorqa frameworks show {framework.id}'",
                    ind_id,
                )
            )
    for r in results:
        for who, judgement in (("service's", r.own), ("assessor's", r.assessor)):
            if judgement is None:
                continue
            if judgement.status not in statuses:
                findings.append(
                    Finding(
                        "error",
                        f"the {who} status '{judgement.status}' is not allowed by {framework.id}; "
                        f"use one of: {', '.join(statuses)}",
                        r.id,
                    )
                )
            elif judgement.status == "not-applicable" and not r.indicator.not_applicable:
                findings.append(
                    Finding(
                        "error",
                        f"the {who} judgement is not-applicable, but this indicator must be met",
                        r.id,
                    )
                )
            if judgement.rating is not None:
                if rating is None:
                    findings.append(
                        Finding(
                            "error", f"{framework.id} has no rating scale; remove the rating", r.id
                        )
                    )
                elif not rating.min <= judgement.rating <= rating.max:
                    findings.append(
                        Finding(
                            "error",
                            f"the {who} rating {judgement.rating} is outside {rating.name.lower()} "
                            f"{rating.min}-{rating.max}",
                            r.id,
                        )
                    )
        own_met = r.own is not None and r.own.status == "met"
        assessor_vouches = r.assessor is not None and r.method.assessor_judgement_is_evidence
        if own_met and r.method.evidence_required and not r.has_evidence and not assessor_vouches:
            kinds = ", ".join(k.replace("_", " ") for k in r.method.accepts)
            findings.append(
                Finding(
                    "error",
                    f"judged met by the service but no evidence is recorded ({r.method.name} "
                    f"accepts: {kinds}); add it with 'mentorqa evidence add {r.id} FILE'",
                    r.id,
                )
            )
        for item in r.evidence:
            state = files.get(item.file, "ok")
            if state == "missing":
                findings.append(
                    Finding(
                        "error",
                        "evidence file is missing; restore it, or remove the record with "
                        f"'mentorqa evidence remove {r.id} {item.file}'",
                        r.id,
                        item.file,
                    )
                )
            elif state == "outside":
                findings.append(
                    Finding(
                        "error",
                        "evidence path leads outside the workspace; record a copy inside it",
                        r.id,
                        item.file,
                    )
                )
            elif state == "changed":
                findings.append(
                    Finding(
                        "warning",
                        "evidence file changed since it was recorded; record it afresh with "
                        f"'mentorqa evidence add {r.id} {item.file}'",
                        r.id,
                        item.file,
                    )
                )
    return findings


def _reference_findings(framework: Framework, manifest: Manifest) -> list[Finding]:
    findings: list[Finding] = []

    def unknown(kind: str, value: str, known: list[str], indicator: str | None = None) -> None:
        findings.append(
            Finding(
                "error",
                f"unknown {kind} '{value}' in {framework.id}; use one of: "
                f"{', '.join(known) or 'none'}",
                indicator,
            )
        )

    events = list(framework.event_names)
    for event in manifest.dates:
        if event not in framework.event_names:
            unknown("event", event, events)
    criteria = [c.id for c in framework.eligibility.criteria]
    for criterion in manifest.eligibility:
        if criterion not in criteria:
            unknown("eligibility criterion", criterion, criteria)
    areas = [a.id for a in framework.practice_areas]
    for area in manifest.areas:
        if area not in areas:
            unknown("practice area", area, areas)
    roles = [i.role for i in framework.interviews]
    for interview in manifest.interviews:
        if interview.role not in roles:
            unknown("interview role", interview.role, roles)
        for ind_id in interview.indicators:
            if ind_id not in framework.indicator_index:
                unknown("indicator", ind_id, [], ind_id)
        if interview.name and not manifest.privacy.names_consent:
            findings.append(
                Finding(
                    "warning",
                    f"a real name is recorded for interview '{interview.pseudonym}' without "
                    "names_consent; reports show the pseudonym only. Keep real names in private/",
                )
            )
    kinds = [c.kind for c in framework.case_studies]
    for case in manifest.case_studies:
        if case.kind not in kinds:
            unknown("case study kind", case.kind, kinds)
        for ind_id in case.indicators:
            if ind_id not in framework.indicator_index:
                unknown("indicator", ind_id, [], ind_id)
    if framework.visit is not None and manifest.visit.mode not in framework.visit.modes:
        unknown("visit mode", manifest.visit.mode, list(framework.visit.modes))
    membership = framework.fees.membership
    sector = manifest.service.sector
    if sector is not None and membership is not None and sector not in membership.sectors:
        unknown("sector", sector, list(membership.sectors))
    return findings


def _plan(framework: Framework, manifest: Manifest) -> tuple[PlanProgress | None, list[Finding]]:
    rules = framework.plan
    recorded = manifest.plan
    if rules is None:
        if recorded.priorities:
            return None, [Finding("error", f"{framework.name} has no improvement plan")]
        return None, []
    findings: list[Finding] = []
    count = len(recorded.priorities)
    agreed = rules.agreed_event in manifest.dates
    start = manifest.dates.get(rules.horizon_from)
    earliest = timeline.shift(start, rules.earliest) if start else None
    latest = timeline.shift(start, rules.latest) if start else None
    if count > rules.max_priorities:
        findings.append(
            Finding(
                "error",
                f"the {rules.name} has {count} priorities; "
                f"it allows at most {rules.max_priorities}",
            )
        )
    if agreed and count < rules.min_priorities:
        findings.append(
            Finding(
                "error",
                f"the {rules.name} is agreed with {count} priorities; it needs at least "
                f"{rules.min_priorities}",
            )
        )
    for number, priority in enumerate(recorded.priorities, 1):
        if priority.target and earliest and latest and not earliest <= priority.target <= latest:
            findings.append(
                Finding(
                    "error",
                    f"priority {number} ('{priority.goal}') targets {priority.target}, outside the "
                    f"plan's window {earliest} to {latest} ({rules.earliest.describe()} to "
                    f"{rules.latest.describe()} after {framework.event_names[rules.horizon_from]})",
                )
            )
    lacks: list[str] = []
    if count < rules.min_priorities:
        more = rules.min_priorities - count
        lacks.append(
            f"{more} more {'priority' if more == 1 else 'priorities'} (the plan needs "
            f"{rules.min_priorities}-{rules.max_priorities})"
        )
    for number, priority in enumerate(recorded.priorities, 1):
        missing = [
            name
            for name, value in (
                ("actions", priority.actions),
                ("owner", priority.owner),
                ("target date", priority.target),
            )
            if not value
        ]
        if missing:
            named = " or ".join(
                [", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing
            )
            lacks.append(f"priority {number} has no {named}")
    if not agreed:
        lacks.append("not yet agreed (record it with 'mentorqa plan agree DATE')")
    progress = PlanProgress(
        rules.name,
        count,
        rules.min_priorities,
        rules.max_priorities,
        agreed,
        earliest,
        latest,
        tuple(lacks),
    )
    return progress, findings


def _interview_progress(
    framework: Framework, manifest: Manifest
) -> tuple[RequirementProgress, ...]:
    out = []
    for req in framework.interviews:
        recorded = [i for i in manifest.interviews if i.role == req.role]
        too_long = tuple(
            i.pseudonym
            for i in recorded
            if req.max_minutes is not None and i.minutes is not None and i.minutes > req.max_minutes
        )
        out.append(
            RequirementProgress(
                req.role, req.name, req.count, len(recorded), req.max_minutes, too_long
            )
        )
    return tuple(out)
