"""The shape of a demo year: plain, frozen dataclasses with no Django in them.

`demo_events.year_events_plan` turns a `DistrictPlan` into a `YearPlan` — containers, ledger
events (HJ 1259-2022 appendix B), transfer manifests with their lines, carriers, signed steps,
discrepancies and revisions, and the problems seeded on purpose — so a year can be planned,
compared and tested without a database, and written in bulk afterwards. Organisations are
named by their key in the district plan (P0001, H0001, S01 …), facilities by their code
within the organisation, and everything the year creates by its index (`ref`) in the list that
holds it. Masses are integer grams; times are aware datetimes in China Standard Time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

CST = ZoneInfo("Asia/Shanghai")

# Ledger event kinds (the values of wufei.ledger.models.EventKind).
GENERATE = "generate"
STORE_IN = "store_in"
STORE_OUT = "store_out"
TREAT_IN_HOUSE = "treat_in_house"
HAND_OVER = "hand_over"
RECEIVE = "receive"

# Parties and the signing roles of their people.
SHIPPER = "shipper"
CARRIER = "carrier"
RECEIVER = "receiver"
RELAY = "relay"  # where one carrier hands a load to the next (第十七条)
STAFF = "staff"  # an office member of the organisation
DRIVER = "driver"  # a driver of a carrier: signs the transport steps only

# Seeded problems (DemoIncident.kind).
LATE_RECEIPT = "late_receipt"
WEIGHT_DISCREPANCY = "weight_discrepancy"
OVERDUE_STORAGE = "overdue_storage"
REFUSED_RETURNED = "refused_returned"
PARTIAL_ACCEPTANCE = "partial_acceptance"
REVISION = "revision"
CANCELLED = "cancelled"
INCIDENT_KINDS = (
    LATE_RECEIPT,
    WEIGHT_DISCREPANCY,
    OVERDUE_STORAGE,
    REFUSED_RETURNED,
    PARTIAL_ACCEPTANCE,
    REVISION,
    CANCELLED,
)


@dataclass(frozen=True, slots=True)
class ContainerPlan:
    """One labelled container (HJ 1276-2022): its code is built from these fields."""

    ref: int
    owner: str
    code: str  # waste code of the national list
    generated_on: date
    sequence: int  # per owner, code and day, from 1
    container_type: str
    volume_l: int


@dataclass(frozen=True, slots=True)
class EventPlan:
    """One ledger event (appendix B table B.1–B.5, or a receipt from a transfer)."""

    ref: int
    owner: str
    facility: str
    kind: str
    batch_code: str
    at: datetime
    code: str
    quantity_g: int
    handled_by: str
    source: int | None = None  # ref of the event the waste is taken from
    container: int | None = None
    container_type: str = ""
    container_count: int = 0
    manifest: int | None = None
    method: str | None = None
    receiver: str | None = None
    finished_at: datetime | None = None
    destination: str = ""
    second_handler: str = ""


@dataclass(slots=True)
class LinePlan:
    """A manifest line: one waste code of one trip."""

    position: int
    code: str
    physical_form: str
    packaging: str
    containers: tuple[int, ...]  # container refs
    container_count: int
    weight_g: int  # as declared when the shipper signed (version 1)
    method: str
    corrected_weight_g: int | None = None  # set by an applied revision (version 2)
    received_weight_g: int | None = None
    accepted_weight_g: int | None = None
    treated_weight_g: int | None = None


@dataclass(frozen=True, slots=True)
class LegPlan:
    """A carrier of a manifest, in order, with the vehicle it drives."""

    position: int
    carrier: str
    plate: str
    origin: str  # organisation key, or RELAY for the hand-over point between carriers
    destination: str
    picked_up_at: datetime | None  # None: cancelled before pick-up
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class StepPlan:
    """A signed step; replaying the steps through `manifest_flow.transition` gives the status."""

    action: str  # a manifest_flow.Action value
    party: str
    organisation: str
    role: str  # STAFF or DRIVER: whose account signs
    at: datetime
    version: int = 1
    carrier_position: int | None = None


@dataclass(frozen=True, slots=True)
class DiscrepancyPlan:
    """名称、数量、特性、形态、包装方式与联单不符 (第十八条), as the receiver recorded it."""

    line: int  # position
    field: str
    declared: str
    observed: str
    note: str
    at: datetime


@dataclass(frozen=True, slots=True)
class RevisionPlan:
    """A correction after signature: a signed manifest is never edited, so every party that had
    signed approves the corrected content and both versions stay (issue 3; 第十二条 接受量)."""

    requested_by: str  # organisation key (the shipper)
    reason: str
    weights: tuple[tuple[int, int], ...]  # (line position, corrected grams)
    requested_at: datetime
    approvals: tuple[tuple[str, datetime], ...]  # (organisation key, decided at)
    applied_at: datetime


@dataclass(slots=True)
class ManifestPlan:
    ref: int
    sequence: int  # running number within the year's numbering, 1-based, by creation time
    doc_type: str  # hazardous or medical
    shipper: str
    shipper_facility: str
    receiver: str
    receiver_facility: str
    planned_on: date
    created_at: datetime
    lines: list[LinePlan]
    legs: list[LegPlan]
    steps: list[StepPlan] = field(default_factory=list)
    discrepancies: list[DiscrepancyPlan] = field(default_factory=list)
    revision: RevisionPlan | None = None
    approval: int | None = None  # ref of a cross-province approval
    status: str = "draft"
    return_status: str = "none"
    version: int = 1
    receipt_due_on: date | None = None

    def step_at(self, action: str) -> datetime | None:
        return next((s.at for s in self.steps if s.action == action), None)


@dataclass(frozen=True, slots=True)
class ApprovalItemPlan:
    code: str
    approved_g: int
    method: str


@dataclass(frozen=True, slots=True)
class ApprovalPlan:
    """跨省转移审批 (第二十一条): one per shipper and out-of-province receiver, 12 months."""

    ref: int
    number: str
    shipper: str
    receiver: str
    issued_by: str
    valid_from: date
    valid_until: date
    items: tuple[ApprovalItemPlan, ...]


@dataclass(frozen=True, slots=True)
class IncidentPlan:
    """A real-world problem seeded on purpose, for the warnings of later issues to find."""

    kind: str
    organisation: str  # the party at fault, or that holds the waste
    rule: str  # the regulation that the problem concerns
    description: str
    manifest: int | None = None
    event: int | None = None


@dataclass(frozen=True, slots=True)
class YearPlan:
    year: int
    seed: int
    staff: dict[str, tuple[str, str]]  # organisation key → two persons responsible
    drivers: dict[str, str]  # carrier key → the driver who signs its transport steps
    containers: tuple[ContainerPlan, ...]
    events: tuple[EventPlan, ...]
    manifests: tuple[ManifestPlan, ...]
    approvals: tuple[ApprovalPlan, ...]
    incidents: tuple[IncidentPlan, ...]

    def events_of(self, kind: str) -> list[EventPlan]:
        return [e for e in self.events if e.kind == kind]
