"""Loading the shipped indicator sets from `data/` (see data/PROVENANCE.md); idempotent.

The printed baseline and target cells are kept as printed ("〔23〕", "98以上") and their exact
numbers are derived from them (`printed_number`), so the table the source prints is what we keep.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import transaction

from wufei.domain.indicator_formulas import FORMULAS
from wufei.domain.indicator_progress import printed_number
from wufei.indicators.models import Indicator, IndicatorSet

DATA = Path(__file__).resolve().parent / "data"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


def _fields(row: dict[str, str], position: int) -> dict[str, Any]:
    formula = row["formula"] or None
    if formula is not None and formula not in FORMULAS:
        raise ValueError(f"indicator {row['code']}: unknown formula {formula}")
    return {
        "level": int(row["level"]),
        "name": row["name"],
        "required": row["required"] == "true",
        "unit": row["unit"],
        "direction": row["direction"] or "none",
        "formula": formula,
        "inputs": list(FORMULAS[formula].inputs) if formula else [],
        "baseline_year": _year(row["baseline_year"]),
        "baseline_text": row["baseline_text"],
        "baseline_value": printed_number(row["baseline_text"]) if row["baseline_text"] else None,
        "target_year": _year(row["target_year"]),
        "target_text": row["target_text"],
        "target_value": printed_number(row["target_text"]) if row["target_text"] else None,
        "target_kind": row["target_kind"],
        "data_source": row["data_source"],
        "department": row["department"],
        "verified": row["verified"] == "true",
        "note": row["note"],
        "position": position,
    }


@transaction.atomic
def indicators_load_shipped() -> int:
    """Create or update the shipped sets; answers how many indicator rows changed."""
    changed = 0
    for order, set_row in enumerate(_rows(DATA / "sets.csv")):
        indicator_set, _ = IndicatorSet.objects.update_or_create(
            code=set_row["code"],
            defaults={
                "name": set_row["name"],
                "source": set_row["source"],
                "verified": set_row["verified"] == "true",
                "sort_order": order,
            },
        )
        by_code: dict[str, Indicator] = {}
        for position, row in enumerate(_rows(DATA / set_row["file"])):
            fields = _fields(row, position)
            fields["parent"] = by_code[row["parent"]] if row["parent"] else None
            existing = Indicator.objects.filter(set=indicator_set, code=row["code"]).first()
            if existing is None:
                existing = Indicator.objects.create(set=indicator_set, code=row["code"], **fields)
                changed += 1
            elif any(getattr(existing, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(existing, k, v)
                existing.save()
                changed += 1
            by_code[row["code"]] = existing
    return changed
