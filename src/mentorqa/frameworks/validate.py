"""Checks across the parts of a framework that a field-by-field schema cannot make.

Each finding carries the path of the offending node (as pydantic would give it) so the loader can
point at its line and column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .lookups import in_band
from .model import DeclaredTotal, FeeBand, Framework, MembershipBand

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    loc: Loc
    message: str


def _duplicates(items: Sequence[object], key: str, where: Loc, what: str) -> Iterable[Finding]:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        value = str(getattr(item, key))
        if value in seen:
            yield Finding(
                (*where, index, key),
                f"duplicate {what} '{value}' (first used in item {seen[value] + 1}); "
                "give each a different id",
            )
        else:
            seen[value] = index


def _unknown(kind: str, value: str, known: Iterable[str]) -> str:
    names = ", ".join(sorted(known)) or "none declared"
    return f"unknown {kind} '{value}'; declare it first or use one of: {names}"


def check(fw: Framework) -> list[Finding]:
    """Every cross-reference problem in ``fw``; empty when the framework is consistent."""
    out: list[Finding] = []
    out += _duplicates(fw.levels, "id", ("levels",), "level id")
    out += _duplicates(fw.evidence_methods, "id", ("evidence_methods",), "evidence method id")
    out += _duplicates(fw.sections, "id", ("sections",), "section id")
    out += _duplicates(fw.practice_areas, "id", ("practice_areas",), "practice area id")
    out += _duplicates(fw.events, "id", ("events",), "event id")
    out += _duplicates(fw.milestones, "id", ("milestones",), "milestone id")
    out += _duplicates(fw.reports, "id", ("reports",), "report kind")
    out += _duplicates(fw.interviews, "role", ("interviews",), "interview role")
    out += _duplicates(fw.case_studies, "kind", ("case_studies",), "case study kind")
    out += _duplicates(fw.judgement.statuses, "id", ("judgement", "statuses"), "status")
    out += _duplicates(fw.eligibility.criteria, "id", ("eligibility", "criteria"), "criterion id")
    out += _duplicates(fw.fees.bands, "id", ("fees", "bands"), "fee band id")
    out += _indicators(fw)
    out += _events(fw)
    out += _cycles(fw)
    out += _judgement(fw)
    out += _fees(fw)
    out += _totals(fw)
    return out


def _indicators(fw: Framework) -> Iterable[Finding]:
    methods = {method.id for method in fw.evidence_methods}
    sections = {section.id for section in fw.sections}
    first_seen: dict[str, tuple[int, int]] = {}
    for a, area in enumerate(fw.practice_areas):
        here: Loc = ("practice_areas", a)
        if area.method not in methods:
            yield Finding((*here, "method"), _unknown("evidence method", area.method, methods))
        if area.section is not None and area.section not in sections:
            yield Finding((*here, "section"), _unknown("section", area.section, sections))
        if not area.indicators:
            yield Finding((*here, "indicators"), "a practice area needs at least one indicator")
        yield from _area_indicators(fw, a, first_seen)
    if fw.levels and not first_seen:
        return
    yield from _levels_counted(fw)


def _area_indicators(
    fw: Framework, a: int, first_seen: dict[str, tuple[int, int]]
) -> Iterable[Finding]:
    """Each indicator of practice area ``a``: a unique id, a declared level and method."""
    levels = {level.id for level in fw.levels}
    methods = {method.id for method in fw.evidence_methods}
    for i, ind in enumerate(fw.practice_areas[a].indicators):
        at: Loc = ("practice_areas", a, "indicators", i)
        if ind.id in first_seen:
            fa, fi = first_seen[ind.id]
            yield Finding(
                (*at, "id"),
                f"duplicate indicator id '{ind.id}' (also in practice area "
                f"'{fw.practice_areas[fa].id}', indicator {fi + 1}); indicator ids must be "
                "unique across the framework",
            )
        else:
            first_seen[ind.id] = (a, i)
        if ind.level not in levels:
            yield Finding((*at, "level"), _unknown("level", ind.level, levels))
        if ind.method is not None and ind.method not in methods:
            yield Finding((*at, "method"), _unknown("evidence method", ind.method, methods))


def _levels_counted(fw: Framework) -> Iterable[Finding]:
    """Every level has indicators to count, at its own level or below."""
    ordered = [level.id for level in fw.levels]
    for index, level in enumerate(fw.levels):
        in_scope = set(ordered[: index + 1])
        if not any(ind.level in in_scope for area in fw.practice_areas for ind in area.indicators):
            yield Finding(
                ("levels", index),
                f"level '{level.id}' has no indicators to count (none at this level or below)",
            )


def _events(fw: Framework) -> Iterable[Finding]:
    events = {event.id for event in fw.events}

    def ref(loc: Loc, value: str | None) -> Iterable[Finding]:
        if value is not None and value not in events:
            yield Finding(loc, _unknown("event", value, events))

    for index, level in enumerate(fw.levels):
        for e, event in enumerate(level.rule.events):
            yield from ref(("levels", index, "rule", "events", e), event)
        for e, event in enumerate(level.granted_by):
            yield from ref(("levels", index, "granted_by", e), event)
        if level.valid_for is not None and not level.granted_by:
            yield Finding(
                ("levels", index, "valid_for"),
                "a level that lapses needs 'granted_by': the events its validity counts from",
            )
    for index, milestone in enumerate(fw.milestones):
        here: Loc = ("milestones", index)
        yield from ref((*here, "after"), milestone.after)
        if milestone.done_when is None:
            continue
        if milestone.repeat is None:
            yield from ref((*here, "done_when"), milestone.done_when)
        else:
            for n in range(1, milestone.repeat.times + 1):
                yield from ref((*here, "done_when"), f"{milestone.done_when}-{n}")
    for index, step in enumerate(fw.steps):
        yield from ref(("steps", index, "event"), step.event)
    if fw.visit is not None:
        yield from ref(("visit", "event"), fw.visit.event)
    if fw.plan is not None:
        yield from ref(("plan", "horizon_from"), fw.plan.horizon_from)
        yield from ref(("plan", "agreed_event"), fw.plan.agreed_event)
    if fw.statement is not None:
        yield from ref(("statement", "event"), fw.statement.event)


def _cycles(fw: Framework) -> Iterable[Finding]:
    """Cycles name events, methods and roles the framework declares; milestones name cycles."""
    events = {event.id for event in fw.events}

    def ref(loc: Loc, value: str | None) -> Iterable[Finding]:
        if value is not None and value not in events:
            yield Finding(loc, _unknown("event", value, events))

    cycles = {cycle.id for cycle in fw.cycles}
    methods = {method.id for method in fw.evidence_methods}
    roles = {interview.role for interview in fw.interviews}
    for index, cycle in enumerate(fw.cycles):
        yield from ref(("cycles", index, "start_event"), cycle.start_event)
        for method in cycle.counts:
            if method not in methods:
                where = ("cycles", index, "counts", method)
                yield Finding(where, _unknown("evidence method", method, methods))
        for role in cycle.interviews:
            if role not in roles:
                where = ("cycles", index, "interviews", role)
                yield Finding(where, _unknown("interview role", role, roles))
    for index, milestone in enumerate(fw.milestones):
        if milestone.cycle is not None and milestone.cycle not in cycles:
            yield Finding(
                ("milestones", index, "cycle"), _unknown("cycle", milestone.cycle, cycles)
            )


def _judgement(fw: Framework) -> Iterable[Finding]:
    statuses = {status.id for status in fw.judgement.statuses}
    if "met" not in statuses:
        yield Finding(("judgement", "statuses"), "the statuses must include 'met'")
    if "not-applicable" in statuses:
        return
    for a, area in enumerate(fw.practice_areas):
        for i, ind in enumerate(area.indicators):
            if ind.not_applicable:
                yield Finding(
                    ("practice_areas", a, "indicators", i, "not_applicable"),
                    "indicator allows 'not applicable' but the judgement statuses do not "
                    "include 'not-applicable'",
                )


def _bands(bands: Sequence[FeeBand | MembershipBand], where: Loc, what: str) -> Iterable[Finding]:
    expected = 0.0
    for index, band in enumerate(bands):
        start: float = band.turnover_from
        below: float | None = band.turnover_below
        here: Loc = (*where, index)
        if start > expected:
            yield Finding(
                (*here, "turnover_from"),
                f"{what} leave a gap: nothing covers {expected:,.0f} up to {start:,.0f}",
            )
        elif start < expected:
            yield Finding(
                (*here, "turnover_from"),
                f"{what} overlap: this band starts at {start:,.0f} but the one before "
                f"reaches {expected:,.0f}",
            )
        if below is None:
            if index != len(bands) - 1:
                yield Finding(
                    (*here, "turnover_below"),
                    "only the last band may leave out 'turnover_below'",
                )
            return
        if below <= start:
            yield Finding(
                (*here, "turnover_below"), "'turnover_below' must be above 'turnover_from'"
            )
        expected = below
    if bands:
        yield Finding(
            (*where, len(bands) - 1, "turnover_below"),
            f"{what} must cover every turnover: leave out 'turnover_below' on the last band",
        )


def _fees(fw: Framework) -> Iterable[Finding]:
    yield from _bands(fw.fees.bands, ("fees", "bands"), "fee bands")
    membership = fw.fees.membership
    if membership is None:
        return
    where: Loc = ("fees", "membership", "bands")
    yield from _bands(membership.bands, where, "membership bands")
    sectors = set(membership.sectors)
    bands = {band.id: band for band in fw.fees.bands}
    for sector, band_id in fw.fees.sector_bands.items():
        here: Loc = ("fees", "sector_bands", sector)
        if sector not in sectors:
            yield Finding(here, _unknown("sector", sector, sectors))
        if band_id not in bands:
            yield Finding(here, _unknown("fee band", band_id, set(bands)))
    for index, band in enumerate(membership.bands):
        # A sector with a fixed fee band needs a membership amount in that band's row only.
        fixed = {
            s
            for s, b in fw.fees.sector_bands.items()
            if b in bands and not in_band(band, bands[b].turnover_from)
        }
        missing = sectors - set(band.amounts) - fixed
        extra = set(band.amounts) - sectors
        if missing:
            yield Finding(
                (*where, index, "amounts"), f"no amount for sector(s) {', '.join(sorted(missing))}"
            )
        for sector in sorted(extra):
            yield Finding((*where, index, "amounts", sector), _unknown("sector", sector, sectors))


def _totals(fw: Framework) -> Iterable[Finding]:
    levels = {level.id for level in fw.levels}
    methods = {method.id for method in fw.evidence_methods}
    sections = {section.id for section in fw.sections}
    areas = {area.id for area in fw.practice_areas}
    for index, total in enumerate(fw.totals):
        here: Loc = ("totals", index)
        bad = False
        for field, value, known in (
            ("level", total.level, levels),
            ("method", total.method, methods),
            ("section", total.section, sections),
            ("area", total.area, areas),
        ):
            if value is not None and value not in known:
                bad = True
                yield Finding((*here, field), _unknown(field, value, known))
        if bad:
            continue
        actual = _counted(fw, total)
        if actual != total.count:
            yield Finding(
                (*here, "count"),
                f"declared total {total.count} does not match the {actual} indicators written "
                f"out{_filters(total.level, total.method, total.section, total.area)}; "
                "add or remove indicators, or correct the total",
            )


def _counted(fw: Framework, total: DeclaredTotal) -> int:
    """How many indicators written out match a declared total's filters."""
    return sum(
        1
        for area in fw.practice_areas
        for ind in area.indicators
        if (total.level is None or ind.level == total.level)
        and (total.method is None or (ind.method or area.method) == total.method)
        and (total.section is None or area.section == total.section)
        and (total.area is None or area.id == total.area)
    )


def _filters(level: str | None, method: str | None, section: str | None, area: str | None) -> str:
    parts = [
        f"{name} {value}"
        for name, value in (
            ("level", level),
            ("method", method),
            ("section", section),
            ("area", area),
        )
        if value is not None
    ]
    return f" for {', '.join(parts)}" if parts else ""
