"""Environmental credit rating of an enterprise for a year (环境信用评价): a deduction scheme.

This is a configurable LOCAL scheme, modelled on provincial enterprise environmental credit
evaluation practice (a score from 100 with deductions per violation, four levels, and a veto
for the gravest outcomes); it is not a national standard. docs/credit-rating.md documents it.
The scheme is a value (`CreditScheme`), so a district can run another one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class CreditLevel(StrEnum):
    TRUSTWORTHY = "trustworthy"  # 环保诚信 (green)
    GOOD = "good"  # 良好 (blue)
    WARNING = "warning"  # 一般(警示) (yellow)
    POOR = "poor"  # 不良 (red)


@dataclass(frozen=True)
class WarningFact:
    """An alert raised on the enterprise in the year."""

    id: int
    severity: str  # low | medium | high | critical
    raised_on: date
    closed_on: date | None


@dataclass(frozen=True)
class FindingFact:
    id: int
    severity: str  # minor | major | serious
    rectification_due: date
    rectified_on: date | None


@dataclass(frozen=True)
class CaseFact:
    id: int
    outcome: str  # none | warning | rectification | fine | suspension
    decided_on: date


@dataclass(frozen=True)
class CreditScheme:
    start: int = 100
    warning_points: Mapping[str, int] = field(
        default_factory=lambda: {"low": 1, "medium": 2, "high": 4, "critical": 8}
    )
    warning_on_time_days: int = 15  # closed within this many days of being raised
    finding_points: Mapping[str, int] = field(
        default_factory=lambda: {"minor": 2, "major": 5, "serious": 10}
    )
    late_multiplier: int = 2  # not closed / rectified on time: points × this
    case_points: Mapping[str, int] = field(
        default_factory=lambda: {
            "none": 0,
            "warning": 5,
            "rectification": 8,
            "fine": 15,
            "suspension": 30,
        }
    )
    veto_outcomes: frozenset[str] = frozenset({"suspension"})  # level 不良 whatever the score
    # Lowest score of each level, highest first.
    bands: tuple[tuple[CreditLevel, int], ...] = (
        (CreditLevel.TRUSTWORTHY, 90),
        (CreditLevel.GOOD, 75),
        (CreditLevel.WARNING, 60),
        (CreditLevel.POOR, 0),
    )


DEFAULT_SCHEME = CreditScheme()


@dataclass(frozen=True)
class Deduction:
    kind: str  # warning | finding | case
    ref_id: int
    points: int
    reason: str  # on_time | late | open | outcome value | veto
    severity: str = ""


@dataclass(frozen=True)
class CreditRating:
    year: int
    level: CreditLevel
    score: int
    deductions: tuple[Deduction, ...]
    vetoed: bool = False


def _warning_deduction(w: WarningFact, scheme: CreditScheme, as_of: date) -> Deduction:
    base = scheme.warning_points.get(w.severity, 0)
    if w.closed_on is None:
        late = (as_of - w.raised_on).days > scheme.warning_on_time_days
        reason = "open" if late else "on_time"
    else:
        late = (w.closed_on - w.raised_on).days > scheme.warning_on_time_days
        reason = "late" if late else "on_time"
    return Deduction(
        "warning", w.id, base * (scheme.late_multiplier if late else 1), reason, w.severity
    )


def _finding_deduction(f: FindingFact, scheme: CreditScheme, as_of: date) -> Deduction:
    base = scheme.finding_points.get(f.severity, 0)
    if f.rectified_on is None:
        late = as_of > f.rectification_due
        reason = "open" if late else "on_time"
    else:
        late = f.rectified_on > f.rectification_due
        reason = "late" if late else "on_time"
    return Deduction(
        "finding", f.id, base * (scheme.late_multiplier if late else 1), reason, f.severity
    )


def level_of(score: int, scheme: CreditScheme = DEFAULT_SCHEME) -> CreditLevel:
    for level, lower in scheme.bands:
        if score >= lower:
            return level
    return CreditLevel.POOR


def credit_rating(
    *,
    year: int,
    warnings: Iterable[WarningFact],
    findings: Iterable[FindingFact],
    cases: Iterable[CaseFact],
    as_of: date,
    scheme: CreditScheme = DEFAULT_SCHEME,
) -> CreditRating:
    """Score = start − deductions (not below 0); level by band, or 不良 on a veto outcome.

    An open warning or finding counts as late once its time has passed at `as_of` (the end of
    the year, or today for the running year).
    """
    deductions = [_warning_deduction(w, scheme, as_of) for w in warnings]
    deductions += [_finding_deduction(f, scheme, as_of) for f in findings]
    vetoed = False
    for c in cases:
        deductions.append(Deduction("case", c.id, scheme.case_points.get(c.outcome, 0), c.outcome))
        vetoed = vetoed or c.outcome in scheme.veto_outcomes
    deductions = [d for d in deductions if d.points > 0]
    score = max(scheme.start - sum(d.points for d in deductions), 0)
    level = CreditLevel.POOR if vetoed else level_of(score, scheme)
    return CreditRating(year, level, score, tuple(deductions), vetoed)
