"""The transfer manifest's state machine (危险废物转移管理办法, 部令第23号).

A manifest moves DRAFT → READY (shipper signs, 第十条) → IN_TRANSIT (each carrier signs on
pick-up, in order, 第十一条/第十七条) → ARRIVED (the last carrier delivers, 第十一条) → ACCEPTED,
PARTIALLY_ACCEPTED or REFUSED (the receiver verifies and decides, 第十二条/第十八条) → TREATED
(the receiver records the utilisation/disposal, 第十二条). Refused waste — all of it, or the
refused part of a partial acceptance — follows a return path tracked beside the main status:
PENDING → IN_TRANSIT (a carrier takes it back) → RETURNED (the shipper confirms). Cancellation is
allowed only before pick-up.

This module knows nothing of Django: it decides whether an action by an actor is allowed in a
state and what the next state is. Every refusal names the rule that refused it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    READY = "ready"
    IN_TRANSIT = "in_transit"
    ARRIVED = "arrived"
    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REFUSED = "refused"
    TREATED = "treated"
    CANCELLED = "cancelled"


class ReturnStatus(StrEnum):
    NONE = "none"
    PENDING = "pending"
    IN_TRANSIT = "in_transit"
    RETURNED = "returned"


class Party(StrEnum):
    SHIPPER = "shipper"
    CARRIER = "carrier"
    RECEIVER = "receiver"


class Action(StrEnum):
    EDIT = "edit"
    SIGN_SHIPPER = "sign_shipper"
    CANCEL = "cancel"
    SIGN_PICKUP = "sign_pickup"
    SIGN_DELIVERY = "sign_delivery"
    ACCEPT = "accept"
    ACCEPT_PARTIALLY = "accept_partially"
    REFUSE = "refuse"
    RECORD_TREATMENT = "record_treatment"
    START_RETURN = "start_return"
    CONFIRM_RETURN = "confirm_return"
    REQUEST_REVISION = "request_revision"


TRANSPORT_ACTIONS = frozenset({Action.SIGN_PICKUP, Action.SIGN_DELIVERY, Action.START_RETURN})
SIGNED_STATES = frozenset(Status) - {Status.DRAFT, Status.CANCELLED}


@dataclass(frozen=True)
class Actor:
    party: Party
    carrier_position: int | None = None  # 1-based order among the carriers
    is_driver: bool = False


@dataclass(frozen=True)
class Snapshot:
    status: Status
    carriers_total: int
    carriers_signed: int = 0
    return_status: ReturnStatus = ReturnStatus.NONE

    @property
    def is_closed(self) -> bool:
        """Nothing more can happen but a revision: treated or refused, and any return done."""
        main_done = self.status in (Status.TREATED, Status.REFUSED, Status.CANCELLED)
        return main_done and self.return_status in (ReturnStatus.NONE, ReturnStatus.RETURNED)


class TransitionRefused(Exception):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def _need(condition: bool, rule: str, message: str) -> None:
    if not condition:
        raise TransitionRefused(rule, message)


def _need_party(actor: Actor, party: Party, action: Action) -> None:
    _need(actor.party == party, "party", f"only the {party.value} may {action.value}")


def transition(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    """The state after `actor` performs `action`, or TransitionRefused naming the rule."""
    _need(
        not actor.is_driver or action in TRANSPORT_ACTIONS,
        "driver_scope",
        "a driver may sign only the transport steps",
    )
    handler = _HANDLERS.get(action)
    if handler is None:  # pragma: no cover - every Action has a handler
        raise TransitionRefused("unknown_action", f"unknown action {action}")
    return handler(state, action, actor)


def _edit(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need_party(actor, Party.SHIPPER, action)
    _need(
        state.status == Status.DRAFT,
        "signed_is_final",
        "a signed manifest is never edited: request a revision instead",
    )
    return state


def _sign_shipper(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need_party(actor, Party.SHIPPER, action)
    _need(state.status == Status.DRAFT, "state", "only a draft can be signed by the shipper")
    _need(state.carriers_total >= 1, "carrier_required", "a manifest needs at least one carrier")
    return replace(state, status=Status.READY)


def _cancel(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need_party(actor, Party.SHIPPER, action)
    _need(
        state.status in (Status.DRAFT, Status.READY),
        "cancel_before_pickup",
        "a manifest can be cancelled only before the carrier picks the waste up",
    )
    return replace(state, status=Status.CANCELLED)


def _sign_pickup(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need_party(actor, Party.CARRIER, action)
    expected = Status.READY if state.carriers_signed == 0 else Status.IN_TRANSIT
    _need(
        state.status == expected,
        "state",
        "pick-up is signed after the shipper has signed and before delivery",
    )
    _need(
        state.carriers_signed < state.carriers_total
        and actor.carrier_position == state.carriers_signed + 1,
        "carrier_order",
        "carriers sign in their order; the previous carrier hands over first (第十七条)",
    )
    return replace(state, status=Status.IN_TRANSIT, carriers_signed=state.carriers_signed + 1)


def _sign_delivery(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need_party(actor, Party.CARRIER, action)
    _need(state.status == Status.IN_TRANSIT, "state", "only waste in transit can be delivered")
    _need(
        state.carriers_signed == state.carriers_total
        and actor.carrier_position == state.carriers_total,
        "carrier_order",
        "the last carrier delivers to the receiver (第十一条)",
    )
    return replace(state, status=Status.ARRIVED)


def _decide(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need_party(actor, Party.RECEIVER, action)
    _need(state.status == Status.ARRIVED, "state", "the receiver decides after arrival (第十八条)")
    if action == Action.ACCEPT:
        return replace(state, status=Status.ACCEPTED)
    if action == Action.ACCEPT_PARTIALLY:
        return replace(state, status=Status.PARTIALLY_ACCEPTED, return_status=ReturnStatus.PENDING)
    return replace(state, status=Status.REFUSED, return_status=ReturnStatus.PENDING)


def _record_treatment(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need_party(actor, Party.RECEIVER, action)
    _need(
        state.status in (Status.ACCEPTED, Status.PARTIALLY_ACCEPTED),
        "state",
        "treatment is recorded for accepted waste (第十二条)",
    )
    return replace(state, status=Status.TREATED)


def _start_return(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need_party(actor, Party.CARRIER, action)
    _need(
        state.return_status == ReturnStatus.PENDING,
        "state",
        "only refused waste awaiting return can be taken back",
    )
    return replace(state, return_status=ReturnStatus.IN_TRANSIT)


def _confirm_return(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need_party(actor, Party.SHIPPER, action)
    _need(
        state.return_status == ReturnStatus.IN_TRANSIT,
        "state",
        "the shipper confirms a return that is on its way back",
    )
    return replace(state, return_status=ReturnStatus.RETURNED)


def _request_revision(state: Snapshot, action: Action, actor: Actor) -> Snapshot:
    _need(
        state.status in SIGNED_STATES,
        "revision_needs_signature",
        "a draft is edited directly; a cancelled manifest cannot be revised",
    )
    return state


_HANDLERS = {
    Action.EDIT: _edit,
    Action.SIGN_SHIPPER: _sign_shipper,
    Action.CANCEL: _cancel,
    Action.SIGN_PICKUP: _sign_pickup,
    Action.SIGN_DELIVERY: _sign_delivery,
    Action.ACCEPT: _decide,
    Action.ACCEPT_PARTIALLY: _decide,
    Action.REFUSE: _decide,
    Action.RECORD_TREATMENT: _record_treatment,
    Action.START_RETURN: _start_return,
    Action.CONFIRM_RETURN: _confirm_return,
    Action.REQUEST_REVISION: _request_revision,
}


def allowed_actions(state: Snapshot, actor: Actor) -> list[Action]:
    """The actions `actor` may take now: what the signing page offers."""
    allowed = []
    for action in Action:
        try:
            transition(state, action, actor)
        except TransitionRefused:
            continue
        allowed.append(action)
    return allowed
