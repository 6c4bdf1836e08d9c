"""Which figure an indicator reads for a region and year, and what it comes to.

Entered statistics: the latest row per key wins (older rows stay as history). Spine-derived
keys (hazardous waste generated, utilised…): the spine's value is used whenever the spine has
records for that year; an entered figure for the same key is then shown next to it in the
snapshot ("entered_also") but not used — nothing is overridden silently. Without spine records
the entered figure is used and the snapshot says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wufei.domain.indicator_formulas import FORMULAS, Computed, evaluate
from wufei.domain.indicator_inputs import INPUT_KEYS, SPINE_KEYS, canonical_value
from wufei.indicators.models import Indicator, IndicatorValue, StatInput, ValueStatus
from wufei.indicators.spine_inputs import spine_inputs_for
from wufei.registry.models import Region


@dataclass(frozen=True)
class Resolved:
    value: Decimal | None
    status: str
    snapshot: dict[str, Any] = field(default_factory=dict)


def latest_inputs(*, region: Region, year: int) -> dict[str, StatInput]:
    """The newest entered row per key for `region` and `year`."""
    latest: dict[str, StatInput] = {}
    rows = StatInput.objects.filter(region=region, year=year).order_by("key", "-entered_at", "-id")
    for row in rows:
        latest.setdefault(row.key, row)
    return latest


def manual_indicator_for(key: str) -> Indicator | None:
    """The indicator entered under `key` ("<set code>:<indicator code>"), if any."""
    set_code, _, code = key.partition(":")
    if not code:
        return None
    return (
        Indicator.objects.filter(set__code=set_code, code=code, formula__isnull=True)
        .exclude(unit="")
        .first()
    )


def _text(number: Decimal) -> str:
    """Without trailing zeros or exponent, so that snapshots compare equal across runs."""
    return f"{number.normalize():f}"


def _entered(row: StatInput) -> dict[str, Any]:
    return {"value": _text(row.value), "unit": row.unit, "stat_input": row.pk}


def _input_value(
    key: str, entered: StatInput | None, spine: Mapping[str, Decimal | None]
) -> tuple[Decimal | None, dict[str, Any] | None]:
    canonical_unit = INPUT_KEYS[key].unit
    spine_value = spine.get(key) if key in SPINE_KEYS else None
    if spine_value is not None:
        note: dict[str, Any] = {
            "value": _text(spine_value),
            "unit": canonical_unit,
            "from": "spine",
        }
        if entered is not None:
            note["entered_also"] = _entered(entered)
        return spine_value, note
    if entered is None:
        return None, None
    value = canonical_value(INPUT_KEYS[key], entered.value, entered.unit)
    return value, {
        "value": _text(value),
        "unit": canonical_unit,
        "from": "entered",
        "entered": _entered(entered),
    }


def resolve_indicator(
    *,
    indicator: Indicator,
    region: Region,
    year: int,
    spine: Mapping[str, Decimal | None],
    latest: Mapping[str, StatInput] | None = None,
) -> Resolved:
    """Compute (formula) or read (entered) one indicator; Missing names what is absent."""
    latest = latest if latest is not None else latest_inputs(region=region, year=year)
    if indicator.formula is None:
        row = latest.get(indicator.manual_key)
        if row is None:
            return Resolved(None, ValueStatus.MISSING, {"missing": [indicator.manual_key]})
        return Resolved(row.value, ValueStatus.ENTERED, {"entered": _entered(row)})
    spec = FORMULAS[indicator.formula]
    values: dict[str, Decimal | None] = {}
    used: dict[str, Any] = {}
    for key in spec.inputs:
        values[key], note = _input_value(key, latest.get(key), spine)
        if note is not None:
            used[key] = note
    outcome = evaluate(indicator.formula, values)
    snapshot: dict[str, Any] = {"formula": indicator.formula, "inputs": used}
    if isinstance(outcome, Computed):
        if outcome.assumptions:
            snapshot["assumptions"] = list(outcome.assumptions)
        return Resolved(outcome.value, ValueStatus.COMPUTED, snapshot)
    snapshot["missing"] = list(outcome.inputs)
    snapshot["reason"] = outcome.reason
    return Resolved(None, ValueStatus.MISSING, snapshot)


def _is_heading(indicator: Indicator) -> bool:
    return indicator.formula is None and not indicator.unit


def indicator_resolutions(*, region: Region, year: int) -> list[tuple[Indicator, Resolved]]:
    """What every indicator (headings aside) is for `region` and `year` from the records and
    entered statistics as they are now; reads only."""
    spine = spine_inputs_for(region=region, year=year)
    latest = latest_inputs(region=region, year=year)
    return [
        (
            indicator,
            resolve_indicator(
                indicator=indicator, region=region, year=year, spine=spine, latest=latest
            ),
        )
        for indicator in Indicator.objects.select_related("set").order_by("set", "position")
        if not _is_heading(indicator)
    ]


def value_matches(row: IndicatorValue, result: Resolved) -> bool:
    """Whether a stored value is what the records give now."""
    return (row.value, row.status, row.inputs) == (result.value, result.status, result.snapshot)
