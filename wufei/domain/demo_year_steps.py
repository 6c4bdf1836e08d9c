"""One manifest's life in a demo year: signed steps at plausible times, and what they record.

The shipper signs on the morning of the shipping day, each carrier signs at pick-up (a relay
hands over the same afternoon and delivers next day), a van reaches a Hangzhou plant within
hours and Anhui the same evening; the receiver weighs and decides one to three working days
later (a collector the same or next day, the medical waste plant on arrival) and treats within
weeks (medical waste within two days). A seeded problem bends this path: a late decision, a
weight that differs, a refusal or partial refusal with the waste sent back, an estimated weight
corrected by a revision. Every status is reached by replaying the steps through
`manifest_flow.transition`, so a plan cannot hold an illegal manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from wufei.domain.demo_year_book import Lot, YearBook, at
from wufei.domain.demo_year_records import (
    CARRIER,
    DRIVER,
    LATE_RECEIPT,
    PARTIAL_ACCEPTANCE,
    RECEIVE,
    RECEIVER,
    REFUSED_RETURNED,
    REVISION,
    SHIPPER,
    STAFF,
    STORE_IN,
    TREAT_IN_HOUSE,
    WEIGHT_DISCREPANCY,
    DiscrepancyPlan,
    ManifestPlan,
    RevisionPlan,
    StepPlan,
)
from wufei.domain.manifest_flow import Action, Actor, Party, Snapshot, Status, transition
from wufei.domain.manifest_receipt import LineFacts, line_findings
from wufei.domain.workdays import WorkdayCalendar

RECEIPT_WORKDAYS = 5  # 危险废物转移管理办法 第十八条: 接受之日起五个工作日内确认接受
WEIGHT_TOLERANCE = Decimal("0.05")  # beyond it a weight is a discrepancy (wufei.transfer.rules)
DAMAGED = "包装破损"


@dataclass(frozen=True)
class Decision:
    received: dict[int, int]  # line position → ref of the receiver's receipt event
    settled_at: datetime  # from when the waste may be treated or stored on


@dataclass(frozen=True)
class Receipt:
    """How the receiver's side of a trip goes."""

    collector: bool  # the receiver stores and ships on; it does not treat
    medical: bool
    incident: str | None
    staff: tuple[str, str]  # the receiver's persons responsible
    shipper_staff: tuple[str, str]


def sign(
    manifest: ManifestPlan,
    action: Action,
    party: str,
    organisation: str,
    when: datetime,
    *,
    position: int | None = None,
) -> None:
    role = (
        DRIVER
        if action in (Action.SIGN_PICKUP, Action.SIGN_DELIVERY, Action.START_RETURN)
        else STAFF
    )
    manifest.steps.append(
        StepPlan(action.value, party, organisation, role, when, manifest.version, position)
    )


def replay(manifest: ManifestPlan) -> Snapshot:
    """The state the steps lead to; raises TransitionRefused on an illegal step."""
    state = Snapshot(Status.DRAFT, carriers_total=len(manifest.legs))
    for step in manifest.steps:
        actor = Actor(Party(step.party), step.carrier_position, step.role == DRIVER)
        state = transition(state, Action(step.action), actor)
    manifest.status, manifest.return_status = state.status.value, state.return_status.value
    return state


def decision_time(
    rng_days: int, rng_minutes: int, calendar: WorkdayCalendar, arrived: datetime
) -> datetime:
    """`rng_days` working days after arrival, in office hours, never before the arrival."""
    day = calendar.add_workdays(arrived.date(), rng_days)
    when = at(day, 9 * 60 + rng_minutes)
    return max(when, arrived + timedelta(minutes=45))


def receive(
    book: YearBook,
    manifest: ManifestPlan,
    receipt: Receipt,
    *,
    calendar: WorkdayCalendar,
    lots: list[Lot],
) -> Decision:
    """The receiver weighs, records what differs, decides and books what it accepted (one
    receipt per line, at the moment of the decision); refused waste goes back."""
    rng = book.rng
    arrived = manifest.legs[-1].delivered_at
    assert arrived is not None
    manifest.receipt_due_on = calendar.add_workdays(arrived.date(), RECEIPT_WORKDAYS)
    if receipt.medical:
        decided = arrived + timedelta(minutes=rng.randint(20, 90))
    else:
        days = rng.randint(6, 9) if receipt.incident == LATE_RECEIPT else rng.randint(1, 3)
        if receipt.collector and receipt.incident != LATE_RECEIPT:
            days = min(days, 1)
        decided = decision_time(days, rng.randint(0, 8 * 60), calendar, arrived)
    exact = receipt.medical or receipt.incident in (REFUSED_RETURNED, PARTIAL_ACCEPTANCE, REVISION)
    for line in manifest.lines:
        weighed = sum(lot.quantity_g for lot in lots if lot.code == line.code)
        if not exact:  # weighbridges differ a little, well inside the tolerance
            weighed += weighed * rng.randint(-10, 10) // 1000
        line.received_weight_g = line.accepted_weight_g = weighed
    returned: dict[int, list[Lot]] = {}
    observed: dict[int, str] = {}
    action, note = Action.ACCEPT, ""
    if receipt.incident == WEIGHT_DISCREPANCY:
        line = max(manifest.lines, key=lambda x: x.weight_g)
        line.received_weight_g = line.accepted_weight_g = (
            line.weight_g * (1000 - rng.randint(60, 120)) // 1000
        )
        note = "复磅重量与联单填写重量不符，差异超过5%，按实际过磅重量接受"
    elif receipt.incident == REVISION:
        note = "移出人按估算重量填报，按实际过磅重量接受"
    elif receipt.incident == REFUSED_RETURNED:
        action, note = Action.REFUSE, "包装桶破损渗漏，拒收，退回移出人"
        for line in manifest.lines:
            line.accepted_weight_g = 0
            returned[line.position] = [lot for lot in lots if lot.code == line.code]
        observed[1] = DAMAGED
    elif receipt.incident == PARTIAL_ACCEPTANCE:
        action, note = Action.ACCEPT_PARTIALLY, "1件包装破损，该件退回移出人，其余接受"
        line = max(manifest.lines, key=lambda x: len(x.containers))
        refused = next(lot for lot in reversed(lots) if lot.code == line.code)
        line.accepted_weight_g = (line.received_weight_g or 0) - refused.quantity_g
        returned[line.position] = [refused]
        observed[line.position] = DAMAGED
    _findings(manifest, observed, note, decided)
    sign(manifest, action, RECEIVER, manifest.receiver, decided)
    received: dict[int, int] = {}
    for line in manifest.lines:
        if line.accepted_weight_g:
            received[line.position] = book.event(
                owner=manifest.receiver,
                facility=manifest.receiver_facility,
                kind=RECEIVE,
                at=decided,
                code=line.code,
                quantity_g=line.accepted_weight_g,
                handled_by=receipt.staff[0],
                manifest=manifest.ref,
            )
    if returned:
        _send_back(book, manifest, receipt, returned, decided)
    if receipt.incident == REVISION:
        return Decision(received, _revise(book, manifest, decided, calendar))
    return Decision(received, decided)


def _findings(manifest: ManifestPlan, observed: dict[int, str], note: str, when: datetime) -> None:
    """What the receiver records as differing from the manifest, by the rule of 第十八条."""
    for line in manifest.lines:
        declared = LineFacts("", "", line.physical_form, line.packaging, line.weight_g)
        seen = LineFacts(
            "",
            "",
            line.physical_form,
            observed.get(line.position, line.packaging),
            line.received_weight_g or 0,
        )
        for finding in line_findings(declared, seen, tolerance=WEIGHT_TOLERANCE):
            manifest.discrepancies.append(
                DiscrepancyPlan(
                    line.position, finding.field, finding.declared, finding.observed, note, when
                )
            )


def _send_back(
    book: YearBook,
    manifest: ManifestPlan,
    receipt: Receipt,
    returned: dict[int, list[Lot]],
    decided: datetime,
) -> None:
    """The carrier takes refused waste back; the shipper receives it (one receipt per line, as
    the return step records it) and stores it again, to send it once repacked."""
    rng = book.rng
    leg = manifest.legs[-1]
    started = decided + timedelta(minutes=rng.randint(60, 180))
    sign(manifest, Action.START_RETURN, CARRIER, leg.carrier, started, position=leg.position)
    back = started + timedelta(minutes=rng.randint(120, 240))
    sign(manifest, Action.CONFIRM_RETURN, SHIPPER, manifest.shipper, back)
    for position, lots in returned.items():
        line = manifest.lines[position - 1]
        grams = (line.received_weight_g or 0) - (line.accepted_weight_g or 0)
        containers = tuple(c for lot in lots for c in lot.containers)
        count = sum(lot.container_count for lot in lots)
        received = book.event(
            owner=manifest.shipper,
            facility=manifest.shipper_facility,
            kind=RECEIVE,
            at=back,
            code=line.code,
            quantity_g=grams,
            handled_by=receipt.shipper_staff[0],
            manifest=manifest.ref,
        )
        stored_at = back + timedelta(minutes=rng.randint(20, 60))
        stored = book.event(
            owner=manifest.shipper,
            facility=manifest.shipper_facility,
            kind=STORE_IN,
            at=stored_at,
            code=line.code,
            quantity_g=grams,
            handled_by=receipt.shipper_staff[1],
            source=received,
            container=containers[0] if len(containers) == 1 else None,
            container_type=line.packaging,
            container_count=count,
        )
        book.lots[manifest.shipper].append(
            replace(
                lots[0],
                event=stored,
                quantity_g=grams,
                ready_at=stored_at + timedelta(days=7),  # repacked before it is sent again
                containers=containers,
                container_count=count,
            )
        )


def _revise(
    book: YearBook, manifest: ManifestPlan, decided: datetime, calendar: WorkdayCalendar
) -> datetime:
    """The shipper corrects the estimated weight to the weighed one; every signer approves."""
    rng = book.rng
    line = manifest.lines[0]
    requested = decision_time(1, rng.randint(0, 6 * 60), calendar, decided)
    approvals = [(manifest.shipper, requested)]
    when = requested
    signers = [leg.carrier for leg in manifest.legs] + [manifest.receiver]
    for organisation in dict.fromkeys(signers):
        when = when + timedelta(minutes=rng.randint(30, 24 * 60))
        approvals.append((organisation, when))
    line.corrected_weight_g = line.received_weight_g
    manifest.revision = RevisionPlan(
        requested_by=manifest.shipper,
        reason="移出人按估算重量填报，接受人过磅后更正为实际重量",
        weights=((line.position, line.received_weight_g or 0),),
        requested_at=requested,
        approvals=tuple(approvals),
        applied_at=when,
    )
    manifest.version = 2
    return when


def treat(book: YearBook, manifest: ManifestPlan, receipt: Receipt, decision: Decision) -> None:
    """B.4 of each accepted line at the plant, then the treatment step of the manifest."""
    rng = book.rng
    after = decision.settled_at
    if receipt.medical:
        done = after + timedelta(hours=rng.randint(2, 30))
    else:
        day: date = after.date() + timedelta(days=rng.randint(3, 35))
        done = max(at(day, 10 * 60 + rng.randint(0, 8 * 60)), after + timedelta(hours=2))
    for line in manifest.lines:
        if line.position not in decision.received:
            continue
        line.treated_weight_g = line.accepted_weight_g
        started = done - timedelta(minutes=rng.randint(60, 360))
        book.event(
            owner=manifest.receiver,
            facility=manifest.receiver_facility,
            kind=TREAT_IN_HOUSE,
            at=max(started, after + timedelta(minutes=10)),
            code=line.code,
            quantity_g=line.accepted_weight_g or 0,
            handled_by=receipt.staff[1],
            source=decision.received[line.position],
            container_type=line.packaging,
            container_count=line.container_count,
            method=line.method,
            finished_at=done,
        )
    sign(
        manifest, Action.RECORD_TREATMENT, RECEIVER, manifest.receiver, done + timedelta(minutes=20)
    )
