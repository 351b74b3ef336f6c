"""Evidence over time: a document stops being valid on its own date (``valid_until``) or after the
validity its indicator gives (``valid_for``, from the day it was recorded). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..frameworks.model import Framework, Indicator
from ..manifest import EvidenceFile
from .findings import Finding
from .indicators import IndicatorResult
from .timeline import shift


def expires(item: EvidenceFile, indicator: Indicator) -> date | None:
    """The last day ``item`` is valid, or None when it does not lapse."""
    if item.valid_until is not None:
        return item.valid_until
    if indicator.valid_for is not None:
        return shift(item.recorded, indicator.valid_for) - timedelta(days=1)
    return None


@dataclass(frozen=True)
class Lapse:
    """A recorded document that has lapsed, or will within the framework's warning window."""

    indicator: str
    file: str
    index: int  # its place in the indicator's evidence list (for the manifest line)
    expires: date
    expired: bool
    expires_in: int  # days from today (negative once expired)


def lapses(
    framework: Framework, results: Sequence[IndicatorResult], today: date
) -> tuple[Lapse, ...]:
    """Documents past their last valid day or within ``expiry_warning`` of it, soonest first."""
    horizon = shift(today, framework.expiry_warning)
    found = [
        Lapse(r.id, item.file, n, end, end < today, (end - today).days)
        for r in results
        for n, item in enumerate(r.evidence)
        if (end := expires(item, r.indicator)) is not None and end <= horizon
    ]
    return tuple(sorted(found, key=lambda lapse: (lapse.expires, lapse.indicator, lapse.file)))


def findings(found: Sequence[Lapse]) -> Iterator[Finding]:
    for lapse in found:
        where = ("indicators", lapse.indicator, "evidence", lapse.index)
        renew = (
            f"record a current copy with 'mentorqa evidence add {lapse.indicator} FILE "
            "--valid-until DATE'"
        )
        if lapse.expired:
            yield Finding(
                "MQA205",
                f"evidence file {lapse.file} expired on {lapse.expires}; {renew}",
                lapse.indicator,
                loc=where,
            )
        else:
            yield Finding(
                "MQA206",
                f"evidence file {lapse.file} expires on {lapse.expires} "
                f"(in {lapse.expires_in} days); {renew}",
                lapse.indicator,
                loc=where,
            )
