"""Annual assessment of the departments of a region, by the scheme in wufei/domain/assessment.py
(docs/assessment.md). Recomputing replaces the year's scores."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wufei.accounts.models import User
from wufei.core.audit import audit_append
from wufei.domain.assessment import (
    DEFAULT_SCHEME,
    ProjectFacts,
    Scheme,
    TaskFacts,
    assessment_score,
    quarters_open,
)
from wufei.plans.models import Assessment, Department, FollowUp, Project, Task, WorkStatus
from wufei.plans.schedule import project_due_on
from wufei.plans.services import _require_region_manager
from wufei.registry.models import Region


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _reporting(items: list[Task | Project], *, year: int, today: date) -> tuple[int, int]:
    """(filed, expected) quarterly reports; quarters not yet begun on `today` are not expected."""
    begun = {q for q in range(1, 5) if date(year, 3 * q - 2, 1) <= today}
    filed = expected = 0
    for item in items:
        plan_start = date(item.plan.start_year, 1, 1)
        start = plan_start if isinstance(item, Task) else max(plan_start, item.start_month)
        open_quarters = quarters_open(start=start, end=item.completed_on, year=year) & begun
        reported = {
            _quarter(d)
            for d in item.reports.filter(reported_on__year=year).values_list(
                "reported_on", flat=True
            )
        }
        expected += len(open_quarters)
        filed += len(open_quarters & reported)
    return filed, expected


def department_breakdown(
    *, department: Department, year: int, today: date, scheme: Scheme = DEFAULT_SCHEME
) -> dict[str, str]:
    end = date(year, 12, 31)
    tasks = list(Task.objects.filter(lead_department=department).select_related("plan"))
    projects = list(
        Project.objects.filter(responsible_department=department).select_related("plan")
    )
    followups = FollowUp.objects.filter(
        Q(task__lead_department=department) | Q(project__responsible_department=department)
    )
    filed, expected = _reporting([*tasks, *projects], year=year, today=today)
    breakdown = assessment_score(
        year=year,
        tasks=[
            TaskFacts(
                deadline=t.deadline,
                completed_on=t.completed_on if t.status == WorkStatus.DONE else None,
            )
            for t in tasks
        ],
        projects=[
            ProjectFacts(
                investment_wan_yuan=p.investment_wan_yuan,
                completion_due=project_due_on(p),
                completed=p.status == WorkStatus.DONE
                and p.completed_on is not None
                and p.completed_on <= end,
            )
            for p in projects
        ],
        filed_quarters=filed,
        expected_quarters=expected,
        followups_raised=followups.filter(raised_on__year=year).count(),
        followups_open=followups.filter(raised_on__lte=end, resolved_on__isnull=True).count(),
        scheme=scheme,
    )
    facts = breakdown.as_json()
    facts.update(
        {
            "tasks": str(len(tasks)),
            "projects": str(len(projects)),
            "reports_filed": str(filed),
            "reports_expected": str(expected),
        }
    )
    return facts


def assessment_compute(
    *, region: Region, year: int, actor: User | None = None, today: date | None = None
) -> list[Assessment]:
    """Score every department of the region that leads a task or is responsible for a project."""
    _require_region_manager(actor, region)
    today = today or timezone.localdate()
    departments = (
        Department.objects.filter(region=region)
        .filter(Q(led_tasks__isnull=False) | Q(projects__isnull=False))
        .distinct()
    )
    results = []
    with transaction.atomic():
        for department in departments:
            breakdown = department_breakdown(department=department, year=year, today=today)
            assessment, _created = Assessment.objects.update_or_create(
                department=department,
                year=year,
                defaults={
                    "score": breakdown["score"],
                    "breakdown": breakdown,
                    "computed_at": timezone.now(),
                },
            )
            audit_append(
                actor=actor,
                organisation=None,
                action="plans.assessment_compute",
                subject_type="plans.assessment",
                subject_id=str(assessment.pk),
                payload={"year": year, "score": breakdown["score"]},
            )
            results.append(assessment)
    return results
