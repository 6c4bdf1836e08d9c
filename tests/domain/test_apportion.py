"""Exact apportionment: parts are integers, proportional, and add up to the whole."""

from __future__ import annotations

import pytest

from wufei.domain.apportion import apportion


def test_parts_add_up_exactly():
    # By hand: 7 300 000 × w / 502 = 4 362 549.80, 654 382.47, 2 181 274.90, 101 792.83; the
    # floors leave 3 units for the remainders .90, .83 and .80.
    parts = apportion(7_300_000, [300, 45, 150, 7])
    assert parts == [4_362_550, 654_382, 2_181_275, 101_793]
    assert sum(parts) == 7_300_000


def test_leftover_goes_to_largest_remainders_then_first():
    # 10 / 3 each = 3.33…: one unit left over, the first part takes it.
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    # 2:1 of 10 = 6.67 and 3.33: the larger remainder takes the unit.
    assert apportion(10, [2, 1]) == [7, 3]


def test_zero_weight_gets_nothing():
    assert apportion(5, [0, 1, 0, 1]) == [0, 3, 0, 2]
    assert apportion(0, [0, 0]) == [0, 0]


@pytest.mark.parametrize(("total", "weights"), [(-1, [1]), (1, [-1, 2]), (1, [0, 0])])
def test_refuses_what_cannot_be_split(total, weights):
    with pytest.raises(ValueError):
        apportion(total, weights)
