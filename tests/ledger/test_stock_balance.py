"""Stock derived from events and the mass balance: closes exactly, per facility and unit."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.ledger import ledger_world as lw
from wufei.accounts.viewer import viewer_for
from wufei.core.errors import NotFound
from wufei.ledger.models import Container, EventKind, LedgerEvent
from wufei.ledger.selectors import (
    container_current_event,
    event_remaining_g,
    mass_balance,
    stock_by_facility,
)

KG = lw.KG
G, SI, SO, TR, HO, RC = (
    EventKind.GENERATE,
    EventKind.STORE_IN,
    EventKind.STORE_OUT,
    EventKind.TREAT_IN_HOUSE,
    EventKind.HAND_OVER,
    EventKind.RECEIVE,
)


@pytest.fixture
def w(db):
    return lw.build_world()


def _stock(w, at=None):
    rows = stock_by_facility(viewer=viewer_for(w.alice), organisation=w.prod, at=at)
    return {(r.facility.code, r.waste_code.code): r.grams for r in rows}


def test_stock_follows_the_batches(w) -> None:
    gen = lw.record(w, G, quantity_g=300 * KG, occurred_at=lw.days_ago(10))
    stored = lw.record(w, SI, source=gen, quantity_g=250 * KG, occurred_at=lw.days_ago(9))
    out = lw.record(w, SO, source=stored, quantity_g=100 * KG, occurred_at=lw.days_ago(5))
    lw.record(w, TR, source=out, quantity_g=60 * KG, occurred_at=lw.days_ago(4))
    lw.record(w, RC, quantity_g=7 * KG, occurred_at=lw.days_ago(3))  # returned waste
    assert _stock(w) == {
        ("A-GEN", "900-249-08"): 50 * KG,  # generated, not yet stored
        ("A-STORE", "900-249-08"): 150 * KG + 40 * KG + 7 * KG,  # stored, out-not-treated, received
    }
    assert _stock(w, at=lw.days_ago(6)) == {
        ("A-GEN", "900-249-08"): 50 * KG,
        ("A-STORE", "900-249-08"): 250 * KG,
    }
    assert _stock(w, at=lw.days_ago(20)) == {}


def test_the_balance_of_a_period_closes_and_matches_a_hand_count(w) -> None:
    # Before the period: 100 kg generated and stored.
    g0 = lw.record(w, G, quantity_g=100 * KG, occurred_at=lw.days_ago(40))
    s0 = lw.record(w, SI, source=g0, quantity_g=100 * KG, occurred_at=lw.days_ago(39))
    # In the period (last 30 days): generate 300, store 250 of it, take 180 out of store,
    # burn 80 in the kiln, hand 100 over, receive 20 back at the store.
    g1 = lw.record(w, G, quantity_g=300 * KG, occurred_at=lw.days_ago(20))
    s1 = lw.record(w, SI, source=g1, quantity_g=250 * KG, occurred_at=lw.days_ago(19))
    o1 = lw.record(w, SO, source=s0, quantity_g=100 * KG, occurred_at=lw.days_ago(15))
    o2 = lw.record(w, SO, source=s1, quantity_g=80 * KG, occurred_at=lw.days_ago(15))
    lw.record(w, TR, source=o2, quantity_g=80 * KG, occurred_at=lw.days_ago(14))
    lw.record(w, HO, source=o1, quantity_g=100 * KG, occurred_at=lw.days_ago(10))
    lw.record(w, RC, quantity_g=20 * KG, occurred_at=lw.days_ago(5))

    start, end = lw.days_ago(30), timezone.now()
    balance = mass_balance(viewer=viewer_for(w.reg108), organisation=w.prod, start=start, end=end)
    assert balance.closes
    rows = {(r.key[0].code, r.key[1].code): r for r in balance.rows}
    gen, store, kiln = (
        rows[("A-GEN", "900-249-08")],
        rows[("A-STORE", "900-249-08")],
        rows[("A-KILN", "900-249-08")],
    )
    assert (gen.opening, gen.generated, gen.moved_out, gen.closing) == (
        0,
        300 * KG,
        250 * KG,
        50 * KG,
    )
    assert (store.opening, store.moved_in, store.received) == (100 * KG, 250 * KG, 20 * KG)
    assert (store.handed_over, store.moved_out, store.closing) == (100 * KG, 80 * KG, 190 * KG)
    assert (kiln.moved_in, kiln.treated, kiln.closing) == (80 * KG, 80 * KG, 0)
    for row in balance.rows:
        assert row.closing == row.closing_by_flows  # derived stock = flows, to the gram
    (unit,) = balance.totals
    # 期初 100 + 产生 300 + 接收 20 = 自行利用处置 80 + 委外 100 + 期末 240
    assert (unit.opening, unit.generated, unit.received) == (100 * KG, 300 * KG, 20 * KG)
    assert (unit.treated, unit.handed_over, unit.closing) == (80 * KG, 100 * KG, 240 * KG)
    assert unit.moved_in == unit.moved_out  # moves cancel over the unit
    assert unit.opening + unit.generated + unit.received == 420 * KG
    assert unit.treated + unit.handed_over + unit.closing == 420 * KG


def test_random_ledgers_balance_in_every_period(w) -> None:
    """A month of random valid steps, odd gram amounts: every period balances, and one
    period's closing stock is the next one's opening."""
    rng = random.Random(1259)
    start = lw.days_ago(31)
    for hour in range(0, 30 * 24, 7):
        moment = start + timedelta(hours=hour)
        code = rng.choice([w.oil, w.rags])
        holders = [
            e
            for e in LedgerEvent.objects.filter(organisation=w.prod, waste_code=code)
            if event_remaining_g(e) > 0
        ]
        step = rng.choice([G, G, SI, SO, TR, HO])
        if step == G or not holders:
            lw.record(
                w, G, waste_code=code, quantity_g=rng.randint(1, 90_000_001), occurred_at=moment
            )
            continue
        allowed = {SI: (G, RC), SO: (SI,), TR: (G, SO), HO: (G, SO)}[step]
        sources = [e for e in holders if e.kind in allowed]
        if not sources:
            continue
        source = rng.choice(sources)
        grams = rng.randint(1, event_remaining_g(source))
        extra = {"facility": source.facility} if step in (SO, HO) else {}
        lw.record(
            w, step, source=source, waste_code=code, quantity_g=grams, occurred_at=moment, **extra
        )
    viewer = viewer_for(w.admin)
    cut = start + timedelta(days=13, hours=5)
    first = mass_balance(viewer=viewer, organisation=w.prod, start=start, end=cut)
    second = mass_balance(viewer=viewer, organisation=w.prod, start=cut, end=timezone.now())
    whole = mass_balance(viewer=viewer, organisation=w.prod, start=start, end=timezone.now())
    for balance in (first, second, whole):
        assert balance.rows and balance.closes
        assert all(r.closing == r.closing_by_flows for r in balance.rows)
    closing = {r.key: r.closing for r in first.totals}
    opening = {r.key: r.opening for r in second.totals}
    assert {k: v for k, v in closing.items() if v} == {k: v for k, v in opening.items() if v}
    for total in whole.totals:
        assert total.moved_in == total.moved_out  # moves cancel over the unit
        assert total.opening == 0


def test_stock_and_balance_of_an_invisible_unit_are_not_found(w) -> None:
    for user in (w.bob, w.reg106, w.nobody):
        with pytest.raises(NotFound):
            stock_by_facility(viewer=viewer_for(user), organisation=w.prod)
        with pytest.raises(NotFound):
            mass_balance(
                viewer=viewer_for(user),
                organisation=w.prod,
                start=lw.days_ago(5),
                end=timezone.now(),
            )


def test_the_event_holding_a_container_now(w) -> None:
    drum = Container.objects.create(
        organisation=w.prod,
        code="C-9",
        waste_code=w.oil,
        generated_on=timezone.localdate(),
        sequence=9,
        container_type="铁桶",
        volume_l=Decimal("200.0"),
    )
    assert container_current_event(drum) is None
    gen = lw.record(w, G, container=drum, occurred_at=lw.days_ago(6))
    assert container_current_event(drum) == gen
    stored = lw.record(w, SI, source=gen, occurred_at=lw.days_ago(5))  # container not named
    assert container_current_event(drum) == stored  # followed through the batch that took it
    lw.record(w, HO, source=stored, container=drum, occurred_at=lw.days_ago(1))
    assert container_current_event(drum) is None  # handed over: gone from this ledger
