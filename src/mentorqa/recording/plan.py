"""The improvement plan and the statement a leader signs, with the plan's rules enforced at
every write as ``check`` enforces them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..errors import UsageError, resolve
from ..frameworks.model import Framework, PlanRules
from ..values import today
from .base import Change, Draft, Recorder, append_new, entry

# The plan's rules (rules.plan, and the timeline under them) are imported by the writes that
# use them: a workspace carries these methods, and most runs record something else.


class PlanWrites(Recorder):
    """The improvement plan's priorities and notes, its agreement, and the signed statement."""

    def _plan_change(self, edit: Callable[[Draft, list[Any], PlanRules], str]) -> Change:
        """Run ``edit`` on the plan's priorities, given the framework's plan rules, and refuse
        a plan that breaks them."""
        from ..rules import plan
        from ..rules.timeline import happened

        def change(draft: Draft) -> tuple[str, str | None]:
            rules = plan.rules_of(draft.framework)
            summary = edit(draft, draft.sequence("plan", "priorities"), rules)
            after = draft.validated()
            done = happened(after.dates, today())
            plan.refuse_breaks(draft.framework, after, done)
            return summary, None

        return self._change(change)

    def add_priority(
        self,
        goal: str,
        *,
        area: str = "",
        actions: list[str] | tuple[str, ...] = (),
        owner: str = "",
        target: dt.date | None = None,
    ) -> Change:
        def edit(draft: Draft, priorities: list[Any], rules: PlanRules) -> str:
            if len(priorities) >= rules.max_priorities:
                raise UsageError(
                    f"the {rules.name} already has {len(priorities)} priorities, the most "
                    f"{draft.framework.name} allows; edit or remove one instead"
                )
            if not goal.strip():
                raise UsageError("the goal must not be empty")
            priorities.append(
                entry(
                    goal=goal,
                    area=_plan_area(draft.framework, area),
                    actions=list(actions),
                    owner=owner,
                    target=target,
                )
            )
            return f"Added priority {len(priorities)}: {goal}"

        return self._plan_change(edit)

    def edit_priority(self, number: int, **fields: Any) -> Change:
        def edit(draft: Draft, priorities: list[Any], _: PlanRules) -> str:
            item = _priority(priorities, number)
            for key, value in fields.items():
                if value is None:
                    continue
                if key == "area":
                    value = _plan_area(draft.framework, value)
                item[key] = list(value) if isinstance(value, (list, tuple)) else value
            return f"Priority {number} updated."

        return self._plan_change(edit)

    def remove_priority(self, number: int) -> Change:
        def edit(draft: Draft, priorities: list[Any], _: PlanRules) -> str:
            _priority(priorities, number)
            del priorities[number - 1]
            return f"Priority {number} removed."

        return self._plan_change(edit)

    def add_plan_notes(
        self,
        *,
        strengths: list[str] | tuple[str, ...] = (),
        improvements: list[str] | tuple[str, ...] = (),
    ) -> Change:
        def edit(draft: Draft, priorities: list[Any], _: PlanRules) -> str:
            append_new(draft, ("plan", "strengths"), strengths)
            append_new(draft, ("plan", "improvements"), improvements)
            return "Plan notes recorded."

        return self._plan_change(edit)

    def agree_plan(self, date: dt.date) -> Change:
        """Record the plan as agreed; refused while it breaks the plan's rules."""

        def edit(draft: Draft, priorities: list[Any], rules: PlanRules) -> str:
            draft.mapping("dates")[rules.agreed_event] = date
            return f"{rules.name} agreed on {date.isoformat()}."

        return self._plan_change(edit)

    def revise_plan(self, date: dt.date) -> Change:
        """Keep the agreed plan as a version in its history and open it for revision; the
        revised plan needs agreeing again (NQMS: the mini-review updates the plan)."""
        from ..rules import plan  # (before the lock, as every write loads what it needs)

        def change(draft: Draft) -> tuple[str, str | None]:
            rules = plan.rules_of(draft.framework)
            dates = draft.mapping("dates")
            agreed = dates.get(rules.agreed_event)
            if agreed is None:
                raise UsageError(
                    f"the {rules.name} is not agreed yet, so there is nothing to revise; "
                    "edit it and agree it with 'mentorqa plan agree DATE'"
                )
            history = draft.sequence("plan_history")
            current = draft.mapping("plan")
            version = len(history) + 1
            history.append(
                {
                    "version": version,
                    "revised": date,
                    "agreed": agreed,
                    **{
                        k: current[k]
                        for k in ("strengths", "improvements", "priorities")
                        if k in current
                    },
                }
            )
            del dates[rules.agreed_event]
            return (
                f"Version {version} of the {rules.name} kept in its history; change the "
                "priorities, then agree the revised plan with 'mentorqa plan agree DATE'.",
                f"was agreed on {agreed.isoformat()}" if isinstance(agreed, dt.date) else None,
            )

        return self._change(change)

    def add_change(self, text: str, date: dt.date) -> Change:
        """Add a dated entry to the log of significant changes to the service or program."""

        def change(draft: Draft) -> tuple[str, str | None]:
            if not text.strip():
                raise UsageError("describe the change; the text must not be empty")
            log = draft.sequence("changes")
            log.append({"date": date, "text": text.strip()})
            return f"Change {len(log)} recorded ({date.isoformat()}).", None

        return self._change(change)

    def remove_change(self, number: int) -> Change:
        def change(draft: Draft) -> tuple[str, str | None]:
            log = draft.sequence("changes")
            if not 1 <= number <= len(log):
                raise UsageError(f"there is no change {number}; the log has {len(log)}")
            removed = log.pop(number - 1)
            return f"Change {number} removed.", f"was: {removed.get('text', '')}"

        return self._change(change)

    def sign_statement(self, name: str, role: str, date: dt.date) -> Change:
        def change(draft: Draft) -> tuple[str, str | None]:
            statement = draft.framework.statement
            if statement is None:
                raise UsageError(f"{draft.framework.name} has no statement to sign")
            missing = [
                flag for flag, value in (("--name", name), ("--role", role)) if not value.strip()
            ]
            if missing:
                raise UsageError(
                    f"{' and '.join(missing)} must not be empty: the statement records who "
                    "signed it"
                )
            signed = draft.mapping("statement")
            signed["name"], signed["role"] = name.strip(), role.strip()
            draft.mapping("dates")[statement.event] = date
            who = f"{name.strip()} ({role.strip()})"
            return f"{statement.title} signed by {who} on {date.isoformat()}.", None

        return self._change(change)


def _priority(priorities: list[Any], number: int) -> dict[str, Any]:
    if not 1 <= number <= len(priorities) or not isinstance(priorities[number - 1], dict):
        raise UsageError(f"there is no priority {number}; the plan has {len(priorities)}")
    item: dict[str, Any] = priorities[number - 1]
    return item


def _plan_area(framework: Framework, area: str) -> str:
    if not area:
        return ""
    sections = [s.id for s in framework.sections] or [a.id for a in framework.practice_areas]
    return resolve("plan area", area, sections)
