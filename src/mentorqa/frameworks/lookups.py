"""What a framework and its parts can answer beyond their fields, shared by the validating
models (``spec``) and the plain ones the tool works with (``model``): one definition of each."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import (
        Cycle,
        Event,
        EvidenceMethod,
        FeeBand,
        Indicator,
        JudgementScale,
        Level,
        MembershipBand,
        Milestone,
        PracticeArea,
        ReportKind,
    )


def in_band(band: FeeBand | MembershipBand, turnover: float) -> bool:
    """Whether ``turnover`` falls in ``band`` (from its lower edge, up to but not including
    the upper one)."""
    below = band.turnover_below
    return band.turnover_from <= turnover and (below is None or turnover < below)


class OffsetWords:
    """An offset in plain words."""

    __slots__ = ()

    if TYPE_CHECKING:  # the fields of the classes that use it (none at run time, for pydantic)
        years: int
        months: int
        weeks: int
        days: int

    def describe(self) -> str:
        """Plain words, e.g. '2 months' or '1 year and 6 weeks'."""
        parts = []
        for amount, unit in (
            (self.years, "year"),
            (self.months, "month"),
            (self.weeks, "week"),
            (self.days, "day"),
        ):
            if amount:
                parts.append(f"{amount} {unit}{'' if amount == 1 else 's'}")
        return " and ".join(parts)


class FrameworkLookups:
    """Look-ups used across the tool, computed once per loaded framework."""

    if TYPE_CHECKING:  # the fields of the classes that use it (none at run time, for pydantic)
        practice_areas: tuple[PracticeArea, ...]
        levels: tuple[Level, ...]
        judgement: JudgementScale
        events: tuple[Event, ...]
        evidence_methods: tuple[EvidenceMethod, ...]
        cycles: tuple[Cycle, ...]
        reports: tuple[ReportKind, ...]
        currency: str
        currency_symbol: str

    @cached_property
    def indicator_index(self) -> dict[str, tuple[PracticeArea, Indicator]]:
        """Indicator id -> (its practice area, the indicator), in file order."""
        return {ind.id: (area, ind) for area in self.practice_areas for ind in area.indicators}

    @cached_property
    def level_ids(self) -> tuple[str, ...]:
        return tuple(level.id for level in self.levels)

    @cached_property
    def status_labels(self) -> dict[str, str]:
        return {status.id: status.label for status in self.judgement.statuses}

    @cached_property
    def event_names(self) -> dict[str, str]:
        return {event.id: event.name for event in self.events}

    def method_of(self, indicator_id: str) -> EvidenceMethod:
        area, ind = self.indicator_index[indicator_id]
        wanted = ind.method or area.method
        return next(m for m in self.evidence_methods if m.id == wanted)

    def start_event(self, cycle: str | None = None) -> str | None:
        """The event that starts a round: the cycle's, or the framework's first event."""
        if self.cycles:
            chosen = next((c for c in self.cycles if c.id == cycle), self.cycles[0])
            return chosen.start_event
        return self.events[0].id if self.events else None

    def in_cycle(self, milestone: Milestone, cycle: str | None) -> bool:
        """Whether a milestone counts for a workspace in ``cycle`` (None: the first)."""
        if milestone.cycle is None:
            return True
        current = cycle if cycle is not None else (self.cycles[0].id if self.cycles else None)
        return milestone.cycle == current

    def level(self, level_id: str) -> Level:
        return self.levels[self.level_ids.index(level_id)]

    def indicators_up_to(self, level_id: str) -> list[tuple[PracticeArea, Indicator]]:
        """Indicators of this level and of every level below it, in file order."""
        scope = set(self.level_ids[: self.level_ids.index(level_id) + 1])
        return [pair for pair in self.indicator_index.values() if pair[1].level in scope]

    def report(self, kind: str) -> ReportKind | None:
        return next((r for r in self.reports if r.id == kind), None)

    def money(self, amount: float) -> str:
        """An amount in the framework's currency, e.g. '£1,250' or '$99.50'."""
        text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
        return (
            f"{self.currency_symbol}{text}" if self.currency_symbol else f"{text} {self.currency}"
        )
