"""督办: follow-up of tasks and projects past their deadline.

Seed 002, 保障措施（三）严格考核评价: "对工作任务进度滞后的责任单位进行督办". The sweep raises one
open follow-up per overdue item (a partial unique constraint forbids a second) and resolves open
ones whose item is done, so running it any number of times gives the same state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wufei.core.audit import audit_append
from wufei.plans.models import FollowUp, Plan, Project, Task, WorkStatus
from wufei.plans.schedule import project_due_on

REPLY_DAYS = 10  # local choice: the responsible unit answers a 督办 within ten days


@dataclass(frozen=True)
class FollowUpResult:
    raised: int
    resolved: int


def _raise(
    *, today: date, reason: str, task: Task | None = None, project: Project | None = None
) -> None:
    followup = FollowUp.objects.create(
        task=task,
        project=project,
        raised_on=today,
        reason=reason,
        due_on=today + timedelta(days=REPLY_DAYS),
    )
    audit_append(
        actor=None,
        organisation=None,
        action="plans.followup_raise",
        subject_type="plans.followup",
        subject_id=str(followup.pk),
        payload={"task": task.pk if task else None, "project": project.pk if project else None},
    )


def followups_raise(*, today: date, plans: Iterable[Plan] | None = None) -> FollowUpResult:
    """Raise a 督办 for every overdue task and project without an open one; resolve open ones
    whose item is done. Idempotent. `plans` narrows the sweep (the demo sweeps only its own)."""
    raised = resolved = 0
    tasks, projects, followups = Task.objects.all(), Project.objects.all(), FollowUp.objects.all()
    if plans is not None:
        plan_ids = [plan.pk for plan in plans]
        tasks = tasks.filter(plan_id__in=plan_ids)
        projects = projects.filter(plan_id__in=plan_ids)
        followups = followups.filter(
            Q(task__plan_id__in=plan_ids) | Q(project__plan_id__in=plan_ids)
        )
    with transaction.atomic():
        for followup in followups.filter(resolved_on__isnull=True).filter(
            Q(task__status=WorkStatus.DONE) | Q(project__status=WorkStatus.DONE)
        ):
            followup.resolved_on = today
            followup.save(update_fields=["resolved_on"])
            audit_append(
                actor=None,
                organisation=None,
                action="plans.followup_resolve",
                subject_type="plans.followup",
                subject_id=str(followup.pk),
                payload={"resolved_on": today},
            )
            resolved += 1
        open_tasks = FollowUp.objects.filter(resolved_on__isnull=True, task__isnull=False)
        for task in (
            tasks.exclude(status=WorkStatus.DONE)
            .filter(deadline__lt=today)
            .exclude(pk__in=open_tasks.values("task_id"))
        ):
            _raise(
                today=today,
                task=task,
                reason=f"任务{task.number}超过完成时限（{task.deadline}）未完成",
            )
            raised += 1
        open_projects = FollowUp.objects.filter(resolved_on__isnull=True, project__isnull=False)
        candidates = projects.exclude(status=WorkStatus.DONE).exclude(
            pk__in=open_projects.values("project_id")
        )
        for project in candidates.filter(completion_month__lt=today):
            due = project_due_on(project)
            if due < today:
                _raise(
                    today=today,
                    project=project,
                    reason=f"项目{project.number}超过拟建成时间（{due:%Y-%m}）未建成",
                )
                raised += 1
    return FollowUpResult(raised=raised, resolved=resolved)


def plans_followups_hook(*, now: datetime | None = None) -> FollowUpResult:
    """For the lead to call from the periodic alerts sweep (or beat): today's follow-ups."""
    return followups_raise(today=timezone.localdate(now) if now else timezone.localdate())
