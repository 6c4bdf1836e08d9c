"""Writes: entering a statistical input, computing the indicator values of a region and year.

Indicators are district statistics: the regulators of the region (or a region above it) and
platform administrators enter inputs; nobody else does. An input is never overwritten: a new
row for the same key and year supersedes the older one, and both stay visible.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.core.audit import audit_append
from wufei.core.errors import NotPermitted, ValidationFailed
from wufei.domain.indicator_inputs import INPUT_KEYS, allowed_units
from wufei.indicators.inputs_resolution import (
    indicator_resolutions,
    manual_indicator_for,
    value_matches,
)
from wufei.indicators.models import IndicatorValue, StatInput
from wufei.registry.models import Region


def may_enter_inputs(viewer: Viewer, region: Region) -> bool:
    return viewer.is_admin or viewer.regulates(region.prefix)


def units_for_key(key: str) -> tuple[str, ...]:
    """Units a key may be entered in; raises ValidationFailed for an unknown key."""
    if key in INPUT_KEYS:
        return allowed_units(INPUT_KEYS[key])
    indicator = manual_indicator_for(key)
    if indicator is None:
        raise ValidationFailed(_("Unknown statistic %(key)s.") % {"key": key}, field="key")
    return (indicator.unit,)


def _as_decimal(value: Decimal | str | int) -> Decimal:
    if isinstance(value, float):
        raise TypeError("statistics are Decimal, int or str, never float")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed(_("Enter a number."), field="value") from None
    if not number.is_finite():
        raise ValidationFailed(_("Enter a number."), field="value")
    return number


def stat_input_enter(
    *,
    viewer: Viewer,
    region: Region,
    year: int,
    key: str,
    value: Decimal | str | int,
    unit: str,
    source: str,
    evidence: UploadedFile | None = None,
) -> StatInput:
    """Record one figure with its evidence, then recompute the region's values for that year."""
    if not may_enter_inputs(viewer, region):
        raise NotPermitted(_("Only the regulators of this region may enter statistics."))
    units = units_for_key(key)
    if unit not in units:
        raise ValidationFailed(
            _("%(key)s is entered in %(units)s.") % {"key": key, "units": " / ".join(units)},
            field="unit",
        )
    number = _as_decimal(value)
    if number < 0:
        raise ValidationFailed(_("A statistic cannot be negative."), field="value")
    if year > timezone.localdate().year:
        raise ValidationFailed(_("The year cannot be in the future."), field="year")
    if year < 1949:
        raise ValidationFailed(_("Enter a valid year."), field="year")
    if not source.strip():
        raise ValidationFailed(_("Say where the figure comes from."), field="source")
    with transaction.atomic():
        row = StatInput(
            region=region,
            year=year,
            key=key,
            value=number,
            unit=unit,
            source=source.strip(),
            entered_by_id=viewer.user_id,
        )
        if evidence is not None:
            row.evidence.save(evidence.name or "evidence", evidence, save=False)
        row.save()
        audit_append(
            actor=User.objects.filter(pk=viewer.user_id).first() if viewer.user_id else None,
            organisation=None,
            action="indicators.stat_input_entered",
            subject_type="stat_input",
            subject_id=str(row.pk),
            payload={
                "region": region.code,
                "year": year,
                "key": key,
                "value": str(number),
                "unit": unit,
            },
        )
        indicator_values_compute(region=region, year=year)
    return row


@transaction.atomic
def indicator_values_compute(*, region: Region, year: int) -> int:
    """Store every indicator's value for `region` and `year`; answers how many rows changed.

    Idempotent: a second run with the same inputs changes nothing.
    """
    existing = {v.indicator_id: v for v in IndicatorValue.objects.filter(region=region, year=year)}
    now = timezone.now()
    changed = 0
    for indicator, result in indicator_resolutions(region=region, year=year):
        row = existing.get(indicator.pk)
        if row is None:
            IndicatorValue.objects.create(
                indicator=indicator,
                region=region,
                year=year,
                value=result.value,
                status=result.status,
                computed_at=now,
                inputs=result.snapshot,
            )
            changed += 1
        elif not value_matches(row, result):
            row.value, row.status, row.inputs, row.computed_at = (
                result.value,
                result.status,
                result.snapshot,
                now,
            )
            row.save(update_fields=["value", "status", "inputs", "computed_at"])
            changed += 1
    return changed
