"""Risk grade points model against hand-computed values (docs/credit-rating.md)."""

from __future__ import annotations

import pytest

from wufei.domain.risk_grade import (
    Grade,
    RiskInputs,
    category_points,
    grade_of,
    inspection_due_in_month,
    quantity_points,
    risk_grade,
)

T = 1_000_000


def test_category_weights_sum_distinct_and_cap() -> None:
    # HW08 3 + HW49 2 + HW99 (unlisted) 1 = 6
    assert category_points(["HW08", "HW49", "HW08", "HW99"]) == (
        6,
        {"HW08": 3, "HW49": 2, "HW99": 1},
    )
    # HW01 4 + HW18 4 + HW29 4 = 12 → capped at 10
    assert category_points(["HW01", "HW18", "HW29"])[0] == 10


@pytest.mark.parametrize(
    ("grams", "points"),
    [(0, 0), (T - 1, 0), (T, 2), (10 * T - 1, 2), (10 * T, 4), (100 * T - 1, 4), (100 * T, 6)],
)
def test_quantity_bands(grams: int, points: int) -> None:
    assert quantity_points(grams) == points


@pytest.mark.parametrize(
    ("points", "grade"), [(0, "A"), (7, "A"), (8, "B"), (14, "B"), (15, "C"), (22, "C"), (23, "D")]
)
def test_grade_bounds(points: int, grade: str) -> None:
    assert grade_of(points) == grade


def test_low_risk_office_producer() -> None:
    # HW49 2 + 0.5 t → 0 = 2 → A
    g = risk_grade(RiskInputs(categories=frozenset({"HW49"}), annual_g=T // 2))
    assert (g.grade, g.points) == (Grade.A, 2)


def test_pcb_maker_with_history() -> None:
    # categories HW08 3 + HW17 3 + HW22 2 + HW49 2 = 10 (at cap)
    # 45 t → 4; storage 1 warning → 2; other warnings 2 → 2
    # findings 1 major (2) + 2 minor (1 each) = 4; cases 1 with a fine → 5
    # total 10 + 4 + 2 + 2 + 4 + 5 = 27 → D
    g = risk_grade(
        RiskInputs(
            categories=frozenset({"HW08", "HW17", "HW22", "HW49"}),
            annual_g=45 * T,
            storage_warnings=1,
            other_warnings=2,
            findings={"major": 1, "minor": 2},
            cases=1,
            cases_penalised=1,
        )
    )
    assert g.points == 27
    assert g.grade == Grade.D
    assert [f.points for f in g.factors] == [10, 4, 2, 2, 4, 5]


def test_caps_of_history_factors() -> None:
    # storage 5 × 2 = 10 → 6; warnings 9 → 5; findings 3 serious = 12 → 8; cases 2+2 = 6+10 → 10
    g = risk_grade(
        RiskInputs(
            storage_warnings=5,
            other_warnings=9,
            findings={"serious": 3},
            cases=4,
            cases_penalised=2,
        )
    )
    assert [f.points for f in g.factors] == [0, 0, 6, 5, 8, 10]
    assert (g.points, g.grade) == (29, Grade.D)


def test_hospital_medium() -> None:
    # HW01 4 + 12 t → 4 = 8 → B
    g = risk_grade(RiskInputs(categories=frozenset({"HW01"}), annual_g=12 * T))
    assert (g.points, g.grade) == (8, Grade.B)


def test_inspection_frequency() -> None:
    assert all(inspection_due_in_month(Grade.D, m) for m in range(1, 13))
    assert [m for m in range(1, 13) if inspection_due_in_month(Grade.C, m)] == [1, 3, 5, 7, 9, 11]
    assert [m for m in range(1, 13) if inspection_due_in_month(Grade.B, m)] == [1, 4, 7, 10]
    assert [m for m in range(1, 13) if inspection_due_in_month(Grade.A, m)] == [1, 7]
    assert [m for m in range(1, 13) if inspection_due_in_month(Grade.B, m, offset=4)] == [
        2,
        5,
        8,
        11,
    ]
    with pytest.raises(ValueError):
        inspection_due_in_month(Grade.A, 13)
