"""What the library's reads return: each object's ``to_dict()`` is exactly the JSON document the
matching ``--json`` command prints, and ``exit_code`` is the one the command ends with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .assessment import Assessment
from .errors import ExitCode
from .frameworks.model import Framework
from .rules.costs import Quote
from .rules.findings import Finding
from .rules.indicators import IndicatorResult
from .rules.levels import LevelResult
from .values import SCHEMA_VERSION
from .views import data


@dataclass(frozen=True)
class Status:
    """Progress per area and level, what is missing, the next deadlines (``status``)."""

    assessment: Assessment
    level: str | None = None

    @property
    def asked(self) -> LevelResult | None:
        return self.assessment.level(self.level) if self.level is not None else None

    @property
    def exit_code(self) -> ExitCode:
        """Not holding only when a level was asked for and is not reached."""
        asked = self.asked
        return ExitCode.NOT_HOLDING if asked is not None and not asked.achieved else ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return data.status(self.assessment)


@dataclass(frozen=True)
class Verdict:
    """What ``check`` concludes: the findings, and whether they fail it."""

    assessment: Assessment
    findings: tuple[Finding, ...]
    strict: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and not (self.strict and self.warnings)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.OK if self.ok else ExitCode.NOT_HOLDING

    def to_dict(self) -> dict[str, Any]:
        return data.check(self.errors, self.warnings, self.ok)


def verdict(result: Assessment, level: str | None = None, strict: bool = False) -> Verdict:
    """The findings of ``result``, plus 'level not reached' when ``level`` is asked for."""
    findings = list(result.findings)
    if level is not None and not (wanted := result.level(level)).achieved:
        steps = (
            f", steps missing: {', '.join(wanted.missing_steps)}" if wanted.missing_steps else ""
        )
        findings.append(
            Finding(
                "MQA140",
                f"level '{wanted.name}' is not reached: {wanted.counted} of {wanted.total} "
                f"{wanted.verb}{steps}",
            )
        )
    return Verdict(result, tuple(findings), strict)


@dataclass(frozen=True)
class Timeline:
    """Every milestone with its due date and state (``timeline``)."""

    assessment: Assessment
    exit_code = ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return data.timeline(self.assessment)


@dataclass(frozen=True)
class Eligibility:
    """The framework's criteria with the workspace's answers (``eligibility``)."""

    assessment: Assessment

    @property
    def exit_code(self) -> ExitCode:
        eligible = self.assessment.eligibility.eligible
        return ExitCode.OK if eligible else ExitCode.NOT_HOLDING

    def to_dict(self) -> dict[str, Any]:
        return data.eligibility(self.assessment)


@dataclass(frozen=True)
class Cost:
    """The fee band, amounts and notes (``cost``)."""

    quote: Quote
    exit_code = ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return data.quote(self.quote)


@dataclass(frozen=True)
class Plan:
    """The improvement plan's priorities and what it still lacks (``plan show``)."""

    assessment: Assessment
    exit_code = ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return data.plan(self.assessment)


@dataclass(frozen=True)
class EvidenceList:
    """Recorded evidence with each file's state (``evidence list``)."""

    assessment: Assessment
    states: dict[str, str]
    indicator: str | None = None
    exit_code = ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return data.evidence(self.assessment, self.states, self.indicator)


@dataclass(frozen=True)
class IndicatorView:
    """One indicator: what it requires, typical evidence, and what is recorded (``show``)."""

    framework: Framework
    indicator: IndicatorResult
    names_consent: bool = False
    exit_code = ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        labels = self.framework.status_labels
        shown = data.indicator(self.indicator, labels, self.names_consent)
        return {"schema_version": SCHEMA_VERSION, **shown}


@dataclass(frozen=True)
class Changes:
    """The dated log of significant changes to the service or program (``change list``)."""

    assessment: Assessment
    exit_code = ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        return data.changes(self.assessment)
