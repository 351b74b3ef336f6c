"""Ids written in the manifest that the framework does not declare."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..errors import unknown
from ..frameworks.model import Framework
from ..manifest import Manifest
from .findings import Finding, Loc


def findings(framework: Framework, manifest: Manifest) -> Iterator[Finding]:
    """One finding per unknown id, each with a did-you-mean where one fits."""
    indicators = list(framework.indicator_index)
    show = f"see 'mentorqa frameworks show {framework.id}' for the ids"
    for ind_id in manifest.indicators:
        if ind_id not in framework.indicator_index:
            message = unknown("indicator", ind_id, indicators, show)
            yield Finding(
                "MQA101", f"{message} ({framework.id})", ind_id, loc=("indicators", ind_id)
            )
    yield from _ids("event", manifest.dates, list(framework.event_names), "dates")
    criteria = [c.id for c in framework.eligibility.criteria]
    yield from _ids("eligibility criterion", manifest.eligibility, criteria, "eligibility")
    areas = [a.id for a in framework.practice_areas]
    yield from _ids("practice area", manifest.areas, areas, "areas")
    roles = [i.role for i in framework.interviews]
    for index, interview in enumerate(manifest.interviews):
        here: Loc = ("interviews", index)
        if interview.role not in roles:
            yield _unknown("interview role", interview.role, roles, (*here, "role"))
        yield from _indicator_refs(framework, interview.indicators, here, show)
    kinds = [c.kind for c in framework.case_studies]
    for index, case in enumerate(manifest.case_studies):
        here = ("case_studies", index)
        if case.kind not in kinds:
            yield _unknown("case study kind", case.kind, kinds, (*here, "kind"))
        yield from _indicator_refs(framework, case.indicators, here, show)
    if framework.visit is not None and manifest.visit.mode not in framework.visit.modes:
        modes = list(framework.visit.modes)
        yield _unknown("visit mode", manifest.visit.mode, modes, ("visit", "mode"))
    cycles = [c.id for c in framework.cycles]
    if manifest.cycle is not None and manifest.cycle not in cycles:
        yield _unknown("cycle", manifest.cycle, cycles, ("cycle",))
    membership = framework.fees.membership
    sector = manifest.service.sector
    if sector is not None and membership is not None and sector not in membership.sectors:
        yield _unknown("sector", sector, list(membership.sectors), ("service", "sector"))


def _ids(kind: str, recorded: object, known: list[str], key: str) -> Iterator[Finding]:
    for value in recorded:  # type: ignore[attr-defined]
        if value not in known:
            yield _unknown(kind, str(value), known, (key, str(value)))


def _indicator_refs(
    framework: Framework, ids: tuple[str, ...], here: Loc, show: str
) -> Iterator[Finding]:
    for ind_id in ids:
        if ind_id not in framework.indicator_index:
            message = unknown("indicator", ind_id, list(framework.indicator_index), show)
            yield Finding("MQA101", message, ind_id, loc=(*here, "indicators"))


def _unknown(kind: str, value: str, known: Sequence[str], loc: Loc) -> Finding:
    return Finding("MQA120", unknown(kind, value, list(known)), loc=loc)
