"""The workflow decisions in plain Python, against hand-worked cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wufei.alerts import policy

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
HOURS = policy.DEFAULT_ESCALATE_AFTER_HOURS


@pytest.mark.parametrize(
    ("role", "level", "expected"),
    [
        ("admin", 0, None),
        ("member", 0, None),
        ("admin", 1, None),
        ("member", 1, "with_unit_manager"),
        ("admin", 2, "with_regulator"),
        ("driver", 0, "role_cannot_act"),
        ("readonly", 0, "role_cannot_act"),
        (None, 0, "not_a_party"),
    ],
)
def test_who_may_act_at_each_level(role: str | None, level: int, expected: str | None) -> None:
    assert (
        policy.refusal_to_act(is_admin=False, regulates_region=False, role=role, level=level)
        == expected
    )


def test_regulators_and_platform_admins_act_at_any_level() -> None:
    for level in (0, 1, 2):
        assert (
            policy.refusal_to_act(is_admin=False, regulates_region=True, role=None, level=level)
            is None
        )
        assert (
            policy.refusal_to_act(is_admin=True, regulates_region=False, role=None, level=level)
            is None
        )


def test_state_machine() -> None:
    assert policy.move_allowed(action="acknowledge", status="open")
    assert not policy.move_allowed(action="acknowledge", status="acknowledged")
    assert policy.move_allowed(action="close", status="acknowledged")
    assert policy.move_allowed(action="escalate", status="acknowledged")
    for action in ("acknowledge", "note", "escalate", "close"):
        assert not policy.move_allowed(action=action, status="closed")
    assert policy.next_level(0) == 1
    assert policy.next_level(2) is None


@pytest.mark.parametrize(
    ("severity", "status", "level", "waited", "due"),
    [
        ("critical", "open", 0, timedelta(hours=4), True),
        ("critical", "open", 0, timedelta(hours=3, minutes=59), False),
        ("high", "open", 1, timedelta(hours=24), True),
        ("medium", "open", 0, timedelta(hours=71), False),
        ("medium", "open", 0, timedelta(hours=72), True),
        ("low", "open", 0, timedelta(days=365), False),
        ("critical", "acknowledged", 0, timedelta(days=1), False),
        ("critical", "open", 2, timedelta(days=1), False),
    ],
)
def test_escalation_due(
    severity: str, status: str, level: int, waited: timedelta, due: bool
) -> None:
    assert (
        policy.escalation_due(
            severity=severity,
            status=status,
            level=level,
            waiting_since=NOW - waited,
            now=NOW,
            hours_by_severity=HOURS,
        )
        is due
    )


def test_effective_thresholds() -> None:
    defaults: dict[str, int | str] = {"days": 5, "unit": "t"}
    assert policy.effective_thresholds(defaults, None) == defaults
    assert policy.effective_thresholds(defaults, {"days": 0, "unit": "kg", "x": 1}) == {
        "days": 0,
        "unit": "kg",
    }
    assert policy.effective_thresholds(defaults, {"days": "7", "unit": ""}) == defaults
    assert policy.effective_thresholds(defaults, {"days": True}) == defaults


def test_threshold_problems() -> None:
    defaults: dict[str, int | str] = {"days": 5, "unit": "t"}
    assert policy.threshold_problems(defaults, {"days": 0, "unit": "kg"}) == {}
    assert policy.threshold_problems(defaults, {"days": -1, "unit": "kg"}) == {
        "days": "not_whole_number"
    }
    assert policy.threshold_problems(defaults, {"days": 1.5, "unit": " "}) == {
        "days": "not_whole_number",
        "unit": "empty",
    }
    assert policy.threshold_problems(defaults, {"days": 1, "extra": 2}) == {
        "extra": "unknown",
        "unit": "missing",
    }


def test_policy_is_plain_python() -> None:
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(policy))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.startswith("django")]
