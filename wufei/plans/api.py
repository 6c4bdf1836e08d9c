"""Read endpoints under /api/v1/plans/. (No `from __future__ import annotations`: ninja reads
them.) Visibility as on the pages: invisible plans answer 404."""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.plans import selectors

router = Router()


def _viewer(request: HttpRequest) -> Viewer:
    assert isinstance(request.user, User)
    return viewer_for(request.user)


class PlanOut(Schema):
    id: int
    name: str
    region: str
    start_year: int
    end_year: int
    is_demo: bool


class TaskOut(Schema):
    id: int
    system: str
    number: str
    title: str
    lead: str
    assisting: str
    deadline: datetime.date
    status: str
    overdue: bool
    latest_percent: int | None
    open_followup: bool


class ProjectOut(Schema):
    id: int
    number: str
    name: str
    investment_wan_yuan: Decimal
    start_month: str
    completion_month: str
    location: str
    responsible_body: str
    implementing_body: str
    status: str
    overdue: bool


class AssessmentOut(Schema):
    department: str
    year: int
    score: Decimal
    breakdown: dict[str, str]


@router.get("/", response=list[PlanOut])
def plan_list(request: HttpRequest) -> list[PlanOut]:
    plans = selectors.plans_visible(viewer=_viewer(request)).select_related("region")
    return [
        PlanOut(
            id=p.pk,
            name=p.name,
            region=p.region.code,
            start_year=p.start_year,
            end_year=p.end_year,
            is_demo=p.is_demo,
        )
        for p in plans
    ]


@router.get("/{plan_id}/tasks/", response=list[TaskOut])
def task_list(request: HttpRequest, plan_id: int) -> list[TaskOut]:
    viewer = _viewer(request)
    plan = selectors.plan_get(viewer=viewer, pk=plan_id)
    groups = selectors.task_groups(viewer=viewer, plan=plan, today=timezone.localdate())
    return [
        TaskOut(
            id=r.task.pk,
            system=r.task.system,
            number=r.task.number,
            title=r.task.title,
            lead=r.task.lead_text or r.task.lead_department.name,
            assisting=r.task.assisting_text,
            deadline=r.task.deadline,
            status=r.task.status,
            overdue=r.overdue,
            latest_percent=r.latest.percent if r.latest else None,
            open_followup=r.open_followup is not None,
        )
        for g in groups
        for r in g.rows
    ]


@router.get("/{plan_id}/projects/", response=list[ProjectOut])
def project_list(request: HttpRequest, plan_id: int) -> list[ProjectOut]:
    viewer = _viewer(request)
    plan = selectors.plan_get(viewer=viewer, pk=plan_id)
    return [
        ProjectOut(
            id=r.project.pk,
            number=r.project.number,
            name=r.project.name,
            investment_wan_yuan=r.project.investment_wan_yuan,
            start_month=f"{r.project.start_month:%Y-%m}",
            completion_month=f"{r.project.completion_month:%Y-%m}",
            location=r.project.location,
            responsible_body=r.project.responsible_body,
            implementing_body=r.project.implementing_body,
            status=r.project.status,
            overdue=r.overdue,
        )
        for r in selectors.project_rows(viewer=viewer, plan=plan, today=timezone.localdate())
    ]


@router.get("/{plan_id}/assessment/", response=list[AssessmentOut])
def assessment_list(request: HttpRequest, plan_id: int, year: int) -> list[AssessmentOut]:
    viewer = _viewer(request)
    plan = selectors.plan_get(viewer=viewer, pk=plan_id)
    return [
        AssessmentOut(
            department=a.department.name,
            year=a.year,
            score=a.score,
            breakdown={k: str(v) for k, v in a.breakdown.items()},
        )
        for a in selectors.assessments_visible(viewer=viewer, plan=plan, year=year)
    ]
