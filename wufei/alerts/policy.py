"""The warning workflow's decisions, in plain Python (no Django) so they are tested directly.

Who may act on an alert at which escalation level, which state moves are allowed, when an
unacknowledged alert escalates by itself, and how configured thresholds override a rule's
defaults. The services and the engine apply these answers; they do not re-decide them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

# Mirrors of the model enums (the values stored in the database).
OPEN, ACKNOWLEDGED, CLOSED = "open", "acknowledged", "closed"
UNIT, UNIT_MANAGER, REGULATOR = 0, 1, 2
ACTING_ROLES = ("admin", "member")

# Hours an open, unacknowledged alert waits before it moves up one level; None = never.
DEFAULT_ESCALATE_AFTER_HOURS: Mapping[str, int | None] = {
    "critical": 4,
    "high": 24,
    "medium": 72,
    "low": None,
}

# Moves of the state machine: open → acknowledged → closed; closed is final.
_ALLOWED: Mapping[str, frozenset[str]] = {
    "acknowledge": frozenset({OPEN}),
    "note": frozenset({OPEN, ACKNOWLEDGED}),
    "escalate": frozenset({OPEN, ACKNOWLEDGED}),
    "close": frozenset({OPEN, ACKNOWLEDGED}),
}


def move_allowed(*, action: str, status: str) -> bool:
    """Whether `action` may be taken on an alert in `status`."""
    return status in _ALLOWED[action]


def next_level(level: int) -> int | None:
    """The level above `level`, or None at the top (the regulator)."""
    return level + 1 if level < REGULATOR else None


def refusal_to_act(
    *, is_admin: bool, regulates_region: bool, role: str | None, level: int
) -> str | None:
    """Why this party may not act on an alert at `level` (a reason code), or None if it may.

    Regulators of the alert's region (and platform administrators) act at any level. The
    organisation's admins and members act while it is with the unit; once escalated to the
    unit's manager only the organisation's admins do; once with the regulator, only regulators.
    Drivers and read-only members never act.
    """
    if is_admin or regulates_region:
        return None
    if role is None:
        return "not_a_party"
    if role not in ACTING_ROLES:
        return "role_cannot_act"
    if level >= REGULATOR:
        return "with_regulator"
    if level >= UNIT_MANAGER and role != "admin":
        return "with_unit_manager"
    return None


def escalation_due(
    *,
    severity: str,
    status: str,
    level: int,
    waiting_since: datetime,
    now: datetime,
    hours_by_severity: Mapping[str, int | None],
) -> bool:
    """Whether an alert moves up one level now: open (not acknowledged), below the top, and
    waiting at its current level for at least the hours configured for its severity."""
    if status != OPEN or next_level(level) is None:
        return False
    hours = hours_by_severity.get(severity)
    if hours is None:
        return False
    return now - waiting_since >= timedelta(hours=hours)


def effective_thresholds(
    defaults: Mapping[str, int | str], overrides: Mapping[str, object] | None
) -> dict[str, int | str]:
    """The rule's defaults, each replaced by a configured value of the same type if any.

    Unknown keys and values of the wrong type are ignored, so a stale setting can never
    feed a rule something it does not expect.
    """
    merged = dict(defaults)
    for name, default in defaults.items():
        value = (overrides or {}).get(name)
        same_kind = (
            isinstance(default, int) and isinstance(value, int) and not isinstance(value, bool)
        ) or (isinstance(default, str) and isinstance(value, str) and bool(value))
        if same_kind:
            merged[name] = value  # type: ignore[assignment]
    return merged


def threshold_problems(
    defaults: Mapping[str, int | str], proposed: Mapping[str, object]
) -> dict[str, str]:
    """Problems of a proposed threshold set, by key: same keys as the defaults, whole numbers
    ≥ 0 where the default is a number, non-empty text where it is text."""
    problems: dict[str, str] = {}
    for name in proposed:
        if name not in defaults:
            problems[name] = "unknown"
    for name, default in defaults.items():
        if name not in proposed:
            problems[name] = "missing"
            continue
        value = proposed[name]
        if isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems[name] = "not_whole_number"
        elif not isinstance(value, str) or not value.strip():
            problems[name] = "empty"
    return problems
