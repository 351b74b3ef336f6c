"""Each indicator with what is recorded for it, and what counts: the assessor's judgement where
there is one, otherwise the service's own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ..frameworks.model import EvidenceMethod, Framework, Indicator, PracticeArea
from ..manifest import CaseStudy, EvidenceFile, Interview, Judgement, Manifest


def counts_from(judgement: Judgement | None, today: date) -> Judgement | None:
    """A judgement dated after today is scheduled, not made: it counts from that day on."""
    if judgement is None or (judgement.date is not None and judgement.date > today):
        return None
    return judgement


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    area: PracticeArea
    indicator: Indicator
    method: EvidenceMethod
    service: Judgement | None  # the service's own judgement
    assessor: Judgement | None
    evidence: tuple[EvidenceFile, ...]
    interviews: tuple[Interview, ...]
    case_studies: tuple[CaseStudy, ...]
    has_evidence: bool
    upcoming: bool = False  # a new indicator shown, but not counted towards levels before its date

    @property
    def title(self) -> str:
        return self.indicator.title

    @property
    def requires(self) -> str:
        return self.indicator.requires

    @property
    def level(self) -> str:
        return self.indicator.level

    @property
    def judgement(self) -> Judgement | None:
        """The judgement that counts: the assessor's where there is one."""
        return self.assessor or self.service

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


def indicator_results(
    framework: Framework, manifest: Manifest, today: date
) -> tuple[IndicatorResult, ...]:
    """Every indicator of the framework, in file order, with what the manifest records for it."""
    dates = manifest.dates
    visit = framework.visit
    visit_held = visit is not None and visit.event in dates and dates[visit.event] <= today
    heard = _by_indicator(manifest.interviews)
    cases = _by_indicator(manifest.case_studies)
    results = []
    for ind_id, (area, ind) in framework.indicator_index.items():
        record = manifest.indicators.get(ind_id)
        method = framework.method_of(ind_id)
        evidence = record.evidence if record else ()
        its_interviews = tuple(i for i in heard.get(ind_id, ()) if isinstance(i, Interview))
        its_cases = tuple(c for c in cases.get(ind_id, ()) if isinstance(c, CaseStudy))
        has_evidence = (
            ("document" in method.accepts and bool(evidence))
            or ("interview" in method.accepts and bool(its_interviews))
            or ("case_study" in method.accepts and bool(its_cases))
            or ("visit" in method.accepts and visit_held)
        )
        results.append(
            IndicatorResult(
                ind_id,
                area,
                ind,
                method,
                counts_from(record.self_, today) if record else None,
                counts_from(record.assessor, today) if record else None,
                evidence,
                its_interviews,
                its_cases,
                has_evidence,
                ind.upcoming is not None and ind.upcoming > today,
            )
        )
    return tuple(results)


def _by_indicator(
    items: tuple[Interview, ...] | tuple[CaseStudy, ...],
) -> Mapping[str, list[Interview | CaseStudy]]:
    found: dict[str, list[Interview | CaseStudy]] = {}
    for item in items:
        for ind_id in item.indicators:
            found.setdefault(ind_id, []).append(item)
    return found


def blank(framework: Framework, ind_id: str) -> IndicatorResult:
    """An indicator with nothing recorded (shown without a workspace)."""
    area, indicator = framework.indicator_index[ind_id]
    return IndicatorResult(
        ind_id, area, indicator, framework.method_of(ind_id), None, None, (), (), (), False
    )
