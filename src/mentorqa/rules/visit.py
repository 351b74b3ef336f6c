"""What the visit gathers: interviews by role and case studies by kind, against what is normal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..frameworks.model import Framework
from ..manifest import Manifest
from .findings import Finding


@dataclass(frozen=True)
class RequirementProgress:
    """Interviews of one role, or case studies of one kind: recorded against what is normal."""

    id: str
    name: str
    required: int
    recorded: int
    max_minutes: int | None = None
    too_long: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.recorded >= self.required


def interviews(framework: Framework, manifest: Manifest) -> tuple[RequirementProgress, ...]:
    out = []
    for req in framework.interviews:
        recorded = [i for i in manifest.interviews if i.role == req.role]
        too_long = tuple(
            i.pseudonym
            for i in recorded
            if req.max_minutes is not None and i.minutes is not None and i.minutes > req.max_minutes
        )
        out.append(
            RequirementProgress(
                req.role, req.name, req.count, len(recorded), req.max_minutes, too_long
            )
        )
    return tuple(out)


def case_studies(framework: Framework, manifest: Manifest) -> tuple[RequirementProgress, ...]:
    return tuple(
        RequirementProgress(
            req.kind,
            req.name,
            req.count,
            sum(1 for c in manifest.case_studies if c.kind == req.kind),
        )
        for req in framework.case_studies
    )


def findings(
    framework: Framework, manifest: Manifest, progress: tuple[RequirementProgress, ...]
) -> Iterator[Finding]:
    for p in progress:
        for pseudonym in p.too_long:
            yield Finding(
                "MQA203",
                f"the interview '{pseudonym}' ({p.name.lower()}) is longer than the "
                f"{p.max_minutes} minutes {framework.name} says is normal",
            )
    for index, interview in enumerate(manifest.interviews):
        if interview.name and not manifest.privacy.names_consent:
            yield Finding(
                "MQA204",
                f"a real name is recorded for interview '{interview.pseudonym}' without "
                "names_consent; reports show the pseudonym only. Keep real names in private/",
                loc=("interviews", index, "name"),
            )
