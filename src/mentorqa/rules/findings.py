"""What ``check`` reports: findings with stable codes, listed with examples in docs/checks.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..layout import MANIFEST

Severity = Literal["error", "warning"]
Loc = tuple[str | int, ...]

# Every code, its severity and a short title (for SARIF rules and docs/checks.md). Codes are
# stable: a code is never reused for another meaning.
CODES: dict[str, tuple[Severity, str]] = {
    "MQA101": ("error", "unknown indicator"),
    "MQA102": ("error", "status the framework does not allow"),
    "MQA103": ("error", "not applicable where the indicator must be met"),
    "MQA104": ("error", "rating the framework does not allow"),
    "MQA110": ("error", "met without evidence"),
    "MQA111": ("error", "evidence file missing"),
    "MQA112": ("error", "evidence outside the workspace"),
    "MQA113": ("error", "evidence kept in private/"),
    "MQA120": ("error", "unknown id"),
    "MQA130": ("error", "plan has too many priorities"),
    "MQA131": ("error", "plan agreed with too few priorities"),
    "MQA132": ("error", "priority target beyond the plan's horizon"),
    "MQA140": ("error", "level not reached"),
    "MQA201": ("warning", "evidence changed since it was recorded"),
    "MQA202": ("warning", "deadline passed"),
    "MQA203": ("warning", "interview longer than is normal"),
    "MQA204": ("warning", "real name recorded without consent"),
    "MQA205": ("warning", "evidence expired"),
    "MQA206": ("warning", "evidence expires soon"),
}


@dataclass(frozen=True)
class Finding:
    """One problem ``check`` reports: errors fail it, warnings fail it only with ``--strict``.

    ``loc`` is the path of the manifest node it concerns, from which the workspace finds its line.
    """

    code: str
    message: str
    indicator: str | None = None
    file: str = MANIFEST
    loc: Loc = ()
    line: int | None = None

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]
