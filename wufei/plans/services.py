"""Writes of the plans app: departments, plans, tasks, projects, progress and scores.

Every write runs in a transaction and appends to the audit chain. `actor=None` means the system
(loaders, the follow-up sweep); a user actor is checked through its Viewer. Follow-ups (督办)
and the assessment are in `wufei.plans.followups` and `wufei.plans.scoring`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import viewer_for
from wufei.core.audit import audit_append
from wufei.core.errors import NotPermitted, ValidationFailed
from wufei.plans import selectors
from wufei.plans.models import (
    Department,
    DepartmentMember,
    FollowUp,
    Plan,
    ProgressReport,
    Project,
    System,
    Task,
    WorkStatus,
)
from wufei.registry.models import Organisation, Region


def _audit(actor: User | None, action: str, subject: Any, payload: dict[str, Any]) -> None:
    audit_append(
        actor=actor,
        organisation=None,
        action=f"plans.{action}",
        subject_type=f"plans.{type(subject).__name__.lower()}",
        subject_id=str(subject.pk),
        payload=payload,
    )


def _require_region_manager(actor: User | None, region: Region) -> None:
    if actor is None:
        return
    viewer = viewer_for(actor)
    if not (viewer.is_admin or viewer.regulates(region.prefix)):
        raise NotPermitted(_("Only the region's regulators and administrators manage plans."))


def _require_plan_departments(
    plan: Plan, departments: Iterable[Department | None], *, field: str
) -> None:
    """A plan's units are departments of its region: another region's would report on it."""
    if any(d is not None and d.region_id != plan.region_id for d in departments):
        raise ValidationFailed(_("This department is not of the plan's region."), field=field)


NumberedT = TypeVar("NumberedT", Task, Project)


def _numbered_create(
    model: type[NumberedT], *, plan: Plan, number: str, **fields: Any
) -> NumberedT:
    """Insert a task or project under its number in the plan, or refuse a number in use with
    the same clear error whether the early check sees it or the unique constraint does (two
    submits racing past the check). Call inside the caller's transaction."""
    used = ValidationFailed(_("This number is already used in the plan."), field="number")
    if model.objects.filter(plan=plan, number=number).exists():
        raise used
    try:
        with transaction.atomic():
            return model.objects.create(plan=plan, number=number, **fields)
    except IntegrityError:  # the same number submitted at the same time was stored first
        raise used from None


def department_create(
    *, actor: User | None, region: Region, name: str, organisation: Organisation | None = None
) -> Department:
    _require_region_manager(actor, region)
    with transaction.atomic():
        department, _created = Department.objects.get_or_create(
            region=region, name=name.strip(), defaults={"organisation": organisation}
        )
        _audit(actor, "department_create", department, {"name": department.name})
    return department


def department_member_add(*, actor: User | None, department: Department, user: User) -> None:
    _require_region_manager(actor, department.region)
    with transaction.atomic():
        member, _created = DepartmentMember.objects.get_or_create(user=user, department=department)
        _audit(actor, "department_member_add", member, {"user": user.pk})


def plan_create(
    *,
    actor: User | None,
    region: Region,
    name: str,
    start_year: int,
    end_year: int,
    source: str = "",
    is_demo: bool = False,
) -> Plan:
    _require_region_manager(actor, region)
    if end_year < start_year:
        raise ValidationFailed(_("The last year comes before the first."), field="end_year")
    with transaction.atomic():
        plan = Plan.objects.create(
            region=region,
            name=name,
            start_year=start_year,
            end_year=end_year,
            source=source,
            is_demo=is_demo,
        )
        _audit(actor, "plan_create", plan, {"name": name, "region": region.code})
    return plan


def task_create(
    *,
    actor: User | None,
    plan: Plan,
    system: str,
    number: str,
    title: str,
    lead_department: Department,
    deadline: date,
    content: str = "",
    targets: str = "",
    assisting_departments: Iterable[Department] = (),
    lead_text: str = "",
    assisting_text: str = "",
) -> Task:
    _require_region_manager(actor, plan.region)
    if system not in System.values:
        raise ValidationFailed(_("Unknown system."), field="system")
    assisting = list(assisting_departments)
    _require_plan_departments(plan, [lead_department], field="lead_department")
    _require_plan_departments(plan, assisting, field="assisting_departments")
    with transaction.atomic():
        task = _numbered_create(
            Task,
            plan=plan,
            number=number,
            system=system,
            title=title,
            content=content,
            targets=targets,
            lead_department=lead_department,
            lead_text=lead_text,
            assisting_text=assisting_text,
            deadline=deadline,
        )
        task.assisting_departments.set(assisting)
        _audit(actor, "task_create", task, {"number": number, "deadline": deadline})
    return task


def project_create(
    *,
    actor: User | None,
    plan: Plan,
    number: str,
    name: str,
    start_month: date,
    completion_month: date,
    investment_wan_yuan: Decimal = Decimal(0),
    category: str = "",
    content: str = "",
    location: str = "",
    responsible_body: str = "",
    implementing_body: str = "",
    responsible_department: Department | None = None,
) -> Project:
    _require_region_manager(actor, plan.region)
    if completion_month < start_month:
        raise ValidationFailed(_("Completion comes before the start."), field="completion_month")
    if investment_wan_yuan < 0:
        raise ValidationFailed(_("Investment cannot be negative."), field="investment_wan_yuan")
    _require_plan_departments(plan, [responsible_department], field="responsible_department")
    with transaction.atomic():
        project = _numbered_create(
            Project,
            plan=plan,
            number=number,
            name=name,
            category=category,
            content=content,
            location=location,
            investment_wan_yuan=investment_wan_yuan,
            start_month=start_month.replace(day=1),
            completion_month=completion_month.replace(day=1),
            responsible_body=responsible_body,
            implementing_body=implementing_body,
            responsible_department=responsible_department,
        )
        _audit(actor, "project_create", project, {"number": number, "name": name})
    return project


def progress_report_add(
    *,
    actor: User,
    reported_on: date,
    percent: int,
    text: str,
    task: Task | None = None,
    project: Project | None = None,
    evidence: UploadedFile | None = None,
) -> ProgressReport:
    """Record progress; 100 % marks the item done and resolves its open follow-up."""
    if (task is None) == (project is None):
        raise ValidationFailed(_("Report on one task or one project."))
    if not 0 <= percent <= 100:
        raise ValidationFailed(_("Progress is a percentage from 0 to 100."), field="percent")
    if not text.strip():
        raise ValidationFailed(_("Describe the progress."), field="text")
    viewer = viewer_for(actor)
    if task is not None:
        selectors.task_get(viewer=viewer, pk=task.pk)  # invisible → NotFound
        allowed = selectors.may_report_task(viewer=viewer, task=task)
    else:
        assert project is not None
        selectors.project_get(viewer=viewer, pk=project.pk)
        allowed = selectors.may_report_project(viewer=viewer, project=project)
    if not allowed:
        raise NotPermitted(
            _("Only the lead and assisting departments, or the region's regulators, report.")
        )
    item: Task | Project = task if task is not None else project  # type: ignore[assignment]
    with transaction.atomic():
        report = ProgressReport.objects.create(
            task=task,
            project=project,
            reported_by=actor,
            reported_on=reported_on,
            percent=percent,
            text=text.strip(),
            evidence=evidence,
        )
        if percent == 100 and item.status != WorkStatus.DONE:
            item.status = WorkStatus.DONE
            item.completed_on = reported_on
            item.save(update_fields=["status", "completed_on"])
            open_followups = (
                FollowUp.objects.filter(resolved_on__isnull=True).filter(task=task)
                if task is not None
                else FollowUp.objects.filter(resolved_on__isnull=True, project=project)
            )
            open_followups.update(resolved_on=reported_on)
        elif percent < 100 and item.status == WorkStatus.NOT_STARTED and percent > 0:
            item.status = WorkStatus.IN_PROGRESS
            item.save(update_fields=["status"])
        _audit(actor, "progress_report_add", report, {"percent": percent, "item": str(item)})
    return report
