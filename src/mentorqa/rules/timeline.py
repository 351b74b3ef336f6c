"""Milestones computed from the dates a workspace records. Pure: no I/O."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ..frameworks.model import Framework, Milestone, Offset

State = Literal["done", "scheduled", "overdue", "upcoming", "waiting"]


def add_months(start: date, months: int) -> date:
    """``start`` plus calendar months; a day that does not exist becomes the month's last day
    (31 January + 1 month = 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _months(offset: Offset) -> int:
    return offset.years * 12 + offset.months


def _days(offset: Offset) -> int:
    return offset.weeks * 7 + offset.days


def shift(start: date, offset: Offset) -> date:
    """``start`` moved by ``offset``: calendar months first, then days."""
    return add_months(start, _months(offset)) + timedelta(days=_days(offset))


def happened(dates: Mapping[str, date], today: date) -> dict[str, date]:
    """The recorded events that have happened: a date after today is only scheduled."""
    return {event: day for event, day in dates.items() if day <= today}


@dataclass(frozen=True)
class MilestoneResult:
    id: str
    title: str
    description: str
    after: str
    after_name: str
    due: date | None
    earliest: date | None
    done_when: str | None
    done_on: date | None
    state: State
    days_left: int | None
    owner: str = "service"  # or "body": a step the awarding body owes the service

    @property
    def is_marker(self) -> bool:
        """A date to know, with no event that completes it (e.g. a reminder)."""
        return self.done_when is None


def _expand(milestone: Milestone) -> list[tuple[str, str, str | None, int]]:
    """(id, title, done_when, occurrence) for each occurrence of a milestone."""
    if milestone.repeat is None:
        return [(milestone.id, milestone.title, milestone.done_when, 1)]
    return [
        (
            f"{milestone.id}-{n}",
            f"{milestone.title} ({n} of {milestone.repeat.times})",
            f"{milestone.done_when}-{n}" if milestone.done_when else None,
            n,
        )
        for n in range(1, milestone.repeat.times + 1)
    ]


def compute(
    framework: Framework, dates: dict[str, date], today: date, cycle: str | None = None
) -> list[MilestoneResult]:
    """Every milestone of the framework for a workspace in ``cycle``, with its due date and
    state on ``today``."""
    results = []
    for milestone in framework.milestones:
        if not framework.in_cycle(milestone, cycle):
            continue
        start = dates.get(milestone.after)
        for mid, title, done_when, n in _expand(milestone):
            due = earliest = None
            if start is not None:
                due = shift(start, milestone.due)
                if milestone.repeat is not None:
                    every = milestone.repeat.every
                    due = add_months(
                        start, _months(milestone.due) + _months(every) * (n - 1)
                    ) + timedelta(days=_days(milestone.due) + _days(every) * (n - 1))
                if milestone.earliest is not None:
                    earliest = shift(start, milestone.earliest)
            done_on = dates.get(done_when) if done_when else None
            state: State
            if done_on is not None:
                state = "done" if done_on <= today else "scheduled"
            elif due is None:
                state = "waiting"
            elif done_when is None:
                state = "done" if due <= today else "upcoming"
            elif due < today:
                state = "overdue"
            else:
                state = "upcoming"
            results.append(
                MilestoneResult(
                    id=mid,
                    title=title,
                    description=milestone.description,
                    after=milestone.after,
                    after_name=framework.event_names.get(milestone.after, milestone.after),
                    due=due,
                    earliest=earliest,
                    done_when=done_when,
                    done_on=done_on,
                    state=state,
                    days_left=(due - today).days if due is not None else None,
                    owner=milestone.owner,
                )
            )
    return results
