"""The transfer manifests of a generated year: rows, numbers, and the replay of their steps.

`Sheet` holds one manifest's rows in memory and walks them through their planned steps,
changing exactly the fields each step's service changes (`wufei.transfer.services`): the
shipper's signature time, each carrier's pick-up and delivery, the arrival and receipt
deadline, the received and accepted weights, the treatment, a revision's corrected weight and
version. The status follows `manifest_flow.transition`. The walk runs twice: once on fresh
rows to learn their final state before they are inserted, and once on the stored rows to take
the content each signature signed (`year_signatures`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db.models import Model, QuerySet

from wufei.demo.year_context import YearContext, historical
from wufei.demo.year_insert import insert_rows
from wufei.demo.year_ledger import ContainerRow
from wufei.domain.demo_year_records import DRIVER, RELAY, ManifestPlan, StepPlan, YearPlan
from wufei.domain.manifest_flow import Action, Actor, Party, Snapshot, Status, transition
from wufei.domain.manifest_numbers import city_key, manifest_number_format
from wufei.transfer.models import (
    CrossProvinceApproval,
    Manifest,
    ManifestCarrier,
    ManifestCounter,
    ManifestLine,
)

BATCH = 1000
EMERGENCY = {
    "hazardous": "发生泄漏、火灾等事故时，立即停车设置警示，用吸附材料围堵收集泄漏物，"
    "报告当地生态环境和应急管理部门；联系移出人和接受人应急电话。",
    "medical": "包装破损或泄漏时，立即停车隔离，就地消毒，收集泄漏物，"
    "报告当地卫生健康和生态环境部门。",
}
RELAY_POINT = "联运交接点"
DECISIONS = (Action.ACCEPT, Action.ACCEPT_PARTIALLY, Action.REFUSE)


def cached(model: type[Model], items: list[Any]) -> QuerySet[Any]:
    """A queryset that yields `items` without a query: a manifest's prefetched lines."""
    qs = model._default_manager.all()
    qs._result_cache = items
    qs._prefetch_done = True  # type: ignore[attr-defined]
    return qs


@dataclass
class Sheet:
    plan: ManifestPlan
    manifest: Manifest
    lines: list[ManifestLine]
    carriers: list[ManifestCarrier]
    containers: list[list[ContainerRow]]

    def prefetch(self) -> None:
        """Stored rows answer `manifest.lines.all()` & co. from memory, as `manifest_load`."""
        self.manifest._prefetched_objects_cache = {  # type: ignore[attr-defined]
            "lines": cached(ManifestLine, self.lines),
            "carriers": cached(ManifestCarrier, self.carriers),
        }
        for line, containers in zip(self.lines, self.containers, strict=True):
            line._prefetched_objects_cache = {  # type: ignore[attr-defined]
                "containers": cached(ManifestLine, sorted(containers, key=lambda c: c.code))
            }

    def reset(self) -> None:
        """Back to the draft as created."""
        m = self.manifest
        m.status, m.return_status, m.version = Status.DRAFT.value, "none", 1
        m.shipper_signed_at = m.picked_up_at = m.arrived_at = m.received_at = None
        m.treated_at = m.cancelled_at = None
        m.receipt_due_on = None
        m.has_discrepancy = m.received_late = False
        for row, line in zip(self.lines, self.plan.lines, strict=True):
            row.weight_g = line.weight_g
            row.received_weight_g = row.accepted_weight_g = row.treated_weight_g = None
            row.treatment_method = None
        for carrier in self.carriers:
            carrier.picked_up_at = carrier.delivered_at = None

    def apply(self, step: StepPlan, ctx: YearContext) -> None:
        """The fields the step's service sets, at the step's time (in UTC, as `timezone.now()`
        gives it to the service and the database gives it back: the content hashes alike)."""
        m, t, action = self.manifest, step.at.astimezone(UTC), Action(step.action)
        if action == Action.SIGN_SHIPPER:
            m.shipper_signed_at = t
        elif action == Action.SIGN_PICKUP:
            position = step.carrier_position or 1
            self.carriers[position - 1].picked_up_at = t
            if position == 1:
                m.picked_up_at = t
            else:
                self.carriers[position - 2].delivered_at = t
        elif action == Action.SIGN_DELIVERY:
            self.carriers[-1].delivered_at = m.arrived_at = t
            m.receipt_due_on = self.plan.receipt_due_on
        elif action in DECISIONS:
            for row, line in zip(self.lines, self.plan.lines, strict=True):
                row.received_weight_g = line.received_weight_g
                row.accepted_weight_g = line.accepted_weight_g
            m.has_discrepancy = bool(self.plan.discrepancies)
            m.received_at = t
            due = m.receipt_due_on
            m.received_late = due is not None and step.at.date() > due
        elif action == Action.RECORD_TREATMENT:
            for row, line in zip(self.lines, self.plan.lines, strict=True):
                if line.treated_weight_g:
                    row.treatment_method = ctx.methods[line.method]
                    row.treated_weight_g = line.treated_weight_g
            m.treated_at = t
        elif action == Action.CANCEL:
            m.cancelled_at = t

    def revise(self) -> None:
        revision = self.plan.revision
        assert revision is not None
        for position, grams in revision.weights:
            self.lines[position - 1].weight_g = grams
        self.manifest.version += 1

    def walk(
        self,
        ctx: YearContext,
        on_step: Callable[[StepPlan], None] | None = None,
        on_revision: Callable[[str], None] | None = None,
    ) -> None:
        """Reset and replay every step (and the revision between them) in time order."""
        self.reset()
        state = Snapshot(Status.DRAFT, carriers_total=len(self.carriers))
        revision = self.plan.revision
        pending = revision is not None
        for step in self.plan.steps:
            if pending and revision is not None and step.at > revision.applied_at:
                pending = self._revise(on_revision)
            actor = Actor(Party(step.party), step.carrier_position, step.role == DRIVER)
            state = transition(state, Action(step.action), actor)
            self.apply(step, ctx)
            self.manifest.status = state.status.value
            self.manifest.return_status = state.return_status.value
            if on_step:
                on_step(step)
        if pending:
            self._revise(on_revision)

    def _revise(self, on_revision: Callable[[str], None] | None) -> bool:
        if on_revision:
            on_revision("requested")
        self.revise()
        if on_revision:
            on_revision("applied")
        return False


def _place(ctx: YearContext, plan: ManifestPlan, key: str) -> str:
    if key == RELAY:
        return RELAY_POINT
    code = plan.shipper_facility if key == plan.shipper else plan.receiver_facility
    facility = ctx.facilities[key, code]
    return f"{ctx.orgs[key].name} {facility.address}"[:200]


def _numbers(ctx: YearContext, year: YearPlan) -> dict[int, str]:
    """Numbers by creation time per city and year (第十五条), after what the counters hold."""
    keys: dict[int, tuple[str, str, int, str]] = {}
    for m in year.manifests:
        region = ctx.facilities[m.shipper, m.shipper_facility].region.code
        keys[m.ref] = (*city_key(region), m.created_at.year, region)
    counters: dict[tuple[str, str, int], ManifestCounter] = {}
    for province, city, y, _r in sorted(set(keys.values())):
        counter, _created = ManifestCounter.objects.select_for_update().get_or_create(
            province=province, city=city, year=y
        )
        counters[province, city, y] = counter
    numbers = {}
    for m in sorted(year.manifests, key=lambda m: m.sequence):
        province, city, y, region = keys[m.ref]
        counter = counters[province, city, y]
        counter.last_sequence += 1
        numbers[m.ref] = str(
            manifest_number_format(year=y, region_code=region, sequence=counter.last_sequence)
        )
    for counter in counters.values():
        counter.save(update_fields=["last_sequence"])
    return numbers


def _sheet(
    ctx: YearContext,
    plan: ManifestPlan,
    number: str,
    containers: list[ContainerRow],
    approvals: list[CrossProvinceApproval],
) -> Sheet:
    manifest = Manifest(
        number=number,
        doc_type=plan.doc_type,
        shipper=ctx.orgs[plan.shipper],
        shipper_facility=ctx.facilities[plan.shipper, plan.shipper_facility],
        receiver=ctx.orgs[plan.receiver],
        receiver_facility=ctx.facilities[plan.receiver, plan.receiver_facility],
        receiver_permit=ctx.permits.get((plan.receiver, plan.doc_type)),
        approval=approvals[plan.approval] if plan.approval is not None else None,
        planned_on=plan.planned_on,
        emergency_measures=EMERGENCY[plan.doc_type],
        created_by=ctx.staff[plan.shipper],
        created_at=plan.created_at,
    )
    lines, boxes = [], []
    for line in plan.lines:
        code = ctx.codes[line.code]
        lines.append(
            ManifestLine(
                manifest=manifest,
                position=line.position,
                waste_code=code,
                waste_name=code.description[:100],
                hazard_characteristics=code.hazard_characteristics[:20],
                physical_form=line.physical_form,
                packaging=line.packaging,
                container_count=line.container_count,
                weight_g=line.weight_g,
            )
        )
        boxes.append([containers[c] for c in line.containers])
    carriers = [
        ManifestCarrier(
            manifest=manifest,
            position=leg.position,
            carrier=ctx.orgs[leg.carrier],
            vehicle=ctx.vehicles[leg.plate],
            licence=ctx.road_licences[leg.carrier],
            origin=_place(ctx, plan, leg.origin),
            destination=_place(ctx, plan, leg.destination),
        )
        for leg in plan.legs
    ]
    return Sheet(plan, manifest, lines, carriers, boxes)


def manifests_write(
    ctx: YearContext,
    year: YearPlan,
    *,
    containers: list[ContainerRow],
    approvals: list[CrossProvinceApproval],
) -> list[Sheet]:
    """Insert every manifest in its final state, with lines, containers and carriers."""
    numbers = _numbers(ctx, year)
    sheets = [_sheet(ctx, m, numbers[m.ref], containers, approvals) for m in year.manifests]
    for sheet in sheets:
        sheet.walk(ctx)
    with historical(Manifest, "created_at"):
        Manifest.objects.bulk_create([s.manifest for s in sheets], batch_size=BATCH)
    for sheet in sheets:
        for line in sheet.lines:
            line.manifest_id = sheet.manifest.pk
        for carrier in sheet.carriers:
            carrier.manifest_id = sheet.manifest.pk
    ManifestLine.objects.bulk_create([r for s in sheets for r in s.lines], batch_size=BATCH)
    ManifestCarrier.objects.bulk_create([r for s in sheets for r in s.carriers], batch_size=BATCH)
    insert_rows(
        ManifestLine.containers.through,
        ("manifestline_id", "container_id"),
        (
            (row.pk, c.pk)
            for s in sheets
            for row, boxes in zip(s.lines, s.containers, strict=True)
            for c in boxes
        ),
    )
    return sheets


def by_manifest(year: YearPlan) -> dict[int, list[int]]:
    """Event refs per manifest ref."""
    refs: dict[int, list[int]] = defaultdict(list)
    for e in year.events:
        if e.manifest is not None:
            refs[e.manifest].append(e.ref)
    return refs
