"""Exact apportionment of a whole among weighted parts (largest-remainder method).

Demo quantities must add up to a district's published totals to the gram, so a total is split
in integer units (e.g. kilograms) and the leftover units go to the largest fractional remainders;
ties go to the earlier part, which keeps the result deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split the integer `total` in proportion to non-negative integer `weights`.

    The parts are integers that sum to `total` exactly. A part whose weight is zero gets zero.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        if total == 0:
            return [0] * len(weights)
        raise ValueError("cannot apportion a positive total among zero weights")
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    leftover = total - sum(floors)
    # Largest remainder first; the index breaks ties so that equal inputs give equal outputs.
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:leftover]:
        floors[i] += 1
    return floors
