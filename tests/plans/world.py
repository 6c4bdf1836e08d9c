"""A small plan world: departments, users, one plan with tasks and projects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.registry.factories import make_regulator, make_user
from wufei.accounts.models import User
from wufei.plans.models import Department, Plan, Project, System, Task
from wufei.plans.services import (
    department_create,
    department_member_add,
    plan_create,
    project_create,
    task_create,
)
from wufei.registry.regions import region_resolve


@dataclass
class World:
    plan: Plan
    eco: Department
    dev: Department
    other: Department
    regulator: User
    eco_user: User
    dev_user: User
    other_user: User
    stranger: User
    overdue_task: Task
    future_task: Task
    project: Project


def build_world() -> World:
    region = region_resolve("330108")
    eco = department_create(actor=None, region=region, name="区生态环境分局")
    dev = department_create(actor=None, region=region, name="区发改局")
    other = department_create(
        actor=None, region=region_resolve("330106"), name="西湖区生态环境分局"
    )
    regulator = make_regulator("reg_plans", "330108")
    eco_user, dev_user, other_user = make_user(), make_user(), make_user()
    department_member_add(actor=None, department=eco, user=eco_user)
    department_member_add(actor=None, department=dev, user=dev_user)
    department_member_add(actor=None, department=other, user=other_user)
    plan = plan_create(
        actor=regulator, region=region, name="测试方案", start_year=2024, end_year=2026
    )
    overdue = task_create(
        actor=regulator,
        plan=plan,
        system=System.SUPERVISION,
        number="21.1",
        title="联合执法",
        lead_department=eco,
        assisting_departments=[dev],
        deadline=date(2024, 6, 30),
        lead_text="区生态环境分局",
        assisting_text="区发改局",
    )
    future = task_create(
        actor=regulator,
        plan=plan,
        system=System.INSTITUTIONAL,
        number="18.1",
        title="完善机制",
        lead_department=dev,
        deadline=date(2026, 12, 31),
    )
    project = project_create(
        actor=regulator,
        plan=plan,
        number="1",
        name="收集方舱",
        start_month=date(2024, 1, 1),
        completion_month=date(2024, 9, 1),
        investment_wan_yuan=Decimal("300"),
        responsible_body="区生态环境分局",
        responsible_department=eco,
    )
    return World(
        plan,
        eco,
        dev,
        other,
        regulator,
        eco_user,
        dev_user,
        other_user,
        make_user(),
        overdue,
        future,
        project,
    )
