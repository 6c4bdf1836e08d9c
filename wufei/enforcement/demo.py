"""Demo data of the enforcement app: a grid per street of the demo district, the year's key-unit
list, a few months of planned inspections, some visits with findings and two cases.

Called by the lead's demo seeding after the year's ledger exists; everything goes through the
services, so it is audited like real work. Deterministic for a given `rng` seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from wufei.accounts.models import RegulatorScope, User
from wufei.accounts.viewer import viewer_for
from wufei.domain.demo_geography import COUNTY_CODE, TOWNSHIPS
from wufei.enforcement.cases import case_close, case_decide, case_investigate, case_open
from wufei.enforcement.models import Finding, Grid, InspectionAssignment
from wufei.enforcement.rules import CHECKLIST, ITEM_BASIS
from wufei.enforcement.services import (
    FindingInput,
    grid_create,
    inspection_record,
    inspections_assign,
    key_units_refresh,
)
from wufei.registry.models import Region

DEMO_MONTHS = (3, 6, 9)
VISITS_PER_GRID = 4
DESCRIPTIONS = {
    "labels": "贮存库部分包装桶未粘贴危险废物标签",
    "segregation": "废酸与废碱未分区存放",
    "protection": "贮存库防渗层破损，未设置导流沟",
    "ledger": "台账出库记录与转移联单数量不一致",
    "plan": "年度管理计划未按时备案",
}


@dataclass(frozen=True)
class DemoSeedResult:
    grids: int
    key_units: int
    assignments: int
    inspections: int
    cases: int


def _district_inspector() -> User | None:
    prefixes = [COUNTY_CODE[:n] for n in (6, 4, 2)]
    scope = (
        RegulatorScope.objects.filter(region__prefix__in=prefixes)
        .select_related("user")
        .order_by("-region__prefix", "pk")
        .first()
    )
    return scope.user if scope else None


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def enforcement_demo_seed(*, rng: random.Random, year: int) -> DemoSeedResult:
    refreshed = key_units_refresh(year=year)
    inspector = _district_inspector()
    if inspector is None:
        return DemoSeedResult(0, refreshed.added, 0, 0, 0)
    viewer = viewer_for(inspector)
    grids = []
    for township in TOWNSHIPS:
        region = Region.objects.filter(code=township.code).first()
        if region is None:
            continue
        grid = Grid.objects.filter(region=region).first() or grid_create(
            viewer=viewer, name=f"{township.name}网格", region=region, inspectors=[inspector]
        )
        grids.append(grid)
    assignments: list[InspectionAssignment] = []
    for grid in grids:
        for month in DEMO_MONTHS:
            assignments += inspections_assign(viewer=viewer, grid=grid, year=year, month=month)
    inspections = 0
    findings: list[Finding] = []
    for grid in grids:
        picked = [a for a in assignments if a.grid_id == grid.pk]
        for a in rng.sample(picked, min(VISITS_PER_GRID, len(picked))):
            visit_day = date(year, a.month, rng.randint(3, 25))
            failed = rng.sample(sorted(DESCRIPTIONS), rng.choice((0, 1, 1, 2)))
            inspection = inspection_record(
                viewer=viewer,
                organisation=a.organisation,
                assignment=a,
                visited_at=min(_at(visit_day, rng.randint(9, 16)), timezone.now()),
                checklist={i.code: ("fail" if i.code in failed else "ok") for i in CHECKLIST},
                findings=[
                    FindingInput(
                        item=item,
                        severity=rng.choice(("minor", "minor", "major")),
                        description=DESCRIPTIONS[item],
                        rectification_due=visit_day + timedelta(days=15),
                    )
                    for item in failed
                ],
            )
            inspections += 1
            findings += list(inspection.findings.all())
    cases = 0
    for finding, outcome in zip(findings[:2], ("rectification", "fine"), strict=False):
        org = finding.inspection.organisation
        opened = timezone.localtime(finding.inspection.visited_at).date() + timedelta(days=20)
        case = case_open(
            viewer=viewer,
            organisation=org,
            source="finding",
            finding=finding,
            legal_basis=ITEM_BASIS[finding.item],
            summary=finding.description,
            opened_on=opened,
        )
        case = case_investigate(viewer=viewer, case=case)
        case = case_decide(
            viewer=viewer,
            case=case,
            outcome=outcome,
            fine_yuan=Decimal("100000") if outcome == "fine" else None,
            decided_on=opened + timedelta(days=30),
        )
        if outcome == "rectification":
            case_close(viewer=viewer, case=case, closed_on=opened + timedelta(days=45))
        cases += 1
    return DemoSeedResult(len(grids), refreshed.added, len(assignments), inspections, cases)
