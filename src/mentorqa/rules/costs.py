"""What an award costs, from the framework's fee bands. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from ..frameworks.model import FeeBand, Framework, MembershipBand


def _in_band(band: FeeBand | MembershipBand, turnover: float) -> bool:
    below = band.turnover_below
    return band.turnover_from <= turnover and (below is None or turnover < below)


@dataclass(frozen=True)
class YearCost:
    year: int
    items: tuple[tuple[str, float], ...]

    @property
    def total(self) -> float:
        return sum(amount for _, amount in self.items)


@dataclass(frozen=True)
class Quote:
    framework: str
    currency: str
    turnover: float | None
    band: FeeBand | None
    notes: tuple[str, ...]
    years: tuple[YearCost, ...] = ()

    @property
    def free(self) -> bool:
        return self.band is None

    @property
    def registration(self) -> float:
        return self.band.registration if self.band else 0.0

    @property
    def assessment(self) -> float:
        return self.band.assessment if self.band else 0.0

    @property
    def total(self) -> float:
        return self.registration + self.assessment


def quote(framework: Framework, turnover: float | None, sector: str | None = None) -> Quote:
    """The fee band and amounts for ``turnover``, and the whole award period where known.

    A framework without fee bands costs nothing; one with bands needs a turnover.
    """
    fees = framework.fees
    if not fees.bands:
        return Quote(framework.id, framework.currency, turnover, None, fees.notes)
    if turnover is None:
        raise UsageError(
            f"{framework.name} fees depend on {fees.basis}; give it with --turnover AMOUNT "
            "or record it in the workspace (service: turnover:)"
        )
    band = next(b for b in fees.bands if _in_band(b, turnover))
    notes = fees.notes
    years: list[YearCost] = []
    membership = fees.membership
    if membership is not None and membership.years:
        sectors = list(membership.sectors)
        chosen = sector or sectors[0]
        if chosen not in membership.sectors:
            raise UsageError(f"unknown sector '{chosen}'; use one of: {', '.join(sectors)}")
        yearly_band = next(b for b in membership.bands if _in_band(b, turnover))
        yearly = yearly_band.amounts[chosen]
        for year in range(1, membership.years + 1):
            items: list[tuple[str, float]] = []
            if year == 1:
                items += [("registration", band.registration), ("assessment", band.assessment)]
            label = f"{membership.name} ({membership.sectors[chosen]})"
            items.append((label, 0.0 if year <= membership.included_years else yearly))
            years.append(YearCost(year, tuple(items)))
        notes = notes + membership.notes
    return Quote(framework.id, framework.currency, turnover, band, notes, tuple(years))
