"""The demo district's plans: the shipped plan with （演示） progress, the illustrative plan with
its projects, one open 督办; seeding twice gives the same, the demo's reset removes them, and the
demo's sweep leaves other plans alone."""

from __future__ import annotations

from datetime import date

import pytest

from tests.plans.world import build_world
from wufei.demo.year_supervision import demo_supervision_clear
from wufei.plans.demo import DEMO_PLAN, plans_demo_year_seed
from wufei.plans.followups import followups_raise
from wufei.plans.loading import PLAN_NAME
from wufei.plans.models import FollowUp, Plan, ProgressReport, WorkStatus

pytestmark = pytest.mark.django_db


def state() -> list[object]:
    return [
        sorted(Plan.objects.values_list("name", "is_demo")),
        sorted(ProgressReport.objects.values_list("reported_on", "percent", "text")),
        sorted(FollowUp.objects.values_list("reason", "raised_on")),
    ]


def test_the_demo_seeds_both_plans_with_one_open_followup():
    result = plans_demo_year_seed(year=2024)
    assert (result.plans, result.tasks, result.projects, result.followups_raised) == (2, 16, 2, 1)
    shipped = Plan.objects.get(name=PLAN_NAME)
    demo = Plan.objects.get(name=DEMO_PLAN)
    assert not shipped.is_demo and demo.is_demo
    reports = ProgressReport.objects.filter(task__plan=shipped)
    assert reports.count() >= 3 and all(r.text.startswith("（演示）") for r in reports)
    assert not shipped.tasks.filter(status=WorkStatus.DONE).exists()  # due end of 2026
    (followup,) = FollowUp.objects.all()
    assert followup.task is not None and followup.task.plan == demo
    assert followup.task.number == "D4" and followup.resolved_on is None
    assert demo.projects.get(number="1").status == WorkStatus.DONE
    first = state()
    assert result == plans_demo_year_seed(year=2024)
    assert state() == first


def test_the_demo_reset_removes_its_plans_only():
    w = build_world()
    plans_demo_year_seed(year=2024)
    assert not FollowUp.objects.filter(task=w.overdue_task).exists()  # not the demo's to sweep
    assert followups_raise(today=date(2024, 12, 31)).raised == 2  # the world's own overdue items
    demo_supervision_clear(organisation_ids=[], user_ids=[])
    assert list(Plan.objects.values_list("name", flat=True)) == [w.plan.name]
    assert FollowUp.objects.filter(task=w.overdue_task).exists()
