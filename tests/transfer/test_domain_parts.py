"""The plain parts of the transfer engine: discrepancies, decisions, revisions, approval validity,
and the translation of every refusal of the state machine."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import wufei.domain.manifest_flow as flow
from wufei.domain.manifest_receipt import (
    Decision,
    DecisionInconsistent,
    LineFacts,
    decision_check,
    line_findings,
    weight_differs,
)
from wufei.domain.manifest_revision import RevisionInvalid, revision_apply, revision_check
from wufei.domain.transfer_approval import approval_last_day, twelve_months_after
from wufei.transfer.refusals import MESSAGES

DECLARED = LineFacts("废矿物油", "T,I", "液态", "铁桶", 100_000)


@pytest.mark.parametrize(
    ("observed", "tolerance", "expected"),
    [
        (105_000, Decimal("0.05"), False),  # exactly at the tolerance
        (105_001, Decimal("0.05"), True),
        (94_999, Decimal("0.05"), True),
        (100_000, Decimal("0"), False),
        (100_001, Decimal("0"), True),
    ],
)
def test_weight_tolerance_is_exact(observed, tolerance, expected):
    assert weight_differs(100_000, observed, tolerance) is expected


def test_findings_compare_normalised_text_and_characteristic_sets():
    same = LineFacts(" 废矿物油 ", "I，T", "液态", "铁桶", 101_000)
    assert line_findings(DECLARED, same, tolerance=Decimal("0.05")) == []
    other = LineFacts("废油", "T", "固态", "吨袋", 50_000)
    fields = [f.field for f in line_findings(DECLARED, other, tolerance=Decimal("0.05"))]
    assert fields == ["name", "quantity", "characteristics", "form", "packaging"]


@pytest.mark.parametrize(
    ("decision", "received", "accepted", "ok"),
    [
        (Decision.ACCEPT, [5, 7], [5, 7], True),
        (Decision.ACCEPT, [5, 7], [5, 6], False),
        (Decision.REFUSE, [5, 7], [0, 0], True),
        (Decision.REFUSE, [5, 7], [0, 1], False),
        (Decision.PARTIAL, [5, 7], [5, 0], True),
        (Decision.PARTIAL, [5, 7], [5, 7], False),
        (Decision.PARTIAL, [5, 7], [0, 0], False),
        (Decision.ACCEPT, [5], [6], False),
    ],
)
def test_the_decision_agrees_with_the_weights(decision, received, accepted, ok):
    if ok:
        decision_check(decision, received, accepted)
    else:
        with pytest.raises(DecisionInconsistent):
            decision_check(decision, received, accepted)


def test_a_revision_changes_only_revisable_fields():
    content: dict[str, Any] = {
        "planned_on": "2026-01-02",
        "lines": [{"position": 1, "weight_g": 5}],
        "x": 1,
    }
    changes = {"planned_on": "2026-01-03", "lines": {"1": {"weight_g": 7, "packaging": "桶"}}}
    revision_check(changes, line_positions={1})
    after = revision_apply(content, changes)
    assert after["lines"][0] == {"position": 1, "weight_g": 7, "packaging": "桶"}
    assert content["lines"][0] == {"position": 1, "weight_g": 5}  # untouched
    for bad in ({"x": 1}, {"planned_on": "soon"}, {"lines": {"1": {"weight_g": True}}}, {}):
        with pytest.raises(RevisionInvalid):
            revision_check(bad, line_positions={1})


def test_an_approval_lasts_twelve_months_at_most_and_not_beyond_the_licence():
    assert twelve_months_after(date(2025, 3, 1)) == date(2026, 2, 28)
    assert twelve_months_after(date(2024, 2, 29)) == date(2025, 2, 28)
    start = date(2025, 3, 1)
    assert approval_last_day(start, date(2027, 1, 1), licence_until=None) == date(2026, 2, 28)
    assert approval_last_day(start, date(2025, 6, 1), licence_until=None) == date(2025, 6, 1)
    assert approval_last_day(start, date(2026, 1, 1), licence_until=date(2025, 5, 1)) == date(
        2025, 5, 1
    )


def _flow_messages() -> set[str]:
    tree = ast.parse(Path(flow.__file__).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_need":
            message = node.args[2]
            if isinstance(message, ast.Constant) and isinstance(message.value, str):
                found.add(message.value)
    return found


def test_every_refusal_of_the_state_machine_has_a_translated_message():
    assert _flow_messages() - set(MESSAGES) == set()
