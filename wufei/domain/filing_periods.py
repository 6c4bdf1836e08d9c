"""Names of filing periods and the filing a name stands for (HJ 1259-2022 5.2.2, 7.2).

A submitted filing is stored with a period label: "2024-03" (monthly, 7.2.1), "2024-Q1"
(quarterly, 7.2.2), "2024" (annual: the year reported, 7.2; management plan: the year planned,
5.2.2). The label and the calendar of `supervision_tier` must agree both ways.
"""

from __future__ import annotations

import re
from datetime import date

from wufei.domain.supervision_tier import Filing, FilingKind, Tier, filings_due_in

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def period_label(filing: Filing) -> str:
    start = filing.period_start
    if filing.kind == FilingKind.MONTHLY:
        return f"{start.year}-{start.month:02d}"
    if filing.kind == FilingKind.QUARTERLY:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def _calendar_year(kind: FilingKind, label: str) -> int:
    """The year in which the filing named by `label` falls due."""
    if kind == FilingKind.MONTHLY and (m := _MONTH.match(label)):
        year, month = int(m[1]), int(m[2])
        return year + (month == 12)
    if kind == FilingKind.QUARTERLY and (m := _QUARTER.match(label)):
        return int(m[1]) + (m[2] == "4")
    if kind == FilingKind.ANNUAL and (m := _YEAR.match(label)):
        return int(m[1]) + 1
    if kind == FilingKind.MANAGEMENT_PLAN and (m := _YEAR.match(label)):
        return int(m[1])
    raise ValueError(f"{label!r} is not a period of a {kind} filing")


def filing_for(kind: FilingKind, label: str, tier: Tier | None = None) -> Filing:
    """The filing of `kind` for the period `label` (its period, deadline and the clause of
    `tier`, which only the annual filing's clause depends on).

    Raises ValueError when the label does not name a period of that kind (or of that tier)."""
    tier = tier or {
        FilingKind.MONTHLY: Tier.KEY,
        FilingKind.QUARTERLY: Tier.SIMPLIFIED,
    }.get(kind, Tier.REGISTERED)
    year = _calendar_year(kind, label)
    for filing in filings_due_in(tier, year):
        if filing.kind == kind and period_label(filing) == label:
            return filing
    raise ValueError(f"a unit of tier {tier} files no {kind} filing")


def is_late(filing: Filing, *, today: date) -> bool:
    """Past its deadline (the due day itself is still on time)."""
    return today > filing.due
