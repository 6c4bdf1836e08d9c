"""The manifest state machine: the lawful path works, and no random sequence of actions by
any party ever reaches an illegal state."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wufei.domain.manifest_flow import (
    Action,
    Actor,
    Party,
    ReturnStatus,
    Snapshot,
    Status,
    TransitionRefused,
    allowed_actions,
    transition,
)

SHIPPER = Actor(Party.SHIPPER)
RECEIVER = Actor(Party.RECEIVER)


def carrier(n: int, driver: bool = False) -> Actor:
    return Actor(Party.CARRIER, carrier_position=n, is_driver=driver)


def run(state: Snapshot, *steps: tuple[Action, Actor]) -> Snapshot:
    for action, actor in steps:
        state = transition(state, action, actor)
    return state


def test_full_lawful_path_with_two_carriers() -> None:
    state = run(
        Snapshot(Status.DRAFT, carriers_total=2),
        (Action.EDIT, SHIPPER),
        (Action.SIGN_SHIPPER, SHIPPER),
        (Action.SIGN_PICKUP, carrier(1, driver=True)),
        (Action.SIGN_PICKUP, carrier(2)),
        (Action.SIGN_DELIVERY, carrier(2, driver=True)),
        (Action.ACCEPT, RECEIVER),
        (Action.RECORD_TREATMENT, RECEIVER),
    )
    assert state.status == Status.TREATED and state.is_closed


def test_refusal_follows_the_return_path() -> None:
    state = run(
        Snapshot(Status.DRAFT, carriers_total=1),
        (Action.SIGN_SHIPPER, SHIPPER),
        (Action.SIGN_PICKUP, carrier(1)),
        (Action.SIGN_DELIVERY, carrier(1)),
        (Action.REFUSE, RECEIVER),
    )
    assert state.return_status == ReturnStatus.PENDING and not state.is_closed
    state = run(state, (Action.START_RETURN, carrier(1)), (Action.CONFIRM_RETURN, SHIPPER))
    assert state.is_closed


def test_partial_acceptance_needs_both_treatment_and_return() -> None:
    state = run(
        Snapshot(Status.DRAFT, carriers_total=1),
        (Action.SIGN_SHIPPER, SHIPPER),
        (Action.SIGN_PICKUP, carrier(1)),
        (Action.SIGN_DELIVERY, carrier(1)),
        (Action.ACCEPT_PARTIALLY, RECEIVER),
        (Action.RECORD_TREATMENT, RECEIVER),
    )
    assert state.status == Status.TREATED and not state.is_closed
    state = run(state, (Action.START_RETURN, carrier(1)), (Action.CONFIRM_RETURN, SHIPPER))
    assert state.is_closed


@pytest.mark.parametrize(
    ("state", "action", "actor", "rule"),
    [
        (Snapshot(Status.READY, 1), Action.EDIT, SHIPPER, "signed_is_final"),
        (Snapshot(Status.IN_TRANSIT, 1, 1), Action.CANCEL, SHIPPER, "cancel_before_pickup"),
        (Snapshot(Status.READY, 2), Action.SIGN_PICKUP, carrier(2), "carrier_order"),
        (Snapshot(Status.IN_TRANSIT, 2, 1), Action.SIGN_DELIVERY, carrier(1), "carrier_order"),
        (Snapshot(Status.ARRIVED, 1, 1), Action.ACCEPT, carrier(1, driver=True), "driver_scope"),
        (Snapshot(Status.ARRIVED, 1, 1), Action.ACCEPT, SHIPPER, "party"),
        (Snapshot(Status.DRAFT, 0), Action.SIGN_SHIPPER, SHIPPER, "carrier_required"),
        (Snapshot(Status.DRAFT, 1), Action.REQUEST_REVISION, SHIPPER, "revision_needs_signature"),
    ],
)
def test_each_refusal_names_its_rule(
    state: Snapshot, action: Action, actor: Actor, rule: str
) -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(state, action, actor)
    assert refused.value.rule == rule


ACTORS = st.one_of(
    st.just(SHIPPER),
    st.just(RECEIVER),
    st.builds(carrier, st.integers(min_value=1, max_value=3), st.booleans()),
)

# The states reachable from a draft, with the carrier signatures they imply.
PICKED_UP = {
    Status.IN_TRANSIT,
    Status.ARRIVED,
    Status.ACCEPTED,
    Status.PARTIALLY_ACCEPTED,
    Status.REFUSED,
    Status.TREATED,
}


@settings(max_examples=400, deadline=None)
@given(
    carriers=st.integers(min_value=1, max_value=3),
    steps=st.lists(st.tuples(st.sampled_from(list(Action)), ACTORS), max_size=25),
)
def test_no_action_sequence_reaches_an_illegal_state(
    carriers: int, steps: list[tuple[Action, Actor]]
) -> None:
    state = Snapshot(Status.DRAFT, carriers_total=carriers)
    history = [state.status]
    for action, actor in steps:
        try:
            new = transition(state, action, actor)
        except TransitionRefused:
            continue
        # Drivers only ever move the transport steps.
        assert (
            not actor.is_driver
            or new.status in (Status.IN_TRANSIT, Status.ARRIVED)
            or (new.return_status == ReturnStatus.IN_TRANSIT)
        )
        # Terminal states are terminal.
        assert state.status not in (Status.CANCELLED, Status.TREATED) or new.status == state.status
        # Cancelled only from before pick-up.
        if new.status == Status.CANCELLED and state.status != Status.CANCELLED:
            assert state.status in (Status.DRAFT, Status.READY)
        state = new
        history.append(state.status)
        assert 0 <= state.carriers_signed <= state.carriers_total
        if state.status in PICKED_UP:
            assert state.carriers_signed >= 1
        if state.status in (Status.ARRIVED, Status.ACCEPTED, Status.REFUSED, Status.TREATED):
            assert state.carriers_signed == state.carriers_total
        if state.return_status != ReturnStatus.NONE:
            assert Status.PARTIALLY_ACCEPTED in history or Status.REFUSED in history
    # Status only ever moves forward along the lawful order.
    order = [
        Status.DRAFT,
        Status.READY,
        Status.IN_TRANSIT,
        Status.ARRIVED,
        Status.ACCEPTED,
        Status.PARTIALLY_ACCEPTED,
        Status.REFUSED,
        Status.TREATED,
    ]
    ranks = [order.index(s) if s in order else 99 for s in history]
    assert ranks == sorted(ranks) or history[-1] == Status.CANCELLED


def test_allowed_actions_offers_what_the_signing_page_shows() -> None:
    ready = Snapshot(Status.READY, carriers_total=1)
    assert allowed_actions(ready, carrier(1, driver=True)) == [Action.SIGN_PICKUP]
    assert set(allowed_actions(ready, SHIPPER)) == {Action.CANCEL, Action.REQUEST_REVISION}
