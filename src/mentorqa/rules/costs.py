"""What an award costs, from the framework's fee bands. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from ..frameworks.lookups import in_band
from ..frameworks.model import FeeBand, Framework


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
    sector: str | None = None
    band_basis: str = ""  # why this band: the turnover range, or the sector
    known: bool = True  # False: the framework's fees are not published

    @property
    def free(self) -> bool:
        return self.band is None and self.known

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

    A framework without fee bands costs nothing, unless it says its fees are not published
    (the cost is then unknown); one with bands needs a turnover, unless the sector puts the
    organisation in one band whatever its turnover (a public-sector body).
    """
    fees = framework.fees
    if not fees.bands:
        return Quote(
            framework.id, framework.currency, turnover, None, fees.notes, known=fees.public
        )
    fixed = fees.sector_bands.get(sector or "")
    if fixed is not None:
        band = next(b for b in fees.bands if b.id == fixed)
        basis = band.turnover_from
        why = f"{fees_sector_name(framework, sector)}: {band.name} whatever the turnover"
    elif turnover is None:
        raise UsageError(
            f"{framework.name} fees depend on {fees.basis}; give it with --turnover AMOUNT "
            "or record it in the workspace (service: turnover:)"
        )
    else:
        band = next(b for b in fees.bands if in_band(b, turnover))
        basis = turnover
        why = f"turnover {band_range(framework, band)}"
    years, notes = _years(framework, band, basis, sector)
    return Quote(
        framework.id, framework.currency, turnover, band, fees.notes + notes, years, sector, why
    )


def band_range(framework: Framework, band: FeeBand) -> str:
    """A band's turnovers in words, e.g. '£101,000 to £350,999' or '£751,000 and over'."""
    low = framework.money(band.turnover_from)
    if band.turnover_below is None:
        return f"{low} and over"
    return f"{low} to {framework.money(band.turnover_below - 1)}"


def fees_sector_name(framework: Framework, sector: str | None) -> str:
    membership = framework.fees.membership
    if membership is None or sector is None:
        return sector or ""
    return membership.sectors.get(sector, sector)


def _years(
    framework: Framework, band: FeeBand, basis: float, sector: str | None
) -> tuple[tuple[YearCost, ...], tuple[str, ...]]:
    """Each year of the award period, with the membership it requires."""
    membership = framework.fees.membership
    if membership is None or not membership.years:
        return (), ()
    sectors = list(membership.sectors)
    chosen = sector or sectors[0]
    if chosen not in membership.sectors:
        raise UsageError(f"unknown sector '{chosen}'; use one of: {', '.join(sectors)}")
    yearly = next(b for b in membership.bands if in_band(b, basis)).amounts[chosen]
    years = []
    for year in range(1, membership.years + 1):
        items: list[tuple[str, float]] = []
        if year == 1:
            items += [("registration", band.registration), ("assessment", band.assessment)]
        label = f"{membership.name} ({membership.sectors[chosen]})"
        items.append((label, 0.0 if year <= membership.included_years else yearly))
        years.append(YearCost(year, tuple(items)))
    return tuple(years), membership.notes
