"""Illustrative demo data (not from any seed): a plan marked （演示数据） with one task per system,
projects in the layout of 附件2, progress reports and a department user.

`plans_demo_year_seed` is what `wufei seed_demo` runs for the demo district: the plan shipped
from seed 002 (its tasks are real, the progress reports on them are marked （演示）), the
illustrative plan (the seed's project list is an empty template, so projects come from there)
and the 督办 sweep as of 31 December, which leaves one overdue task with an open follow-up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from wufei.accounts.models import User
from wufei.domain.demo_geography import COUNTY_CODE
from wufei.plans.followups import followups_raise
from wufei.plans.loading import PLAN_NAME, plans_load
from wufei.plans.models import Plan, ProgressReport, Project, System, Task
from wufei.plans.services import (
    department_create,
    department_member_add,
    plan_create,
    progress_report_add,
    project_create,
    task_create,
)
from wufei.registry.regions import region_resolve

DEMO_PLAN = "（演示数据）无废城市建设任务与项目清单示例"
DEMO_DEPARTMENT_USER = "department"
# (task number, month, day, percent, text): progress of the shipped plan's 区生态环境分局 tasks
SHIPPED_PROGRESS = (
    ("18.3", 4, 15, 30, "（演示）“无废城市细胞”评估办法修订稿已征求各成员单位意见。"),
    ("18.3", 10, 20, 70, "（演示）修订稿经专班会议审议通过，待印发。"),
    ("19.2", 6, 28, 50, "（演示）上半年督导检查利用处置企业12家次，帮扶整改问题8项。"),
    ("21.1", 9, 30, 40, "（演示）“无废城市在线”预警线索与执法检查联动流程已试运行。"),
)


def plans_demo_seed(*, year: int, rng: random.Random | None = None) -> Plan:
    """Create the demo plan for `year` (replacing an earlier one); `rng` is accepted for the
    lead's demo seeding signature and not needed (the set is fixed)."""
    region = region_resolve("330108")
    with transaction.atomic():
        Plan.objects.filter(region=region, name=DEMO_PLAN).delete()
        plan = plan_create(
            actor=None,
            region=region,
            name=DEMO_PLAN,
            start_year=year,
            end_year=year + 2,
            source="演示数据，非种子文件内容",
            is_demo=True,
        )
        eco = department_create(actor=None, region=region, name="区生态环境分局")
        dev = department_create(actor=None, region=region, name="区发改局")
        fin = department_create(actor=None, region=region, name="区财政局")
        law = department_create(actor=None, region=region, name="区综合行政执法局")
        tasks = [
            (
                System.INSTITUTIONAL,
                "D1",
                "（演示）修订无废城市细胞评估办法",
                eco,
                [dev],
                date(year, 6, 30),
            ),
            (System.TECHNICAL, "D2", "（演示）组织固废资源化技术培训", eco, [], date(year, 9, 30)),
            (System.MARKET, "D3", "（演示）落实无废城市专项资金", fin, [dev], date(year, 12, 31)),
            (
                System.SUPERVISION,
                "D4",
                "（演示）开展固废联合执法检查",
                law,
                [eco],
                date(year, 3, 31),
            ),
        ]
        created = {}
        for system, number, title, lead, assisting, deadline in tasks:
            created[number] = task_create(
                actor=None,
                plan=plan,
                system=system,
                number=number,
                title=title,
                lead_department=lead,
                assisting_departments=assisting,
                deadline=deadline,
                lead_text=lead.name,
                assisting_text="、".join(a.name for a in assisting),
            )
        project_create(
            actor=None,
            plan=plan,
            number="1",
            name="（演示）小微企业危废收集贮存方舱",
            category="危险废物",
            content="建设危废集中收集贮存方舱2座",
            location="滨江区某园区",
            investment_wan_yuan=Decimal("380"),
            start_month=date(year, 3, 1),
            completion_month=date(year, 10, 1),
            responsible_body="区生态环境分局",
            implementing_body="（演示）某环境服务公司",
            responsible_department=eco,
        )
        project_create(
            actor=None,
            plan=plan,
            number="2",
            name="（演示）再生资源分拣中心提升改造",
            category="再生资源",
            content="分拣线改造，日处理能力提升至50吨",
            location="滨江区某街道",
            investment_wan_yuan=Decimal("1200"),
            start_month=date(year, 5, 1),
            completion_month=date(year + 1, 6, 1),
            responsible_body="区发改局",
            implementing_body="（演示）某再生资源公司",
            responsible_department=dev,
        )
        user, _created = User.objects.get_or_create(username=DEMO_DEPARTMENT_USER)
        if _created:
            user.set_password("wufei-demo-2024")
            user.save()
        department_member_add(actor=None, department=eco, user=user)
        progress_report_add(
            actor=user,
            task=created["D1"],
            reported_on=date(year, 5, 20),
            percent=100,
            text="（演示）评估办法已印发。",
        )
        progress_report_add(
            actor=user,
            task=created["D2"],
            reported_on=date(year, 4, 10),
            percent=40,
            text="（演示）已完成首期培训。",
        )
        progress_report_add(
            actor=user,
            task=created["D2"],
            reported_on=date(year, 9, 12),
            percent=100,
            text="（演示）三期培训全部完成，共培训企业环保负责人160人次。",
        )
        # D4 stays short of done past its deadline: the one overdue item of the demo
        progress_report_add(
            actor=user,
            task=created["D4"],
            reported_on=date(year, 3, 25),
            percent=60,
            text="（演示）已开展两轮联合执法检查，问题整改复查尚未完成。",
        )
        first = plan.projects.get(number="1")
        progress_report_add(
            actor=user,
            project=first,
            reported_on=date(year, 6, 30),
            percent=50,
            text="（演示）方舱主体完工，正在安装监控与防渗设施。",
        )
        progress_report_add(
            actor=user,
            project=first,
            reported_on=date(year, 10, 20),
            percent=100,
            text="（演示）2座方舱通过验收并投入使用。",
        )
    return plan


@dataclass(frozen=True)
class PlansDemoResult:
    plans: int
    tasks: int
    projects: int
    reports: int
    followups_raised: int


def plans_demo_year_seed(*, year: int, rng: random.Random | None = None) -> PlansDemoResult:
    """The demo district's plans for `year`, replacing earlier ones; `rng` is accepted for the
    supervision layer's signature and not needed (the set is fixed)."""
    with transaction.atomic():
        shipped = plans_load(region_code=COUNTY_CODE)
        demo = plans_demo_seed(year=year)
        reporter = User.objects.get(username=DEMO_DEPARTMENT_USER)
        for number, month, day, percent, text in SHIPPED_PROGRESS:
            progress_report_add(
                actor=reporter,
                task=Task.objects.get(plan=shipped, number=number),
                reported_on=date(year, month, day),
                percent=percent,
                text=text,
            )
        swept = followups_raise(today=date(year, 12, 31), plans=[shipped, demo])
    plans = [shipped, demo]
    return PlansDemoResult(
        plans=len(plans),
        tasks=Task.objects.filter(plan__in=plans).count(),
        projects=Project.objects.filter(plan__in=plans).count(),
        reports=ProgressReport.objects.filter(
            Q(task__plan__in=plans) | Q(project__plan__in=plans)
        ).count(),
        followups_raised=swept.raised,
    )


def plans_demo_clear() -> None:
    """Delete the plans the demo seeded (with their tasks, projects, reports and follow-ups);
    the shipped plan comes back with the next seed or `wufei load_plans`."""
    Plan.objects.filter(region__code=COUNTY_CODE, name__in=[PLAN_NAME, DEMO_PLAN]).delete()
