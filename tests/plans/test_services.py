"""Who may report progress, and the assessment against hand-computed values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.plans.world import build_world
from tests.registry.factories import make_regulator
from wufei.core.errors import NotFound, NotPermitted, ValidationFailed
from wufei.plans.followups import followups_raise
from wufei.plans.models import Assessment, WorkStatus
from wufei.plans.scoring import assessment_compute
from wufei.plans.services import plan_create, progress_report_add
from wufei.registry.regions import region_resolve

pytestmark = pytest.mark.django_db


def test_lead_and_assisting_members_report_others_may_not():
    w = build_world()
    progress_report_add(
        actor=w.dev_user,
        task=w.overdue_task,
        reported_on=date(2024, 3, 1),
        percent=30,
        text="assisting",
    )
    w.overdue_task.refresh_from_db()
    assert w.overdue_task.status == WorkStatus.IN_PROGRESS
    progress_report_add(
        actor=w.regulator,
        task=w.overdue_task,
        reported_on=date(2024, 3, 2),
        percent=40,
        text="regulator",
    )
    # dev leads 18.1 but eco neither leads nor assists it: visible, not permitted
    with pytest.raises(NotPermitted):
        progress_report_add(
            actor=w.eco_user, task=w.future_task, reported_on=date(2024, 3, 1), percent=10, text="x"
        )
    for outsider in (w.stranger, w.other_user, make_regulator("reg_xihu", "330106")):
        with pytest.raises(NotFound):
            progress_report_add(
                actor=outsider,
                task=w.overdue_task,
                reported_on=date(2024, 3, 1),
                percent=10,
                text="x",
            )
    with pytest.raises(ValidationFailed):
        progress_report_add(
            actor=w.eco_user,
            task=w.overdue_task,
            reported_on=date(2024, 3, 1),
            percent=101,
            text="x",
        )


def test_only_the_regions_regulators_create_plans():
    w = build_world()
    with pytest.raises(NotPermitted):
        plan_create(
            actor=w.eco_user,
            region=region_resolve("330108"),
            name="x",
            start_year=2024,
            end_year=2024,
        )


def test_assessment_against_hand_computed_values():
    w = build_world()
    # eco leads 21.1 (due 2024-06-30), done late on 2024-07-05, reports in Q1 and Q3;
    # eco is responsible for the project (300 万元, due 2024-09), not done.
    progress_report_add(
        actor=w.eco_user, task=w.overdue_task, reported_on=date(2024, 2, 1), percent=20, text="q1"
    )
    followups_raise(today=date(2024, 7, 1))  # 督办 on the task
    progress_report_add(
        actor=w.eco_user,
        task=w.overdue_task,
        reported_on=date(2024, 7, 5),
        percent=100,
        text="q3 done",
    )
    followups_raise(today=date(2024, 10, 1))  # 督办 on the project, still open
    assessment_compute(
        region=region_resolve("330108"), year=2024, actor=w.regulator, today=date(2025, 1, 15)
    )
    eco = Assessment.objects.get(department=w.eco, year=2024)
    # completion 40 (1/1 due done); timeliness 0 (late); reporting: task open Q1–Q3 (done in Q3),
    # project open Q1–Q4 → expected 7, filed Q1+Q3 = 2 → 20 × 2/7 = 5.71; investment 0/300 → 0;
    # deduction 2 raised × 2 + 1 open × 3 = 7 → 40 + 0 + 5.71 + 0 − 7 = 38.71
    assert eco.breakdown["completion"] == "40.00"
    assert eco.breakdown["timeliness"] == "0.00"
    assert eco.breakdown["reporting"] == "5.71"
    assert eco.breakdown["investment"] == "0.00"
    assert eco.breakdown["deduction"] == "7.00"
    assert eco.score == Decimal("38.71")
    # dev leads 18.1 due 2026: nothing due → 40 + 20; reporting: open Q1–Q4, none filed → 0;
    # no project → 20; no follow-up → 80
    assert Assessment.objects.get(department=w.dev, year=2024).score == Decimal("80.00")
    # recomputing replaces, never duplicates
    assessment_compute(region=region_resolve("330108"), year=2024, today=date(2025, 1, 15))
    assert Assessment.objects.filter(year=2024).count() == 2


def test_assessment_is_for_the_regions_managers():
    w = build_world()
    with pytest.raises(NotPermitted):
        assessment_compute(region=region_resolve("330108"), year=2024, actor=w.eco_user)
