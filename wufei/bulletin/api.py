"""Endpoints under /api/v1/bulletin/. Thin: parse, call the selector, answer.
(No `from __future__ import annotations`: ninja reads them.)"""

from django.http import HttpRequest
from ninja import Router, Schema

from wufei.accounts.models import User
from wufei.accounts.viewer import viewer_for
from wufei.bulletin.inventory import waste_inventory
from wufei.bulletin.presenters import grams_or_none

router = Router()


class RowOut(Schema):
    key: str
    label: str
    grams: dict[str, int | None]
    rate_percent: str | None


class TableOut(Schema):
    code: str
    number: int
    title: str
    source: str
    rows: list[RowOut]
    total: RowOut


class SummaryOut(Schema):
    code: str
    title: str
    source: str
    generated_g: int | None
    utilised_g: int | None
    disposed_g: int | None
    stored_g: int | None


class InventoryOut(Schema):
    region: str
    year: int
    tables: list[TableOut]
    summaries: list[SummaryOut]


def _row(row, spec) -> dict[str, object]:  # type: ignore[no-untyped-def]
    masses = [c.key for c in spec.columns if c.kind == "mass"]
    rate = row.cells.get("rate")
    return {
        "key": row.key,
        "label": row.label,
        "grams": {k: grams_or_none(row.cells.get(k)) for k in masses},
        "rate_percent": None if rate is None else str(rate),
    }


@router.get("/inventory", response=InventoryOut, summary="Waste inventory (废物清单) of a region")
def inventory(request: HttpRequest, region: str, year: int) -> dict[str, object]:
    """The annex-3 tables in integer grams (null = missing) for a region the viewer regulates."""
    assert isinstance(request.user, User)
    found = waste_inventory(viewer=viewer_for(request.user), region_code=region, year=year)
    return {
        "region": found.region.code,
        "year": found.year,
        "tables": [
            {
                "code": t.spec.code,
                "number": t.spec.number,
                "title": t.spec.title,
                "source": t.source,
                "rows": [_row(r, t.spec) for r in t.rows],
                "total": _row(t.total, t.spec),
            }
            for t in found.tables
        ],
        "summaries": [
            {
                "code": s.code,
                "title": s.title,
                "source": s.source,
                "generated_g": s.generated,
                "utilised_g": s.utilised,
                "disposed_g": s.disposed,
                "stored_g": s.stored,
            }
            for s in found.summaries
        ],
    }
