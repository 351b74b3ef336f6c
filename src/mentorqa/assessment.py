"""``assess``: a framework and a workspace's records -> everything the commands show.

Pure: no I/O, no printing. What it needs to know about files on disk
arrives as :data:`~mentorqa.rules.evidence.FileState` values gathered beforehand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .frameworks.model import Framework, PracticeArea
from .manifest import Manifest
from .rules import evidence, freshness, judgements, levels, plan, references, timeline, visit
from .rules.eligibility import EligibilityResult, evaluate
from .rules.evidence import FileState
from .rules.findings import Finding
from .rules.indicators import IndicatorResult, indicator_results
from .rules.levels import LevelResult
from .rules.plan import PlanProgress
from .rules.timeline import happened
from .rules.visit import RequirementProgress


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
    findings: tuple[Finding, ...]
    lapses: tuple[freshness.Lapse, ...] = ()  # evidence expired or expiring soon

    def level(self, level_id: str) -> LevelResult:
        return next(level for level in self.levels if level.id == level_id)

    @property
    def next_deadlines(self) -> list[timeline.MilestoneResult]:
        """The service's own overdue and upcoming milestones, soonest first."""
        open_ = [
            m
            for m in self.milestones
            if m.state in ("overdue", "upcoming")
            and m.due is not None
            and not m.is_marker
            and m.owner == "service"
        ]
        return sorted(open_, key=lambda m: m.due or self.today)

    @property
    def names_consent(self) -> bool:
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
    as present and unchanged. ``target_level`` must be a level id of the framework.
    """
    done = happened(manifest.dates, today)
    results = indicator_results(framework, manifest, today)
    found = levels.levels(framework, results, done, today)
    reached, towards = levels.target(found, target_level)
    interviews = visit.interviews(framework, manifest)
    milestones = tuple(timeline.compute(framework, dict(manifest.dates), today, manifest.cycle))
    lapses = freshness.lapses(framework, results, today)
    findings = [
        *references.findings(framework, manifest),
        *judgements.findings(framework, results),
        *evidence.findings(results, files or {}),
        *freshness.findings(lapses),
        *visit.findings(framework, manifest, interviews),
        *_deadline_findings(milestones),
        *plan.findings(framework, manifest, done),
    ]
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
        framework=framework,
        manifest=manifest,
        today=today,
        indicators=results,
        areas=areas,
        levels=found,
        reached=reached,
        target=towards,
        unmet=levels.unmet(framework, results, towards),
        interviews=interviews,
        case_studies=visit.case_studies(framework, manifest),
        milestones=milestones,
        eligibility=evaluate(framework, manifest.eligibility),
        plan=plan.progress(framework, manifest, done),
        findings=tuple(findings),
        lapses=lapses,
    )


def _deadline_findings(milestones: tuple[timeline.MilestoneResult, ...]) -> list[Finding]:
    return [
        Finding(
            "MQA202",
            f"deadline passed: '{m.title}' was due {m.due}; record the date it happened with "
            f"'mentorqa event {m.done_when} DATE'",
            loc=("dates",),
        )
        for m in milestones
        if m.state == "overdue" and m.owner == "service"  # never what the body owes
    ]
