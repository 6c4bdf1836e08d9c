"""Endpoints under /api/v1/indicators/. (No `from __future__ import annotations`: ninja reads them.)

Any signed-in user reads; only the region's regulators and administrators enter inputs (the
service checks). Errors are DomainErrors, answered as JSON by the API.
"""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.indicators import selectors
from wufei.indicators.services import stat_input_enter

router = Router()


def _viewer(request: HttpRequest) -> Viewer:
    assert isinstance(request.user, User)
    return viewer_for(request.user)


class SetOut(Schema):
    code: str
    name: str
    source: str
    verified: bool


class ValueOut(Schema):
    code: str
    name: str
    level: int
    unit: str
    value: Decimal | None
    status: str
    baseline: str
    target: str
    remaining_to_target: Decimal | None
    achieved: bool | None
    verified: bool


class InputIn(Schema):
    region: str
    year: int
    key: str
    value: Decimal
    unit: str
    source: str


class InputOut(Schema):
    id: int
    region: str
    year: int
    key: str
    value: Decimal
    unit: str


@router.get("/sets", response=list[SetOut], summary="Indicator sets")
def list_sets(request: HttpRequest) -> list[SetOut]:
    return [
        SetOut(code=s.code, name=s.name, source=s.source, verified=s.verified)
        for s in selectors.indicator_sets_visible(viewer=_viewer(request))
    ]


@router.get("/values", response=list[ValueOut], summary="A set's values for a region and year")
def list_values(request: HttpRequest, set: str, region: str, year: int) -> list[ValueOut]:
    viewer = _viewer(request)
    chosen = selectors.indicator_set_get(viewer=viewer, code=set)
    where = selectors.region_get(viewer=viewer, code=region)
    rows = selectors.indicator_table(viewer=viewer, indicator_set=chosen, region=where, year=year)
    return [
        ValueOut(
            code=r.indicator.code,
            name=r.indicator.name,
            level=r.indicator.level,
            unit=r.indicator.unit,
            value=r.value.value if r.value else None,
            status=r.value.status if r.value else "missing",
            baseline=r.indicator.baseline_text,
            target=r.indicator.target_text,
            remaining_to_target=r.distance.remaining if r.distance else None,
            achieved=r.distance.achieved if r.distance else None,
            verified=r.indicator.verified,
        )
        for r in rows
        if not r.is_heading
    ]


@router.post("/inputs", response={201: InputOut}, summary="Enter a statistical input")
def create_input(request: HttpRequest, payload: InputIn) -> tuple[int, InputOut]:
    viewer = _viewer(request)
    where = selectors.region_get(viewer=viewer, code=payload.region)
    row = stat_input_enter(
        viewer=viewer,
        region=where,
        year=payload.year,
        key=payload.key,
        value=payload.value,
        unit=payload.unit,
        source=payload.source,
    )
    out = InputOut(
        id=row.pk, region=where.code, year=row.year, key=row.key, value=row.value, unit=row.unit
    )
    return 201, out
