"""Annual assessment score of a department (区对部门“无废城市”考核), a configurable local scheme.

Seed 002 (《滨江区全域“无废城市”建设工作方案》, 保障措施（三）严格考核评价) puts the
implementation of the key tasks into the district performance management system and asks for
督办 of units whose tasks lag behind, but gives no formula. This module is the local scheme
documented in docs/assessment.md: 100 points in four parts plus deductions for follow-ups.

- completion (40): share of the department's tasks due by the end of the year that are done;
- timeliness (20): share of those done tasks finished on or before their deadline;
- reporting (20): share of expected quarterly progress reports that were filed;
- investment (20): share of the investment (万元) of the department's projects due to be
  completed in the year that belongs to completed projects;
- follow-ups: minus 2 points per 督办 raised in the year, minus 3 more per one still open at the
  time of scoring, at most 20 points in all.

A part with nothing to measure (no task due, no project due, no report expected) earns its full
points: a department is not punished for having no task in that part. The score is never below 0
and is rounded half up to two decimals.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Scheme:
    """Points of each part; a region may configure its own."""

    completion: Decimal = Decimal(40)
    timeliness: Decimal = Decimal(20)
    reporting: Decimal = Decimal(20)
    investment: Decimal = Decimal(20)
    per_followup_raised: Decimal = Decimal(2)
    per_followup_open: Decimal = Decimal(3)
    followup_cap: Decimal = Decimal(20)


DEFAULT_SCHEME = Scheme()


@dataclass(frozen=True)
class TaskFacts:
    deadline: date
    completed_on: date | None  # None while not done


@dataclass(frozen=True)
class ProjectFacts:
    investment_wan_yuan: Decimal
    completion_due: date  # last day of the planned completion month
    completed: bool


@dataclass(frozen=True)
class Breakdown:
    completion: Decimal
    timeliness: Decimal
    reporting: Decimal
    investment: Decimal
    deduction: Decimal
    score: Decimal

    def as_json(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in self.__dataclass_fields__}


def share_points(points: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """points × part / whole, full points when there is nothing to measure (whole is 0)."""
    if whole <= 0:
        return points
    return points * part / whole


def tasks_due(tasks: Iterable[TaskFacts], *, year: int) -> list[TaskFacts]:
    """Tasks whose deadline falls on or before 31 December of the year."""
    end = date(year, 12, 31)
    return [t for t in tasks if t.deadline <= end]


def completion_points(tasks: Iterable[TaskFacts], *, year: int, scheme: Scheme) -> Decimal:
    due = tasks_due(tasks, year=year)
    done = [t for t in due if t.completed_on is not None and t.completed_on <= date(year, 12, 31)]
    return share_points(scheme.completion, Decimal(len(done)), Decimal(len(due)))


def timeliness_points(tasks: Iterable[TaskFacts], *, year: int, scheme: Scheme) -> Decimal:
    end = date(year, 12, 31)
    done = [
        t
        for t in tasks_due(tasks, year=year)
        if t.completed_on is not None and t.completed_on <= end
    ]
    on_time = [t for t in done if t.completed_on is not None and t.completed_on <= t.deadline]
    return share_points(scheme.timeliness, Decimal(len(on_time)), Decimal(len(done)))


def reporting_points(*, filed_quarters: int, expected_quarters: int, scheme: Scheme) -> Decimal:
    """Quarterly reports filed (at most one counted per item and quarter) over those expected."""
    filed = min(filed_quarters, expected_quarters)
    return share_points(scheme.reporting, Decimal(filed), Decimal(expected_quarters))


def investment_points(projects: Iterable[ProjectFacts], *, year: int, scheme: Scheme) -> Decimal:
    end = date(year, 12, 31)
    due = [p for p in projects if p.completion_due <= end]
    whole = sum((p.investment_wan_yuan for p in due), Decimal(0))
    part = sum((p.investment_wan_yuan for p in due if p.completed), Decimal(0))
    if due and whole == 0:  # projects without an investment figure count one each
        return share_points(
            scheme.investment, Decimal(sum(p.completed for p in due)), Decimal(len(due))
        )
    return share_points(scheme.investment, part, whole)


def followup_deduction(*, raised: int, still_open: int, scheme: Scheme) -> Decimal:
    total = scheme.per_followup_raised * raised + scheme.per_followup_open * still_open
    return min(total, scheme.followup_cap)


def quarters_open(*, start: date, end: date | None, year: int) -> set[int]:
    """Quarters (1–4) of the year in which an item was open: begun on or before the quarter's
    last day and not finished before its first day."""
    found = set()
    for quarter in range(1, 5):
        first = date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        last = date(year, last_month, monthrange(year, last_month)[1])
        if start <= last and (end is None or end >= first):
            found.add(quarter)
    return found


def assessment_score(
    *,
    year: int,
    tasks: Iterable[TaskFacts],
    projects: Iterable[ProjectFacts],
    filed_quarters: int,
    expected_quarters: int,
    followups_raised: int,
    followups_open: int,
    scheme: Scheme = DEFAULT_SCHEME,
) -> Breakdown:
    """The department's score for the year, part by part."""
    task_list = list(tasks)
    parts = [
        completion_points(task_list, year=year, scheme=scheme),
        timeliness_points(task_list, year=year, scheme=scheme),
        reporting_points(
            filed_quarters=filed_quarters, expected_quarters=expected_quarters, scheme=scheme
        ),
        investment_points(projects, year=year, scheme=scheme),
    ]
    deduction = followup_deduction(
        raised=followups_raised, still_open=followups_open, scheme=scheme
    )
    rounded = [p.quantize(CENT, rounding=ROUND_HALF_UP) for p in parts]
    score = max(Decimal(0), sum(rounded, Decimal(0)) - deduction).quantize(CENT, ROUND_HALF_UP)
    return Breakdown(
        completion=rounded[0],
        timeliness=rounded[1],
        reporting=rounded[2],
        investment=rounded[3],
        deduction=deduction.quantize(CENT, ROUND_HALF_UP),
        score=score,
    )
