"""What ``check`` says as text: a line per finding and the summary, without rich, which a
check on a small workspace spent a tenth of its time loading for these few lines."""

from __future__ import annotations

from ..rules.findings import Finding
from ..values import visible


def where(finding: Finding) -> str:
    place = finding.file + (f":{finding.line}" if finding.line else "")
    parts = [place]
    if finding.indicator:
        parts.append(finding.indicator)
    return ": ".join(parts) + ": "


def lines(errors: list[Finding], warnings: list[Finding]) -> list[str]:
    """One plain line per finding, for stderr (never markup: these are printed as text)."""
    said = [f"error: {where(f)}{f.code} {f.message}" for f in errors]
    said += [f"warning: {where(f)}{f.code} {f.message}" for f in warnings]
    return [visible(" ".join(line.split())) for line in said]


def summary(errors: int, warnings: int, ok: bool) -> tuple[tuple[str, str], str]:
    """The verdict, in its colour on a terminal, and the counts (parts for Stream.styled)."""
    verdict = ("check passed", "green") if ok else ("check failed", "red")
    return verdict, f": {errors} error(s), {warnings} warning(s)"
