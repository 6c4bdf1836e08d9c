"""The problems a demo year holds on purpose, and the approvals its cross-province loads need.

At scale 1 the year has four late receipts (第十八条: confirmed more than five working days
after arrival), four weight discrepancies above 5 % at the receiver, three batches stored for
more than a year (stored in the previous year and never shipped; 固废法 第八十一条), and one
each of a refused load sent back, a partial acceptance, a revision of an estimated weight and a
manifest cancelled before pick-up; the counts follow the scale, never below one. Each problem
is given to a different shipper-receiver route, on a trip in the middle of its year.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from wufei.domain import demo_providers as prov
from wufei.domain.demo_district import HAZARDOUS, OrganisationPlan
from wufei.domain.demo_year_book import YearBook
from wufei.domain.demo_year_generation import (
    GRAMS_PER_TONNE,
    coded_lines,
    packing,
    store_batch,
    work_days,
)
from wufei.domain.demo_year_records import (
    CANCELLED,
    LATE_RECEIPT,
    OVERDUE_STORAGE,
    PARTIAL_ACCEPTANCE,
    REFUSED_RETURNED,
    REVISION,
    WEIGHT_DISCREPANCY,
    ApprovalItemPlan,
    ApprovalPlan,
    IncidentPlan,
    ManifestPlan,
)
from wufei.domain.workdays import WorkdayCalendar

AT_SCALE_ONE = {
    REFUSED_RETURNED: 1,
    PARTIAL_ACCEPTANCE: 1,
    REVISION: 1,
    CANCELLED: 1,
    LATE_RECEIPT: 4,
    WEIGHT_DISCREPANCY: 4,
    OVERDUE_STORAGE: 3,
}
# Problems that change the course of a load need a route with regular trips to a plant.
ON_REGULAR_ROUTES = (REFUSED_RETURNED, PARTIAL_ACCEPTANCE, REVISION, CANCELLED)
T18 = "危险废物转移管理办法 第十八条"
RULES = {
    LATE_RECEIPT: T18,
    WEIGHT_DISCREPANCY: T18,
    REFUSED_RETURNED: T18,
    PARTIAL_ACCEPTANCE: T18,
    REVISION: "危险废物转移管理办法 第十二条",
    CANCELLED: "危险废物转移管理办法 第十六条",
    OVERDUE_STORAGE: "固体废物污染环境防治法 第八十一条",
}
DESCRIPTIONS = {
    LATE_RECEIPT: "运抵后超过5个工作日才确认接受",
    WEIGHT_DISCREPANCY: "接受人过磅重量与联单填写重量相差超过5%",
    REFUSED_RETURNED: "包装破损渗漏，接受人拒收，危险废物退回移出人",
    PARTIAL_ACCEPTANCE: "一件包装破损，接受人部分接受，该件退回移出人",
    REVISION: "移出人按估算重量填报，过磅后经各签字方确认更正为实际重量",
    CANCELLED: "运输车辆故障，承运人签收前作废联单，次日另开联单转移",
    OVERDUE_STORAGE: "危险废物入库贮存超过一年仍未转移利用处置",
}


@dataclass(frozen=True)
class Pair:
    """A route of a shipper: everything it sends one receiver in a year."""

    shipper: str
    receiver: str
    medical: bool
    annual_g: int
    trips: int

    @property
    def key(self) -> tuple[str, str, bool]:
        return self.shipper, self.receiver, self.medical


def count_at(kind: str, scale: Decimal) -> int:
    return max(1, int((AT_SCALE_ONE[kind] * scale).to_integral_value(ROUND_HALF_UP)))


def incidents_assign(
    rng: random.Random, *, scale: Decimal, pairs: list[Pair]
) -> dict[tuple[str, str, bool], tuple[str, int]]:
    """Route → (problem, index of the first trip that may carry it)."""
    regular = [
        p
        for p in pairs
        if not p.medical and p.receiver not in (prov.COLLECTOR, prov.LEAD_JIESHOU) and p.trips >= 6
    ]
    other = [p for p in pairs if not p.medical and p.receiver != prov.LEAD_JIESHOU]
    rng.shuffle(regular)
    rng.shuffle(other)
    chosen: dict[tuple[str, str, bool], tuple[str, int]] = {}
    for kind in (*ON_REGULAR_ROUTES, LATE_RECEIPT, WEIGHT_DISCREPANCY):
        pool = regular if kind in ON_REGULAR_ROUTES else other
        free = [p for p in pool if p.key not in chosen]
        for pair in free[: count_at(kind, scale)]:
            chosen[pair.key] = (kind, rng.randint(pair.trips // 4, pair.trips * 3 // 4))
    return chosen


def incident_for(kind: str, manifest: ManifestPlan, *, organisation: str = "") -> IncidentPlan:
    at_fault = organisation or (
        manifest.receiver if kind in (LATE_RECEIPT, WEIGHT_DISCREPANCY) else manifest.shipper
    )
    return IncidentPlan(kind, at_fault, RULES[kind], DESCRIPTIONS[kind], manifest=manifest.ref)


def overdue_batches(
    book: YearBook,
    *,
    year: int,
    scale: Decimal,
    calendar: WorkdayCalendar,
    producers: list[OrganisationPlan],
    staff: dict[str, tuple[str, str]],
) -> list[IncidentPlan]:
    """Containers stored in the second half of the previous year that are never shipped."""
    rng = book.rng
    lines = [
        (org, line)
        for org in producers
        for line in coded_lines(org)
        if line.stream == HAZARDOUS and line.annual_t >= 1
    ]
    incidents = []
    for org, line in rng.sample(lines, min(len(lines), count_at(OVERDUE_STORAGE, scale))):
        pack = packing(line.code, line.annual_t)
        tenth_kg = int(line.annual_t * GRAMS_PER_TONNE) // 10_000
        grams = min(max(tenth_kg, 20), pack.max_kg) * 1000
        day = rng.choice(work_days(calendar, date(year - 1, 7, 1), date(year - 1, 11, 15)))
        _, stored = store_batch(
            book,
            org=org,
            line=line,
            pack=pack,
            day=day,
            grams=grams,
            staff=staff[org.key],
            shippable=False,
        )
        incidents.append(
            IncidentPlan(
                OVERDUE_STORAGE,
                org.key,
                RULES[OVERDUE_STORAGE],
                DESCRIPTIONS[OVERDUE_STORAGE],
                event=stored,
            )
        )
    return incidents


def approvals_plan(
    rng: random.Random, *, year: int, pairs: list[Pair], orgs: dict[str, OrganisationPlan]
) -> list[ApprovalPlan]:
    """A 12-month approval (第二十一条–第二十八条) for each route leaving the province, for 130 %
    of the year's quantity, issued around the turn of the year by the shipper's province."""
    approvals: list[ApprovalPlan] = []
    for pair in pairs:
        shipper, receiver = orgs[pair.shipper], orgs[pair.receiver]
        if shipper.region_code[:2] == receiver.region_code[:2]:
            continue
        valid_from = date(year, 1, 1) - timedelta(days=rng.randint(0, 20))
        valid_until = date(valid_from.year + 1, valid_from.month, valid_from.day) - timedelta(
            days=1
        )
        codes = dict.fromkeys(
            (w.code, w.treatment_method) for w in shipper.waste if w.receiver == receiver.key
        )
        tonnes = math.ceil(pair.annual_g * 13 / 10 / GRAMS_PER_TONNE)
        items = tuple(
            ApprovalItemPlan(code, tonnes * GRAMS_PER_TONNE, method) for code, method in codes
        )
        number = f"浙固危转审〔{valid_from.year}〕{len(approvals) + 1:04d}号"
        approvals.append(
            ApprovalPlan(
                len(approvals),
                number,
                pair.shipper,
                pair.receiver,
                "浙江省生态环境厅",
                valid_from,
                valid_until,
                items,
            )
        )
    return approvals
