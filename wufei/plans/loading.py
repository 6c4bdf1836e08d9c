"""Load the task and project lists transcribed from seed 002 (see data/PROVENANCE.md)."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from wufei.plans.models import Department, Plan
from wufei.plans.services import department_create, plan_create, project_create, task_create
from wufei.registry.regions import region_resolve

DATA = Path(__file__).resolve().parent / "data"
PLAN_NAME = "滨江区全域“无废城市”建设工作方案（2024—2026年）"
PLAN_SOURCE = "种子文件002 附件1/附件2（任务取自正文（六）第18—21项）"
GENERIC_UNITS = {"各相关单位", ""}


def units(text: str) -> list[str]:
    """The units of a 牵头单位/协办单位 cell, without the catch-all 各相关单位."""
    return [u.strip() for u in text.split("、") if u.strip() not in GENERIC_UNITS]


def _month(text: str) -> date:
    year, month = text.split("-")[:2]
    return date(int(year), int(month), 1)


def plans_load(*, region_code: str = "330108") -> Plan:
    """Create (or refresh) the plan with its tasks and projects. Idempotent by plan name."""
    region = region_resolve(region_code)
    with transaction.atomic():
        Plan.objects.filter(region=region, name=PLAN_NAME).delete()
        plan = plan_create(
            actor=None,
            region=region,
            name=PLAN_NAME,
            start_year=2024,
            end_year=2026,
            source=PLAN_SOURCE,
        )

        def dept(name: str) -> Department:
            return department_create(actor=None, region=region, name=name)

        with (DATA / "binjiang_2024_tasks.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                leads = units(row["lead"])
                task_create(
                    actor=None,
                    plan=plan,
                    system=row["system"],
                    number=row["number"],
                    title=row["title"],
                    content=row["content"],
                    lead_department=dept(leads[0]),
                    # co-leads report like assisting units; the cells are kept as written
                    assisting_departments=[dept(u) for u in leads[1:] + units(row["assisting"])],
                    lead_text=row["lead"],
                    assisting_text=row["assisting"],
                    deadline=date.fromisoformat(row["deadline"]),
                )
        with (DATA / "binjiang_2024_projects.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                project_create(
                    actor=None,
                    plan=plan,
                    number=row["number"],
                    name=row["name"],
                    content=row["content"],
                    investment_wan_yuan=Decimal(row["investment_wan_yuan"] or 0),
                    start_month=_month(row["start_month"]),
                    completion_month=_month(row["completion_month"]),
                    location=row["location"],
                    responsible_body=row["responsible_body"],
                    implementing_body=row["implementing_body"],
                    responsible_department=dept(units(row["responsible_body"])[0])
                    if units(row["responsible_body"])
                    else None,
                )
    return plan
