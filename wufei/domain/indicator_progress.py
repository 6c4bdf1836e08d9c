"""How far an indicator is from its target, and how it moved: plain functions on Decimals.

Target kinds (as the plans print them): `at_least` (“98以上”, “≥”), `at_most` (“≤”), `reach`
(a bare number: compare in the indicator's direction), `cumulative` (〔 〕: a five-year
cumulative figure, compared like `reach`), `below_baseline` (“比‘十三五’下降”: below the
baseline value) and `text` (“完成国家下达目标”: nothing to compute).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

TARGET_KINDS = ("at_least", "at_most", "reach", "cumulative", "below_baseline", "text")
DIRECTIONS = ("up", "down", "none")


@dataclass(frozen=True)
class Distance:
    remaining: Decimal  # how much is still to go, in the indicator's unit; 0 once achieved
    achieved: bool


def distance_to_target(
    *,
    value: Decimal | None,
    target: Decimal | None,
    kind: str,
    direction: str,
    baseline: Decimal | None = None,
) -> Distance | None:
    """Distance from `value` to the target, or None when there is nothing to compare."""
    if value is None or kind == "text":
        return None
    if kind == "below_baseline":
        if baseline is None:
            return None
        gap = value - baseline
        return Distance(remaining=max(gap, Decimal(0)), achieved=gap < 0)
    if target is None:
        return None
    upwards = kind == "at_least" or (kind in ("reach", "cumulative") and direction != "down")
    gap = target - value if upwards else value - target
    return Distance(remaining=max(gap, Decimal(0)), achieved=gap <= 0)


def year_on_year(previous: Decimal | None, current: Decimal | None) -> Decimal | None:
    """current − previous in the indicator's unit (percentage points for rates)."""
    if previous is None or current is None:
        return None
    return current - previous


def cagr_percent(first: Decimal, last: Decimal, years: int) -> Decimal | None:
    """Compound annual growth rate in %, 2 decimals; only for positive quantities over ≥1 year.

    Meaningless for rates in % (use year_on_year there) — the caller decides by unit.
    """
    if years < 1 or first <= 0 or last <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        growth = (last / first) ** (Decimal(1) / Decimal(years)) - 1
    return (growth * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def sparkline_points(
    values: Sequence[Decimal | None], *, width: int = 120, height: int = 28
) -> list[tuple[int, int] | None]:
    """SVG coordinates for a sparkline; None where a year is missing (the line breaks there)."""
    known = [v for v in values if v is not None]
    if not known:
        return [None for _ in values]
    low, high = min(known), max(known)
    span = high - low or Decimal(1)
    step = width / max(len(values) - 1, 1)
    points: list[tuple[int, int] | None] = []
    for i, v in enumerate(values):
        if v is None:
            points.append(None)
            continue
        y = height - 2 - int((v - low) / span * (height - 4))
        points.append((round(i * step), y))
    return points


def printed_number(text: str) -> Decimal | None:
    """The number in a plan's printed cell: "〔23〕" → 23, "98以上" → 98, "1.5" → 1.5.

    None for cells without an exact number: "—", "完成国家下达目标", approximations ("近90%").
    """
    cell = text.strip()
    if cell.startswith("近") or cell.startswith("约"):
        return None
    for mark in ("〔", "〕", "以上", "以下", "≥", "≤", "%"):
        cell = cell.replace(mark, "")
    try:
        number = Decimal(cell.strip())
    except ArithmeticError:
        return None
    return number if number.is_finite() else None
