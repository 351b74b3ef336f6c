"""The improvement plan's rules (NQMS: the I&I Plan), the same at every write and in ``check``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from ..errors import UsageError
from ..frameworks.model import Framework, PlanRules
from ..manifest import Manifest, Priority
from . import timeline
from .findings import Finding


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


def rules_of(framework: Framework) -> PlanRules:
    """The framework's plan rules; a usage error where it has no plan."""
    if framework.plan is None:
        raise UsageError(f"{framework.name} has no improvement plan")
    return framework.plan


def window(rules: PlanRules, dates: Mapping[str, date]) -> tuple[date | None, date | None]:
    start = dates.get(rules.horizon_from)
    if start is None:
        return None, None
    return timeline.shift(start, rules.earliest), timeline.shift(start, rules.latest)


def findings(
    framework: Framework, manifest: Manifest, done: Mapping[str, date]
) -> Iterator[Finding]:
    """What breaks the plan's rules once it exists (``done``: events that have happened)."""
    rules = framework.plan
    recorded = manifest.plan
    count = len(recorded.priorities)
    if rules is None:
        if count:
            yield Finding("MQA120", f"{framework.name} has no improvement plan", loc=("plan",))
        return
    if count > rules.max_priorities:
        yield Finding(
            "MQA130",
            f"the {rules.name} has {count} priorities; it allows at most {rules.max_priorities}",
            loc=("plan", "priorities"),
        )
    if rules.agreed_event in done and count < rules.min_priorities:
        yield Finding(
            "MQA131",
            f"the {rules.name} is agreed with {count} priorities; it needs at least "
            f"{rules.min_priorities}",
            loc=("plan", "priorities"),
        )
    _, latest = window(rules, manifest.dates)
    for number, priority in enumerate(recorded.priorities, 1):
        if priority.target and latest and priority.target > latest:
            yield Finding(
                "MQA132",
                f"priority {number} ('{priority.goal}') targets {priority.target}, after the "
                f"plan's horizon {latest} ({rules.latest.describe()} after "
                f"{framework.event_names[rules.horizon_from]})",
                loc=("plan", "priorities", number - 1, "target"),
            )


def progress(
    framework: Framework, manifest: Manifest, done: Mapping[str, date]
) -> PlanProgress | None:
    rules = framework.plan
    if rules is None:
        return None
    recorded = manifest.plan
    count = len(recorded.priorities)
    earliest, latest = window(rules, manifest.dates)
    lacks: list[str] = []
    if count < rules.min_priorities:
        more = rules.min_priorities - count
        lacks.append(
            f"{more} more {'priority' if more == 1 else 'priorities'} (the plan needs "
            f"{rules.min_priorities}-{rules.max_priorities})"
        )
    if count > rules.max_priorities:
        fewer = count - rules.max_priorities
        lacks.append(
            f"{fewer} {'priority' if fewer == 1 else 'priorities'} fewer (the plan allows at "
            f"most {rules.max_priorities})"
        )
    lacks += [
        lack for number, p in enumerate(recorded.priorities, 1) if (lack := _lacks(number, p))
    ]
    agreed = rules.agreed_event in done
    if not agreed:
        lacks.append("not yet agreed (record it with 'mentorqa plan agree DATE')")
    return PlanProgress(
        rules.name,
        count,
        rules.min_priorities,
        rules.max_priorities,
        agreed,
        earliest,
        latest,
        tuple(lacks),
    )


def _lacks(number: int, priority: Priority) -> str:
    missing = [
        name
        for name, value in (
            ("actions", priority.actions),
            ("owner", priority.owner),
            ("target date", priority.target),
        )
        if not value
    ]
    if not missing:
        return ""
    named = " or ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
    return f"priority {number} has no {named}"


def refuse_breaks(framework: Framework, manifest: Manifest, done: Mapping[str, date]) -> None:
    """A write that would leave the plan breaking a rule is refused, as ``check`` would fail it."""
    broken = list(findings(framework, manifest, done))
    if broken:
        raise UsageError(f"not saved: {broken[0].message}")
