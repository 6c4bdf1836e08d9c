"""Inputs computed from the spine (ledger events and manifests) for a region and a year.

All sums run in SQL on integer grams and are turned into exact Decimal tonnes. Scope:
a facility lies in the region when its region code starts with the region's prefix.

- hw_generated_t: B.1 generation events at the region's facilities (HW01 medical waste excluded).
- hw_utilised_t / hw_disposed_t: waste generated in the region and treated in the year with an
  R-code (utilisation) / D-code (disposal) method — in-house (B.4 events) or by the receiver of
  a hazardous manifest shipped from the region (treated weight, by the receiver's treatment
  record, dated by the manifest's treated_at). C-codes (co-processing, building materials,
  cleaning) are neither and are left out of both.
- hw_landfilled_t: the D1 (填埋) part of the above.
- hw_transferred_t: the shipped weight of hazardous manifests leaving the region's facilities,
  picked up in the year.
- medical_waste_collected_t: received weight of medical manifests from the region's
  institutions, received in the year.

`spine_inputs_for` answers from the maintained aggregates, `spine_inputs_raw` from the raw
rows (the reference; the bench and the tests check they agree).

A key with no record at all answers None (no data), never 0: a district without a single
event is far more likely to be missing data than to have produced nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from wufei.catalog.models import TreatmentKind
from wufei.domain.ledger_units import tonnes_exact
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.registry.models import Region
from wufei.rollups.selectors import spine_inputs_from_cells
from wufei.transfer.models import DocType, ManifestLine

# Medical waste (HW01) is counted on its own, not as industrial hazardous waste.
MEDICAL_CATEGORY = "HW01"


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _tonnes(total_g: int | None, rows: int) -> Decimal | None:
    if not rows:
        return None
    return tonnes_exact(total_g or 0)


def _treated_by_kind(region: Region, start: datetime, end: datetime) -> dict[str, Decimal | None]:
    """hw_utilised_t, hw_disposed_t, hw_landfilled_t from B.4 events and treated manifest lines."""
    in_house = (
        LedgerEvent.objects.filter(
            kind=EventKind.TREAT_IN_HOUSE,
            facility__region__prefix__startswith=region.prefix,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .exclude(waste_code__category__code=MEDICAL_CATEGORY)
        .aggregate(
            n=Count("id"),
            utilised=Sum("quantity_g", filter=Q(treatment_method__kind=TreatmentKind.UTILISATION)),
            disposed=Sum("quantity_g", filter=Q(treatment_method__kind=TreatmentKind.DISPOSAL)),
            landfilled=Sum("quantity_g", filter=Q(treatment_method__code="D1")),
        )
    )
    shipped = ManifestLine.objects.filter(
        manifest__doc_type=DocType.HAZARDOUS,
        manifest__shipper_facility__region__prefix__startswith=region.prefix,
        manifest__treated_at__gte=start,
        manifest__treated_at__lt=end,
        treated_weight_g__isnull=False,
    ).aggregate(
        n=Count("id"),
        utilised=Sum(
            "treated_weight_g", filter=Q(treatment_method__kind=TreatmentKind.UTILISATION)
        ),
        disposed=Sum("treated_weight_g", filter=Q(treatment_method__kind=TreatmentKind.DISPOSAL)),
        landfilled=Sum("treated_weight_g", filter=Q(treatment_method__code="D1")),
    )
    rows = (in_house["n"] or 0) + (shipped["n"] or 0)
    return {
        f"hw_{name}_t": _tonnes((in_house[name] or 0) + (shipped[name] or 0), rows)
        for name in ("utilised", "disposed", "landfilled")
    }


def spine_inputs_for(*, region: Region, year: int) -> dict[str, Decimal | None]:
    """Every spine-derived input key for `region` in `year` (None where there is no record),
    from the maintained aggregates (`wufei.rollups`): the same answer as `spine_inputs_raw`."""
    return spine_inputs_from_cells(
        prefix=region.prefix, start=date(year, 1, 1), end=date(year + 1, 1, 1)
    )


def spine_inputs_raw(*, region: Region, year: int) -> dict[str, Decimal | None]:
    """Every spine-derived input key for `region` in `year`, summed over the raw rows."""
    start, end = _year_bounds(year)
    generated = (
        LedgerEvent.objects.filter(
            kind=EventKind.GENERATE,
            facility__region__prefix__startswith=region.prefix,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .exclude(waste_code__category__code=MEDICAL_CATEGORY)
        .aggregate(n=Count("id"), g=Sum("quantity_g"))
    )
    transferred = ManifestLine.objects.filter(
        manifest__doc_type=DocType.HAZARDOUS,
        manifest__shipper_facility__region__prefix__startswith=region.prefix,
        manifest__picked_up_at__gte=start,
        manifest__picked_up_at__lt=end,
    ).aggregate(n=Count("id"), g=Sum("weight_g"))
    medical = ManifestLine.objects.filter(
        manifest__doc_type=DocType.MEDICAL,
        manifest__shipper_facility__region__prefix__startswith=region.prefix,
        manifest__received_at__gte=start,
        manifest__received_at__lt=end,
        received_weight_g__isnull=False,
    ).aggregate(n=Count("id"), g=Sum("received_weight_g"))
    values: dict[str, Decimal | None] = {
        "hw_generated_t": _tonnes(generated["g"], generated["n"]),
        "hw_transferred_t": _tonnes(transferred["g"], transferred["n"]),
        "medical_waste_collected_t": _tonnes(medical["g"], medical["n"]),
    }
    values.update(_treated_by_kind(region, start, end))
    return values
