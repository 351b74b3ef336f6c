"""The level rule, once: how many indicators count and which steps are recorded."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..errors import resolve
from ..frameworks.model import Framework, Level
from .indicators import IndicatorResult
from .timeline import shift


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
    expires: date | None = None  # when the level lapses, counted from the event granting it
    expired: bool = False

    @property
    def verb(self) -> str:
        """What an indicator must be to count: 'met' or 'answered'."""
        return "met" if self.counts == "met" else "answered"


def counts_for(result: IndicatorResult, counts: str) -> bool:
    return result.met if counts == "met" else result.answered


def levels(
    framework: Framework,
    results: Sequence[IndicatorResult],
    done: Mapping[str, date],
    today: date | None = None,
) -> tuple[LevelResult, ...]:
    """Every level, lowest first; each needs the ones below it. ``done`` holds the events that
    have happened (a date after today is only scheduled and is left out by the caller). With
    ``today``, a level whose validity has run out is expired, and so not reached."""
    out: list[LevelResult] = []
    below_achieved = below_earned = True
    for index, level in enumerate(framework.levels):
        scope = set(framework.level_ids[: index + 1])
        # An upcoming indicator is shown but counts only from its date (it is left out till then).
        in_scope = [r for r in results if r.level in scope and not r.upcoming]
        rule = level.rule
        counted = sum(1 for r in in_scope if counts_for(r, rule.counts))
        needed = math.ceil(rule.share * len(in_scope) - 1e-9)
        missing = tuple(e for e in rule.events if e not in done)
        # Earned: its indicators and steps, and the levels below earned too; achieved: earned
        # and not lapsed, with the levels below achieved (a lapsed level takes those above).
        earned = below_earned and counted >= needed and not missing
        expires = _expiry(level, done) if earned else None  # a level not earned cannot lapse
        expired = expires is not None and today is not None and today > expires
        achieved = earned and not expired and below_achieved
        out.append(
            LevelResult(
                level.id,
                level.name,
                rule.counts,
                counted,
                len(in_scope),
                needed,
                missing,
                achieved,
                expires,
                expired,
            )
        )
        below_achieved, below_earned = achieved, earned
    return tuple(out)


def _expiry(level: Level, done: Mapping[str, date]) -> date | None:
    """The last day of a level's validity: from the latest event that granted or renewed it."""
    granted = [done[event] for event in level.granted_by if event in done]
    if level.valid_for is None or not granted:
        return None
    return shift(max(granted), level.valid_for)


def resolve_level(framework: Framework, level: str) -> str:
    """The level id ``level`` names; an unknown level is a usage error with a did-you-mean."""
    return resolve("level", level, framework.level_ids)


def target(
    found: Sequence[LevelResult], wanted: str | None = None
) -> tuple[LevelResult | None, LevelResult | None]:
    """(the highest level reached, the level to work towards: ``wanted`` or the next one)."""
    reached = None
    for level in found:
        if not level.achieved:
            break
        reached = level
    if wanted is not None:
        return reached, next(lv for lv in found if lv.id == wanted)
    return reached, next((lv for lv in found if not lv.achieved), None)


def unmet(
    framework: Framework, results: Sequence[IndicatorResult], towards: LevelResult | None
) -> tuple[IndicatorResult, ...]:
    """The indicators of ``towards`` and the levels below it that do not count yet."""
    if towards is None:
        return ()
    scope = set(framework.level_ids[: framework.level_ids.index(towards.id) + 1])
    return tuple(
        r
        for r in results
        if r.level in scope and not r.upcoming and not counts_for(r, towards.counts)
    )
