"""Corrections of a signed manifest: which fields a revision may change, and the result.

After a signature nothing is edited; a correction is a revision request that every party that
has signed approves, and both versions stay visible. A revision may correct what a shipper can
get wrong on paper — a line's weight, name, form or packaging, the emergency measures and the
planned date — but never the parties, the waste codes or the signatures themselves.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

HEADER_FIELDS = frozenset({"planned_on", "emergency_measures"})
LINE_FIELDS = frozenset({"weight_g", "waste_name", "physical_form", "packaging"})


class RevisionInvalid(ValueError):
    """The proposed changes touch a field a revision may not change, or are malformed."""


def _check_line_change(position: str, fields: Any, positions: set[int]) -> None:
    if not position.isdigit() or int(position) not in positions:
        raise RevisionInvalid(f"no line {position}")
    if not isinstance(fields, Mapping) or not fields:
        raise RevisionInvalid(f"line {position}: give the fields to change")
    unknown = set(fields) - LINE_FIELDS
    if unknown:
        raise RevisionInvalid(f"line {position}: a revision cannot change {sorted(unknown)}")
    if "weight_g" in fields:
        weight = fields["weight_g"]
        if isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0:
            raise RevisionInvalid(f"line {position}: weight_g is a positive whole number")
    for name in LINE_FIELDS - {"weight_g"}:
        if name in fields and (not isinstance(fields[name], str) or not fields[name].strip()):
            raise RevisionInvalid(f"line {position}: {name} must not be empty")


def revision_check(changes: Mapping[str, Any], *, line_positions: set[int]) -> None:
    """Raise RevisionInvalid unless `changes` only touches revisable fields, well-formed.

    Shape: {"planned_on": "YYYY-MM-DD", "emergency_measures": "...",
            "lines": {"1": {"weight_g": 1200, "waste_name": ..., ...}}}
    """
    if not changes:
        raise RevisionInvalid("a revision changes something")
    unknown = set(changes) - HEADER_FIELDS - {"lines"}
    if unknown:
        raise RevisionInvalid(f"a revision cannot change {sorted(unknown)}")
    if "planned_on" in changes:
        try:
            date.fromisoformat(str(changes["planned_on"]))
        except ValueError as exc:
            raise RevisionInvalid("planned_on is a date YYYY-MM-DD") from exc
    if "emergency_measures" in changes and not isinstance(changes["emergency_measures"], str):
        raise RevisionInvalid("emergency_measures is text")
    lines = changes.get("lines", {})
    if not isinstance(lines, Mapping):
        raise RevisionInvalid("lines maps a line position to its changes")
    for position, fields in lines.items():
        _check_line_change(str(position), fields, line_positions)


def revision_apply(content: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest content with `changes` applied; `content` itself is left as it was."""
    result = copy.deepcopy(dict(content))
    for name in HEADER_FIELDS & set(changes):
        result[name] = changes[name]
    line_changes = {int(k): v for k, v in changes.get("lines", {}).items()}
    for line in result.get("lines", []):
        line.update(line_changes.get(int(line["position"]), {}))
    return result


def content_differences(
    before: Mapping[str, Any], after: Mapping[str, Any], *, prefix: str = ""
) -> list[tuple[str, Any, Any]]:
    """Every (path, before, after) where two contents differ, for showing both versions.

    Lines are compared by position; a path reads like "lines.1.weight_g".
    """
    found: list[tuple[str, Any, Any]] = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        path = f"{prefix}{key}"
        if key == "lines" and isinstance(old, list) and isinstance(new, list):
            old_lines = {line["position"]: line for line in old}
            new_lines = {line["position"]: line for line in new}
            for position in sorted(set(old_lines) | set(new_lines)):
                found += content_differences(
                    old_lines.get(position, {}),
                    new_lines.get(position, {}),
                    prefix=f"{path}.{position}.",
                )
        elif isinstance(old, Mapping) and isinstance(new, Mapping):
            found += content_differences(old, new, prefix=f"{path}.")
        elif old != new:
            found.append((path, old, new))
    return found
