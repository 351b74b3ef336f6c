"""Eligibility: the framework's yes/no criteria against a workspace's answers. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import UsageError, resolve
from ..frameworks.model import Framework

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def parse_answer(text: str, framework: Framework) -> tuple[str, bool]:
    """``ID=yes`` or ``ID=no`` -> (criterion id, answer); unknown ids are usage errors."""
    key, sep, value = text.partition("=")
    value = value.strip().lower()
    known = [c.id for c in framework.eligibility.criteria]
    if not sep or value not in _YES | _NO:
        raise UsageError(f"'{text}' is not ID=yes or ID=no (criteria: {', '.join(known)})")
    return resolve("eligibility criterion", key, known), value in _YES


@dataclass(frozen=True)
class CriterionResult:
    id: str
    text: str
    help: str
    answer: bool | None

    @property
    def met(self) -> bool:
        return self.answer is True


@dataclass(frozen=True)
class EligibilityResult:
    criteria: tuple[CriterionResult, ...]
    if_not_eligible: str
    regions: str

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def unanswered(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.answer is None]


def evaluate(framework: Framework, answers: Mapping[str, bool]) -> EligibilityResult:
    el = framework.eligibility
    return EligibilityResult(
        tuple(CriterionResult(c.id, c.question, c.help, answers.get(c.id)) for c in el.criteria),
        el.if_not_eligible,
        el.regions,
    )
