"""Reads of plans, tasks, projects and scores, always through a Viewer.

Who sees a plan: administrators, regulators whose region contains the plan's region, and users
of a department of that region (DepartmentMember). Everyone else gets NotFound (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from wufei.accounts.viewer import Viewer
from wufei.core.errors import NotFound
from wufei.plans.models import (
    Assessment,
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
from wufei.plans.schedule import project_due_on


def department_ids_of(viewer: Viewer) -> set[int]:
    if viewer.user_id is None:
        return set()
    return set(
        DepartmentMember.objects.filter(user_id=viewer.user_id).values_list(
            "department_id", flat=True
        )
    )


def plans_visible(*, viewer: Viewer) -> QuerySet[Plan]:
    if viewer.is_admin:
        return Plan.objects.all()
    if viewer.user_id is None:
        return Plan.objects.none()
    regions = Department.objects.filter(pk__in=department_ids_of(viewer)).values("region_id")
    return Plan.objects.filter(viewer.region_q("region__prefix") | Q(region__in=regions))


def may_manage(*, viewer: Viewer, plan: Plan) -> bool:
    """Regulators of the plan's region and administrators create tasks and raise follow-ups."""
    return viewer.is_admin or viewer.regulates(plan.region.prefix)


def may_report_task(*, viewer: Viewer, task: Task) -> bool:
    """Members of the lead or an assisting department, or those who manage the plan."""
    if may_manage(viewer=viewer, plan=task.plan):
        return True
    mine = department_ids_of(viewer)
    if task.lead_department_id in mine:
        return True
    return task.assisting_departments.filter(pk__in=mine).exists()


def may_report_project(*, viewer: Viewer, project: Project) -> bool:
    if may_manage(viewer=viewer, plan=project.plan):
        return True
    return project.responsible_department_id in department_ids_of(viewer)


def plan_departments(*, plan: Plan) -> QuerySet[Department]:
    """The departments a plan's tasks and projects may name: those of its region."""
    return Department.objects.filter(region_id=plan.region_id).order_by("name")


def plan_get(*, viewer: Viewer, pk: int) -> Plan:
    plan = plans_visible(viewer=viewer).select_related("region").filter(pk=pk).first()
    if plan is None:
        raise NotFound("No such plan.")
    return plan


def task_get(*, viewer: Viewer, pk: int) -> Task:
    task = (
        Task.objects.filter(plan__in=plans_visible(viewer=viewer), pk=pk)
        .select_related("plan__region", "lead_department")
        .first()
    )
    if task is None:
        raise NotFound("No such task.")
    return task


def project_get(*, viewer: Viewer, pk: int) -> Project:
    project = (
        Project.objects.filter(plan__in=plans_visible(viewer=viewer), pk=pk)
        .select_related("plan__region")
        .first()
    )
    if project is None:
        raise NotFound("No such project.")
    return project


def task_is_overdue(task: Task, *, today: date) -> bool:
    return task.status != WorkStatus.DONE and task.deadline < today


def project_is_overdue(project: Project, *, today: date) -> bool:
    return project.status != WorkStatus.DONE and project_due_on(project) < today


@dataclass(frozen=True)
class TaskRow:
    task: Task
    overdue: bool
    latest: ProgressReport | None
    open_followup: FollowUp | None


@dataclass(frozen=True)
class SystemGroup:
    system: str
    label: str
    rows: list[TaskRow]


def _open(followups: list[FollowUp]) -> FollowUp | None:
    return next((f for f in followups if f.resolved_on is None), None)


def task_groups(*, viewer: Viewer, plan: Plan, today: date) -> list[SystemGroup]:
    """The plan's tasks by system in the order of 附件1, with latest progress and open 督办."""
    plan_get(viewer=viewer, pk=plan.pk)
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("lead_department")
        .prefetch_related(
            "assisting_departments",
            Prefetch("reports", queryset=ProgressReport.objects.order_by("-reported_on", "-pk")),
            "followups",
        )
    )
    by_system: dict[str, list[TaskRow]] = {s.value: [] for s in System}
    for task in tasks:
        reports = list(task.reports.all())
        by_system[task.system].append(
            TaskRow(
                task=task,
                overdue=task_is_overdue(task, today=today),
                latest=reports[0] if reports else None,
                open_followup=_open(list(task.followups.all())),
            )
        )
    for rows in by_system.values():
        rows.sort(key=lambda r: _number_key(r.task.number))
    return [SystemGroup(s.value, str(s.label), by_system[s.value]) for s in System]


def _number_key(number: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in number.split("."))


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    overdue: bool
    latest: ProgressReport | None
    open_followup: FollowUp | None


def project_rows(*, viewer: Viewer, plan: Plan, today: date) -> list[ProjectRow]:
    plan_get(viewer=viewer, pk=plan.pk)
    projects = Project.objects.filter(plan=plan).prefetch_related(
        Prefetch("reports", queryset=ProgressReport.objects.order_by("-reported_on", "-pk")),
        "followups",
    )
    rows = []
    for project in projects:
        reports = list(project.reports.all())
        rows.append(
            ProjectRow(
                project=project,
                overdue=project_is_overdue(project, today=today),
                latest=reports[0] if reports else None,
                open_followup=_open(list(project.followups.all())),
            )
        )
    rows.sort(key=lambda r: _number_key(r.project.number))
    return rows


def task_reports(*, viewer: Viewer, task: Task) -> QuerySet[ProgressReport]:
    task_get(viewer=viewer, pk=task.pk)
    return task.reports.select_related("reported_by").order_by("-reported_on", "-pk")


def task_followups(*, viewer: Viewer, task: Task) -> QuerySet[FollowUp]:
    task_get(viewer=viewer, pk=task.pk)
    return task.followups.order_by("-raised_on", "-pk")


def assessments_visible(*, viewer: Viewer, plan: Plan, year: int) -> QuerySet[Assessment]:
    plan_get(viewer=viewer, pk=plan.pk)
    return (
        Assessment.objects.filter(department__region=plan.region, year=year)
        .select_related("department")
        .order_by("-score", "department__name")
    )
