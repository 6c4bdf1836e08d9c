"""Selectors: the waste inventory (废物清单) of a region and year, from the spine and statistics.

表4 危险废物 comes from the ledger (sums in SQL on integer grams, per HW category) for the
facilities whose region code starts with the region's prefix, events dated in the year:
- 产生量: B.1 generation events (HW01 included, as its own row);
- 自行利用量 / 自行处置量: B.4 in-house treatment by an R (utilisation) / D (disposal) method;
  C methods are neither and are kept as `self_other` outside the printed layout;
- 委托外单位: B.5 hand-overs, 省内 when the receiver's region lies in the region's province
  (first two digits of the division code), else 外省; 利用/处置 by the method the hand-over
  names or, failing that, the one the manifest's receiver recorded for that waste code; a
  hand-over without an R/D method yet (a collector, not yet treated) counts as 收集量;
- 当前贮存量: the stock at the end of the year derived from what each event still holds
  (as `wufei.ledger.selectors.mass_balance` derives 期末).
So 合计 generated, in-house + entrusted, and stored equal the ledger's own sums.

The other tables read entered statistics (`wufei.indicators.models.StatInput`, latest row per
key, see `wufei.domain.waste_inventory.entered_key`); a figure nobody entered is missing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from wufei.accounts.viewer import Viewer
from wufei.catalog.models import TreatmentKind
from wufei.core.errors import NotFound
from wufei.domain import waste_inventory as wi
from wufei.domain.indicator_inputs import INPUT_KEYS, UNITS, canonical_value
from wufei.domain.ledger_balance import stock_from
from wufei.indicators.inputs_resolution import latest_inputs
from wufei.indicators.models import StatInput
from wufei.ledger.models import EventKind, LedgerEvent
from wufei.ledger.selectors import HOLDING_KINDS
from wufei.registry.models import Region
from wufei.transfer.models import ManifestLine

CATEGORY = "waste_code__category__code"
CATEGORY_NAME = "waste_code__category__name"


@dataclass(frozen=True)
class Inventory:
    region: Region
    year: int
    tables: list[wi.InventoryTable]  # in the annex's order, 表1 … 表6
    summaries: list[wi.StreamSummary]

    def table(self, code: str) -> wi.InventoryTable:
        return next(t for t in self.tables if t.spec.code == code)


def inventory_region_get(*, viewer: Viewer, code: str) -> Region:
    """The region if the viewer regulates it (or is an admin); anyone else: not found."""
    region = Region.objects.filter(code=code).first() if code else None
    if region is None or not (viewer.is_admin or viewer.regulates(region.prefix)):
        raise NotFound("region not found")
    return region


def inventory_regions_visible(*, viewer: Viewer) -> list[Region]:
    """Regions the viewer may ask for: admins all down to counties, regulators their own."""
    if viewer.is_admin:
        return list(Region.objects.filter(level__lte=3).order_by("code"))
    if not viewer.region_prefixes:
        return []
    return list(Region.objects.filter(prefix__in=viewer.region_prefixes).order_by("code"))


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


class _Figures:
    """Accumulates grams per HW category."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, category: str, name: str, column: str, grams: int | None) -> None:
        self.names.setdefault(category, name)
        self.values[category][column] += int(grams or 0)

    def result(self) -> list[wi.HazardousFigures]:
        return [
            wi.HazardousFigures(category=c, name=self.names[c], **dict(self.values[c]))
            for c in sorted(self.values)
        ]


def _in_region(region: Region, lookup: str = "facility") -> Q:
    return Q(**{f"{lookup}__region__prefix__startswith": region.prefix})


def _line_method_kind() -> Subquery:
    lines = ManifestLine.objects.filter(
        manifest=OuterRef("manifest"),
        waste_code=OuterRef("waste_code"),
        treatment_method__isnull=False,
    ).order_by("position")
    return Subquery(lines.values("treatment_method__kind")[:1])


def _hand_overs(region: Region, period: Q, figures: _Figures) -> None:
    province = region.prefix[:2]
    rows = (
        LedgerEvent.objects.filter(period, _in_region(region), kind=EventKind.HAND_OVER)
        .annotate(
            method_kind=Coalesce(F("treatment_method__kind"), _line_method_kind(), Value("")),
            receiver_prefix=Coalesce(
                F("receiver__region__prefix"), F("manifest__receiver__region__prefix"), Value("")
            ),
        )
        .order_by()
        .values(CATEGORY, CATEGORY_NAME, "method_kind", "receiver_prefix")
        .annotate(g=Sum("quantity_g"))
    )
    for row in rows:
        where = "in" if row["receiver_prefix"][:2] == province else "out"
        how = {TreatmentKind.UTILISATION: "utilised", TreatmentKind.DISPOSAL: "disposed"}.get(
            row["method_kind"], "collected"
        )
        figures.add(row[CATEGORY], row[CATEGORY_NAME], f"{where}_{how}", row["g"])


def _closing_stock(region: Region, end: datetime, figures: _Figures) -> None:
    before = LedgerEvent.objects.filter(occurred_at__lt=end)
    held_rows = (
        before.filter(_in_region(region), kind__in=HOLDING_KINDS)
        .order_by()
        .values("facility", "waste_code", CATEGORY, CATEGORY_NAME)
        .annotate(g=Sum("quantity_g"))
    )
    taken_rows = (
        before.filter(_in_region(region, "source__facility"), source__isnull=False)
        .order_by()
        .values("source__facility", "source__waste_code")
        .annotate(g=Sum("quantity_g"))
    )
    held = {(r["facility"], r["waste_code"]): int(r["g"]) for r in held_rows}
    taken = {(r["source__facility"], r["source__waste_code"]): int(r["g"]) for r in taken_rows}
    category = {
        (r["facility"], r["waste_code"]): (r[CATEGORY], r[CATEGORY_NAME]) for r in held_rows
    }
    for key, grams in stock_from(held, taken).items():
        code, name = category[key]
        figures.add(code, name, "stored", grams)


def hazardous_figures(*, region: Region, year: int) -> list[wi.HazardousFigures]:
    """Grams per HW category for 表4 (no access check: callers hold a region they may see)."""
    start, end = _year_bounds(year)
    period = Q(occurred_at__gte=start, occurred_at__lt=end)
    figures = _Figures()
    generated = (
        LedgerEvent.objects.filter(period, _in_region(region), kind=EventKind.GENERATE)
        .order_by()
        .values(CATEGORY, CATEGORY_NAME)
        .annotate(g=Sum("quantity_g"))
    )
    for row in generated:
        figures.add(row[CATEGORY], row[CATEGORY_NAME], "generated", row["g"])
    treated = (
        LedgerEvent.objects.filter(period, _in_region(region), kind=EventKind.TREAT_IN_HOUSE)
        .order_by()
        .values(CATEGORY, CATEGORY_NAME)
        .annotate(
            n=Count("id"),
            all=Sum("quantity_g"),
            u=Sum("quantity_g", filter=Q(treatment_method__kind=TreatmentKind.UTILISATION)),
            d=Sum("quantity_g", filter=Q(treatment_method__kind=TreatmentKind.DISPOSAL)),
        )
    )
    for row in treated:
        code, name = row[CATEGORY], row[CATEGORY_NAME]
        utilised, disposed = int(row["u"] or 0), int(row["d"] or 0)
        figures.add(code, name, "self_utilised", utilised)
        figures.add(code, name, "self_disposed", disposed)
        figures.add(code, name, "self_other", int(row["all"]) - utilised - disposed)
    _hand_overs(region, period, figures)
    _closing_stock(region, end, figures)
    return figures.result()


def _grams(row: StatInput) -> int | None:
    """The entered figure in grams, or None when its unit is not a mass."""
    key = INPUT_KEYS.get(row.key)
    if key is not None:
        if key.dimension != "mass":
            return None
        return wi.grams_from_tonnes(canonical_value(key, row.value, row.unit))
    factor = UNITS["mass"].get(row.unit)
    return None if factor is None else wi.grams_from_tonnes(Decimal(row.value) * factor)


def _entered_tables(region: Region, year: int) -> dict[str, wi.InventoryTable]:
    entered = latest_inputs(region=region, year=year)

    def value(table: str, row: str, column: str) -> int | None:
        found = entered.get(wi.entered_key(table, row, column))
        return None if found is None else _grams(found)

    tables = {}
    for spec in wi.ENTERED_SPECS:
        values = {
            r.key: {m: value(spec.code, r.key, m) for m in wi.ENTERED_MEASURES} for r in spec.rows
        }
        totals = {m: value(spec.code, "total", m) for m in wi.ENTERED_MEASURES}
        tables[spec.code] = wi.entered_table(spec, values, totals)
    return tables


def waste_inventory(*, viewer: Viewer, region_code: str, year: int) -> Inventory:
    """All six tables of the inventory and the per-stream summary the bulletin prints."""
    region = inventory_region_get(viewer=viewer, code=region_code)
    tables = _entered_tables(region, year)
    tables[wi.HAZARDOUS.code] = wi.hazardous_table(hazardous_figures(region=region, year=year))
    ordered = [tables[spec.code] for spec in wi.ALL_SPECS]
    return Inventory(
        region=region,
        year=year,
        tables=ordered,
        summaries=[wi.stream_summary(t) for t in ordered],
    )
