"""Supervision tier of a hazardous-waste producer and its filing calendar (HJ 1259-2022).

4.2.1 sorts producers into three tiers:
  a) 危险废物环境重点监管单位 (key supervision): annual quantity ≥ 100 t at one site, or an
     in-house utilisation/disposal facility, or a hazardous waste operating licence;
  b) 危险废物简化管理单位 (simplified): ≥ 10 t and not under key supervision;
  c) 危险废物登记管理单位 (registration): < 10 t and not under key supervision.
4.2.3 says which annual quantity counts; 7.2 and 5.2 say when to file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

TONNE_G = 1_000_000
KEY_THRESHOLD_G = 100 * TONNE_G  # 4.2.1 a) 1)
SIMPLIFIED_THRESHOLD_G = 10 * TONNE_G  # 4.2.1 b)


class Tier(StrEnum):
    KEY = "key"  # 危险废物环境重点监管单位
    SIMPLIFIED = "simplified"  # 危险废物简化管理单位
    REGISTERED = "registered"  # 危险废物登记管理单位


class Reason(StrEnum):
    """Why a tier applies; each names its clause of HJ 1259-2022."""

    ANNUAL_100T = "annual_at_least_100t"  # 4.2.1 a) 1)
    IN_HOUSE_FACILITY = "in_house_facility"  # 4.2.1 a) 2)
    OPERATING_LICENCE = "operating_licence"  # 4.2.1 a) 3)
    ANNUAL_10T = "annual_at_least_10t"  # 4.2.1 b)
    ANNUAL_UNDER_10T = "annual_under_10t"  # 4.2.1 c)


class Basis(StrEnum):
    """Which annual quantity 4.2.3 takes."""

    LAST_THREE_YEARS = "last_three_years"  # operating ≥ 3 years: largest of the last three
    OPERATING_PERIOD = "operating_period"  # 1–3 years: largest year of the operating period
    DECLARED = "declared"  # < 1 year or intermittent: EIA / discharge permit figure
    PROVISIONAL = "provisional"  # < 1 year and no declared figure: the ledger so far


@dataclass(frozen=True)
class AnnualQuantity:
    grams: int
    basis: Basis
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class TierDecision:
    tier: Tier
    reasons: tuple[Reason, ...]
    annual: AnnualQuantity


def _years_since(start: date, today: date) -> int:
    """Whole years from `start` to `today`."""
    years = today.year - start.year
    if (today.month, today.day) < (start.month, start.day):
        years -= 1
    return years


def annual_quantity(
    *,
    yearly_g: Mapping[int, int],
    operating_since: date | None,
    today: date,
    declared_g: int | None = None,
    intermittent: bool = False,
) -> AnnualQuantity:
    """The annual quantity of 4.2.3 from generated grams per calendar year.

    ≥ 3 years in operation: the largest of the three most recent complete years; 1–3 years: the
    largest year of the operating period (partial years included: they can only understate);
    not yet a year, or intermittent with a cycle over 3 years: the larger documented figure
    (`declared_g`, from the EIA or the discharge permit) — without one, the ledger so far,
    marked provisional.
    """
    operated = _years_since(operating_since, today) if operating_since else 0
    if intermittent or operated < 1:
        if declared_g is not None:
            return AnnualQuantity(declared_g, Basis.DECLARED)
        years = tuple(sorted(y for y in yearly_g if y <= today.year))
        return AnnualQuantity(
            max((yearly_g[y] for y in years), default=0), Basis.PROVISIONAL, years
        )
    assert operating_since is not None
    if operated >= 3:
        years = (today.year - 3, today.year - 2, today.year - 1)
        return AnnualQuantity(max(yearly_g.get(y, 0) for y in years), Basis.LAST_THREE_YEARS, years)
    years = tuple(range(operating_since.year, today.year + 1))
    return AnnualQuantity(max(yearly_g.get(y, 0) for y in years), Basis.OPERATING_PERIOD, years)


def supervision_tier(
    *, annual: AnnualQuantity, has_in_house_facility: bool, holds_operating_licence: bool
) -> TierDecision:
    """The tier of 4.2.1 with every reason that puts the unit there."""
    key_reasons = []
    if annual.grams >= KEY_THRESHOLD_G:
        key_reasons.append(Reason.ANNUAL_100T)
    if has_in_house_facility:
        key_reasons.append(Reason.IN_HOUSE_FACILITY)
    if holds_operating_licence:
        key_reasons.append(Reason.OPERATING_LICENCE)
    if key_reasons:
        return TierDecision(Tier.KEY, tuple(key_reasons), annual)
    if annual.grams >= SIMPLIFIED_THRESHOLD_G:
        return TierDecision(Tier.SIMPLIFIED, (Reason.ANNUAL_10T,), annual)
    return TierDecision(Tier.REGISTERED, (Reason.ANNUAL_UNDER_10T,), annual)


class FilingKind(StrEnum):
    MONTHLY = "monthly"  # 7.2.1 月度申报
    QUARTERLY = "quarterly"  # 7.2.2 季度申报
    ANNUAL = "annual"  # 7.2.1–7.2.3 年度申报
    MANAGEMENT_PLAN = "management_plan"  # 5.2.2 管理计划备案


@dataclass(frozen=True)
class Filing:
    kind: FilingKind
    period_start: date
    period_end: date  # inclusive
    due: date  # the last day on which it may be filed
    clause: str


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(first_next.toordinal() - 1)


def filings_due_in(tier: Tier, year: int) -> list[Filing]:
    """Every filing of `tier` whose deadline falls in calendar `year`, in deadline order."""
    due: list[Filing] = []
    if tier == Tier.KEY:
        # 7.2.1: by the 15th of each month for the previous month.
        for month in range(1, 13):
            py, pm = (year - 1, 12) if month == 1 else (year, month - 1)
            due.append(
                Filing(
                    FilingKind.MONTHLY,
                    date(py, pm, 1),
                    _month_end(py, pm),
                    date(year, month, 15),
                    "HJ 1259-2022 7.2.1",
                )
            )
    if tier == Tier.SIMPLIFIED:
        # 7.2.2: by the 15th of the first month of each quarter for the previous quarter.
        for first_month in (1, 4, 7, 10):
            py, pq_first = (year - 1, 10) if first_month == 1 else (year, first_month - 3)
            due.append(
                Filing(
                    FilingKind.QUARTERLY,
                    date(py, pq_first, 1),
                    _month_end(py, pq_first + 2),
                    date(year, first_month, 15),
                    "HJ 1259-2022 7.2.2",
                )
            )
    annual_clause = {
        Tier.KEY: "HJ 1259-2022 7.2.1",
        Tier.SIMPLIFIED: "HJ 1259-2022 7.2.2",
        Tier.REGISTERED: "HJ 1259-2022 7.2.3",
    }[tier]
    due.append(
        Filing(
            FilingKind.ANNUAL,
            date(year - 1, 1, 1),
            date(year - 1, 12, 31),
            date(year, 3, 31),
            annual_clause,
        )
    )
    due.append(
        Filing(
            FilingKind.MANAGEMENT_PLAN,
            date(year, 1, 1),
            date(year, 12, 31),
            date(year, 3, 31),
            "HJ 1259-2022 5.2.2",
        )
    )
    due.sort(key=lambda f: (f.due, f.kind != FilingKind.ANNUAL))
    return due


def filings_upcoming(tier: Tier, *, today: date, count: int = 4) -> list[Filing]:
    """The next `count` filings whose deadline is today or later."""
    ahead = [f for y in (today.year, today.year + 1) for f in filings_due_in(tier, y)]
    return [f for f in ahead if f.due >= today][:count]


def filings_next_of_each_kind(tier: Tier, *, today: date) -> list[Filing]:
    """The next filing of every kind the tier files (deadline today or later), soonest first."""
    first: dict[FilingKind, Filing] = {}
    for filing in filings_upcoming(tier, today=today, count=40):
        first.setdefault(filing.kind, filing)
    return sorted(first.values(), key=lambda f: (f.due, f.kind != FilingKind.ANNUAL))
