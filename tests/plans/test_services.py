"""Who may report progress, and the assessment against hand-computed values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model
from django.db.models.signals import pre_save

from tests.plans.world import World, build_world
from tests.registry.factories import make_regulator
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import NotFound, NotPermitted, ValidationFailed
from wufei.plans.followups import followups_raise
from wufei.plans.models import Assessment, Project, System, Task, WorkStatus
from wufei.plans.scoring import assessment_compute
from wufei.plans.services import plan_create, progress_report_add, project_create, task_create
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


def _add_task(w: World) -> Any:
    return task_create(
        actor=w.regulator,
        plan=w.plan,
        system=System.MARKET,
        number="20.4",
        title="设立专项资金",
        lead_department=w.dev,
        deadline=date(2025, 12, 31),
    )


def _add_project(w: World) -> Any:
    return project_create(
        actor=w.regulator,
        plan=w.plan,
        number="2",
        name="建筑垃圾资源化利用中心",
        start_month=date(2025, 3, 1),
        completion_month=date(2026, 6, 1),
    )


@pytest.mark.parametrize(
    ("model", "add"), [(Task, _add_task), (Project, _add_project)], ids=["task", "project"]
)
def test_a_number_stored_by_a_simultaneous_submit_is_refused_clearly(
    model: type[Model], add: Callable[[World], Any]
):
    """Two managers submit the same number at once: the one whose row lands second is told the
    number is taken (shown on the form), not given a server error."""
    w = build_world()

    def other_submit_lands_first(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        # after this submit's duplicate check, just before its insert
        if instance.pk is None:
            fields = [f for f in sender._meta.concrete_fields if not f.primary_key]
            copy = sender(**{f.attname: getattr(instance, f.attname) for f in fields})
            sender._default_manager.bulk_create([copy])  # sends no signal

    audited = AuditEvent.objects.count()
    pre_save.connect(other_submit_lands_first, sender=model)
    try:
        with pytest.raises(ValidationFailed) as refused:
            add(w)
    finally:
        pre_save.disconnect(other_submit_lands_first, sender=model)
    assert refused.value.field == "number"
    assert refused.value.message == "该序号在本方案中已被使用。"
    assert AuditEvent.objects.count() == audited  # the refused submit recorded nothing
