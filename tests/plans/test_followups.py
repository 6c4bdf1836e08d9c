"""An overdue task raises its follow-up (督办), once; done resolves it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from tests.plans.world import build_world
from wufei.plans.followups import followups_raise
from wufei.plans.models import FollowUp, WorkStatus
from wufei.plans.services import progress_report_add

pytestmark = pytest.mark.django_db


def test_an_overdue_task_raises_exactly_one_followup_across_runs():
    w = build_world()
    first = followups_raise(today=date(2024, 7, 1))
    # the task (deadline 2024-06-30) is overdue; the project is due end of 2024-09
    assert (first.raised, first.resolved) == (1, 0)
    assert followups_raise(today=date(2024, 7, 2)).raised == 0
    call_command("raise_followups", "--today", "2024-07-03", verbosity=0)
    open_ = FollowUp.objects.filter(resolved_on__isnull=True)
    assert [f.task for f in open_] == [w.overdue_task]
    f = open_.get()
    assert f.raised_by is None and f.raised_on == date(2024, 7, 1) and f.due_on == date(2024, 7, 11)
    assert "21.1" in f.reason


def test_the_project_is_followed_up_after_its_completion_month():
    w = build_world()
    assert followups_raise(today=date(2024, 9, 30)).raised == 1  # only the task
    assert followups_raise(today=date(2024, 10, 1)).raised == 1  # now the project
    assert FollowUp.objects.get(project=w.project).resolved_on is None


def test_a_done_task_resolves_its_followup_and_is_not_raised_again():
    w = build_world()
    followups_raise(today=date(2024, 7, 1))
    progress_report_add(
        actor=w.eco_user,
        task=w.overdue_task,
        reported_on=date(2024, 7, 5),
        percent=100,
        text="完成",
    )
    w.overdue_task.refresh_from_db()
    assert w.overdue_task.status == WorkStatus.DONE
    assert FollowUp.objects.get(task=w.overdue_task).resolved_on == date(2024, 7, 5)
    assert followups_raise(today=date(2024, 7, 6)).raised == 0


def test_the_sweep_resolves_a_followup_whose_task_was_marked_done_elsewhere():
    w = build_world()
    followups_raise(today=date(2024, 7, 1))
    w.overdue_task.status = WorkStatus.DONE
    w.overdue_task.save()
    assert followups_raise(today=date(2024, 7, 8)).resolved == 1
    assert FollowUp.objects.get(task=w.overdue_task).resolved_on == date(2024, 7, 8)


def test_the_database_refuses_a_second_open_followup():
    w = build_world()
    followups_raise(today=date(2024, 7, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(
            task=w.overdue_task, raised_on=date(2024, 7, 2), reason="x", due_on=date(2024, 7, 9)
        )
