"""Risk grade of a hazardous-waste producer (风险分级): a points model, documented in
docs/credit-rating.md.

The district plan (seed 002) asks "对危险废物产生单位，按照危险废物种类、产生量，实施风险分级
管理"; this module turns that into four grades from what the platform knows: the categories a unit
holds, its annual quantity, its storage practice and its history over the last three years.
It is a local, configurable scheme — not a national standard. Every factor is returned with
its points so that a page can explain the grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

TONNE_G = 1_000_000

# Weight of each hazardous category (国家危险废物名录 2021 类别). Higher = more harm if it escapes:
# infectious (HW01), persistent toxic or highly toxic (HW10 PCBs, HW18 incineration residues,
# HW29 mercury, HW33 cyanide), flammable solvents and oils (HW06, HW08), reactive or corrosive
# (HW17 surface treatment, HW34 acids, HW35 alkalis), heavy metals (HW21–HW31, HW46–HW48).
# Categories not listed weigh DEFAULT_CATEGORY_WEIGHT.
CATEGORY_WEIGHTS: Mapping[str, int] = {
    "HW01": 4,
    "HW02": 3,
    "HW03": 3,
    "HW04": 3,
    "HW06": 3,
    "HW08": 3,
    "HW10": 4,
    "HW11": 3,
    "HW12": 2,
    "HW13": 2,
    "HW17": 3,
    "HW18": 4,
    "HW21": 3,
    "HW22": 2,
    "HW23": 2,
    "HW29": 4,
    "HW31": 3,
    "HW33": 4,
    "HW34": 2,
    "HW35": 2,
    "HW36": 3,
    "HW46": 3,
    "HW49": 2,
    "HW50": 2,
}
DEFAULT_CATEGORY_WEIGHT = 1
CATEGORY_CAP = 10

# Annual quantity bands, aligned with HJ 1259-2022 4.2.1 (10 t and 100 t) plus 1 t: (lower
# bound in grams, points), highest first.
QUANTITY_BANDS: tuple[tuple[int, int], ...] = (
    (100 * TONNE_G, 6),
    (10 * TONNE_G, 4),
    (1 * TONNE_G, 2),
    (0, 0),
)

STORAGE_POINTS_EACH, STORAGE_CAP = 2, 6  # warnings about overdue or over-capacity storage
WARNING_POINTS_EACH, WARNING_CAP = 1, 5  # other warnings, last three years
FINDING_POINTS: Mapping[str, int] = {"minor": 1, "major": 2, "serious": 4}
FINDING_CAP = 8
CASE_POINTS_EACH, CASE_PENALISED_POINTS, CASE_CAP = 3, 5, 10  # penalised: fine or suspension

# Lowest points of each grade, highest first.
GRADE_BOUNDS: tuple[tuple[str, int], ...] = (("D", 23), ("C", 15), ("B", 8), ("A", 0))


class Grade(StrEnum):
    A = "A"  # 低风险
    B = "B"  # 一般风险
    C = "C"  # 较高风险
    D = "D"  # 高风险


@dataclass(frozen=True)
class RiskInputs:
    categories: frozenset[str] = frozenset()
    annual_g: int = 0
    storage_warnings: int = 0
    other_warnings: int = 0
    findings: Mapping[str, int] = field(default_factory=dict)  # severity -> count
    cases: int = 0
    cases_penalised: int = 0


@dataclass(frozen=True)
class RiskFactor:
    code: str  # categories | quantity | storage | warnings | findings | cases
    points: int
    detail: Mapping[str, str | int]


@dataclass(frozen=True)
class RiskGrade:
    grade: Grade
    points: int
    factors: tuple[RiskFactor, ...]


def category_points(categories: Iterable[str]) -> tuple[int, dict[str, int]]:
    """Sum of the weights of the distinct categories held, capped; with each weight."""
    weights = {c: CATEGORY_WEIGHTS.get(c, DEFAULT_CATEGORY_WEIGHT) for c in sorted(set(categories))}
    return min(sum(weights.values()), CATEGORY_CAP), weights


def quantity_points(annual_g: int) -> int:
    for lower, points in QUANTITY_BANDS:
        if annual_g >= lower:
            return points
    return 0


def grade_of(points: int) -> Grade:
    for grade, lower in GRADE_BOUNDS:
        if points >= lower:
            return Grade(grade)
    return Grade.A


def risk_grade(inputs: RiskInputs) -> RiskGrade:
    """The grade, its points and each contributing factor."""
    cat_points, weights = category_points(inputs.categories)
    finding_raw = sum(FINDING_POINTS.get(s, 1) * n for s, n in inputs.findings.items())
    case_raw = (
        CASE_POINTS_EACH * (inputs.cases - inputs.cases_penalised)
        + CASE_PENALISED_POINTS * inputs.cases_penalised
    )
    factors = (
        RiskFactor(
            "categories",
            cat_points,
            {"categories": " ".join(f"{c}×{w}" for c, w in weights.items()), "cap": CATEGORY_CAP},
        ),
        RiskFactor(
            "quantity",
            quantity_points(inputs.annual_g),
            {"tonnes": f"{inputs.annual_g / TONNE_G:.3f}"},
        ),
        RiskFactor(
            "storage",
            min(STORAGE_POINTS_EACH * inputs.storage_warnings, STORAGE_CAP),
            {"count": inputs.storage_warnings},
        ),
        RiskFactor(
            "warnings",
            min(WARNING_POINTS_EACH * inputs.other_warnings, WARNING_CAP),
            {"count": inputs.other_warnings},
        ),
        RiskFactor(
            "findings",
            min(finding_raw, FINDING_CAP),
            {"count": sum(inputs.findings.values())},
        ),
        RiskFactor(
            "cases",
            min(case_raw, CASE_CAP),
            {"count": inputs.cases, "penalised": inputs.cases_penalised},
        ),
    )
    total = sum(f.points for f in factors)
    return RiskGrade(grade_of(total), total, factors)


# Inspection frequency by grade (巡查频次): months between routine visits. High risk monthly,
# higher risk every two months, ordinary quarterly, low risk twice a year.
INSPECTION_INTERVAL_MONTHS: Mapping[Grade, int] = {
    Grade.D: 1,
    Grade.C: 2,
    Grade.B: 3,
    Grade.A: 6,
}


def inspection_due_in_month(grade: Grade, month: int, *, offset: int = 0) -> bool:
    """Whether a unit of `grade` is due a routine visit in `month` (1–12).

    `offset` (e.g. the unit's id) staggers units of one grade over the interval so that a
    grid's quarterly units are not all visited in January.
    """
    if not 1 <= month <= 12:
        raise ValueError("month must be 1–12")
    interval = INSPECTION_INTERVAL_MONTHS[grade]
    return (month - 1 - offset) % interval == 0
