"""The balancing arithmetic against values computed by hand."""

from __future__ import annotations

from wufei.domain.ledger_balance import BalanceRow, balance_group, balance_rows, stock_from

STORE, GEN = "STORE", "GEN"
OIL, RAGS = "900-249-08", "900-041-49"


def test_a_period_of_a_small_unit_balances_by_hand() -> None:
    # By hand: GEN generated 300 kg of oil, 250 kg went to STORE, 50 kg stay at GEN.
    # STORE opened with 100 kg, received 250 from GEN, handed over 200 → closes with 150.
    rows = balance_rows(
        opening={(STORE, OIL): 100_000},
        closing={(STORE, OIL): 150_000, (GEN, OIL): 50_000},
        generated={(GEN, OIL): 300_000},
        received={},
        moved_in={(STORE, OIL): 250_000},
        treated={},
        handed_over={(STORE, OIL): 200_000},
        moved_out={(GEN, OIL): 250_000},
    )
    by_key = {row.key: row for row in rows}
    gen, store = by_key[(GEN, OIL)], by_key[(STORE, OIL)]
    assert gen.inflow == 300_000 and gen.outflow == 300_000 and gen.closes
    assert store.inflow == 350_000 and store.outflow == 350_000 and store.closes
    assert store.closing_by_flows == 150_000

    (unit,) = balance_group(rows, lambda key: key[1])
    assert unit.key == OIL
    # 期初 100 + 产生 300 + 接收 0 = 自行利用处置 0 + 委外 200 + 期末 200
    assert (unit.opening, unit.generated, unit.received) == (100_000, 300_000, 0)
    assert (unit.treated, unit.handed_over, unit.closing) == (0, 200_000, 200_000)
    assert unit.moved_in == unit.moved_out == 250_000
    assert unit.closes


def test_a_missing_gram_shows() -> None:
    row = BalanceRow(key="x", opening=5, generated=10, handed_over=4, closing=10)
    assert row.closing_by_flows == 11
    assert not row.closes


def test_rows_that_are_zero_throughout_are_left_out_and_sorted() -> None:
    rows = balance_rows(
        opening={(STORE, RAGS): 0, (STORE, OIL): 1},
        closing={(STORE, OIL): 1, (GEN, OIL): 0},
        generated={},
        received={},
        moved_in={},
        treated={},
        handed_over={},
        moved_out={},
    )
    assert [row.key for row in rows] == [(STORE, OIL)]


def test_stock_is_held_minus_taken() -> None:
    held = {(GEN, OIL): 300, (STORE, OIL): 250, (STORE, RAGS): 40}
    taken = {(GEN, OIL): 250, (STORE, OIL): 250, (GEN, RAGS): 5}
    assert stock_from(held, taken) == {(GEN, OIL): 50, (STORE, RAGS): 40, (GEN, RAGS): -5}
