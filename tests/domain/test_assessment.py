"""The local assessment scheme, against values worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from wufei.domain.assessment import (
    DEFAULT_SCHEME,
    ProjectFacts,
    TaskFacts,
    assessment_score,
    followup_deduction,
    investment_points,
    quarters_open,
    reporting_points,
)

S = DEFAULT_SCHEME


def test_a_department_with_nothing_to_measure_scores_full_marks():
    b = assessment_score(
        year=2024,
        tasks=[],
        projects=[],
        filed_quarters=0,
        expected_quarters=0,
        followups_raised=0,
        followups_open=0,
    )
    assert b.score == Decimal("100.00")


def test_worked_example():
    # 3 tasks due in 2024: one done on time, one done late, one not done; one due in 2025.
    tasks = [
        TaskFacts(deadline=date(2024, 6, 30), completed_on=date(2024, 6, 1)),
        TaskFacts(deadline=date(2024, 6, 30), completed_on=date(2024, 9, 1)),
        TaskFacts(deadline=date(2024, 12, 31), completed_on=None),
        TaskFacts(deadline=date(2025, 12, 31), completed_on=None),
    ]
    # completion 40 × 2/3 = 26.666… → 26.67; timeliness 20 × 1/2 = 10.00
    # reporting 20 × 5/8 = 12.50
    # investment: due 300 + 100 万元, 300 done → 20 × 300/400 = 15.00; the 2025 one is ignored
    projects = [
        ProjectFacts(Decimal("300"), date(2024, 10, 31), True),
        ProjectFacts(Decimal("100"), date(2024, 12, 31), False),
        ProjectFacts(Decimal("999"), date(2025, 3, 31), False),
    ]
    # deduction 2 × 2 raised + 3 × 1 open = 7
    b = assessment_score(
        year=2024,
        tasks=tasks,
        projects=projects,
        filed_quarters=5,
        expected_quarters=8,
        followups_raised=2,
        followups_open=1,
    )
    assert (b.completion, b.timeliness, b.reporting, b.investment, b.deduction) == (
        Decimal("26.67"),
        Decimal("10.00"),
        Decimal("12.50"),
        Decimal("15.00"),
        Decimal("7.00"),
    )
    assert b.score == Decimal("57.17")  # 26.67 + 10 + 12.5 + 15 − 7
    assert b.as_json()["score"] == "57.17"


def test_deductions_are_capped_and_the_score_is_never_negative():
    assert followup_deduction(raised=10, still_open=10, scheme=S) == Decimal(20)
    b = assessment_score(
        year=2024,
        tasks=[TaskFacts(deadline=date(2024, 1, 31), completed_on=None)],
        projects=[ProjectFacts(Decimal("50"), date(2024, 5, 31), False)],
        filed_quarters=0,
        expected_quarters=4,
        followups_raised=9,
        followups_open=9,
    )
    # 0 completion, 20 timeliness (nothing done to judge), 0 reporting, 0 investment, −20
    assert b.score == Decimal("0.00")


def test_reporting_counts_no_more_than_expected():
    assert reporting_points(filed_quarters=6, expected_quarters=4, scheme=S) == Decimal(20)


def test_projects_without_investment_count_one_each():
    projects = [
        ProjectFacts(Decimal(0), date(2024, 1, 31), True),
        ProjectFacts(Decimal(0), date(2024, 2, 29), False),
    ]
    assert investment_points(projects, year=2024, scheme=S) == Decimal(10)


def test_quarters_open():
    assert quarters_open(start=date(2023, 5, 1), end=None, year=2024) == {1, 2, 3, 4}
    assert quarters_open(start=date(2024, 5, 1), end=date(2024, 7, 1), year=2024) == {2, 3}
    assert quarters_open(start=date(2024, 3, 31), end=date(2024, 3, 31), year=2024) == {1}
    assert quarters_open(start=date(2025, 1, 1), end=None, year=2024) == set()
