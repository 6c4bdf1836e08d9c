"""Ledger endpoints under /api/v1/ledger/. Thin: parse, call a selector or service, answer.

Every read goes through the ledger visibility policy (members, regulators of the region,
administrators); another unit's ledger answers 404 exactly like one that does not exist.
(No `from __future__ import annotations`: django-ninja reads the annotations at runtime.)
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.api.pagination import PageNumber
from wufei.domain.ledger_balance import BalanceRow
from wufei.domain.ledger_units import tonnes_text
from wufei.ledger import selectors
from wufei.ledger.importing import ledger_import_start
from wufei.ledger.inputs import event_command
from wufei.ledger.models import ImportBatch, LedgerEvent
from wufei.ledger.schemas import (
    BalanceOut,
    EventFilters,
    EventIn,
    EventOut,
    ImportOut,
    StockOut,
    TierOut,
)
from wufei.ledger.services import ledger_event_record
from wufei.ledger.supervision import supervision_of

router = Router()


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _viewer(request: HttpRequest) -> Viewer:
    return viewer_for(_user(request))


def _bound(day: date | None, *, after: bool = False) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=after), time()))


@router.get("/events", response=list[EventOut], summary="Ledger events visible to you")
@paginate(PageNumber)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> QuerySet[LedgerEvent]:
    viewer = _viewer(request)
    org = (
        selectors.ledger_organisation_get(viewer=viewer, uscc=filters.organisation)
        if filters.organisation
        else None
    )
    return selectors.ledger_event_list(
        viewer=viewer,
        organisation=org,
        kind=filters.kind,
        start=_bound(filters.start),
        end=_bound(filters.end, after=True),
        waste_code=filters.waste_code,
        facility_code=filters.facility,
        search=filters.search,
    ).select_related("manifest")


@router.get("/events/{event_id}", response=EventOut)
def get_event(request: HttpRequest, event_id: int) -> LedgerEvent:
    return selectors.ledger_event_get(viewer=_viewer(request), pk=event_id)


@router.post("/events", response={201: EventOut}, summary="Record a ledger event (HJ 1259)")
def record_event(request: HttpRequest, payload: EventIn) -> Status[LedgerEvent]:
    viewer = _viewer(request)
    org = selectors.ledger_organisation_get(viewer=viewer, uscc=payload.organisation)
    data = payload.model_dump(exclude={"organisation", "kind"})
    event = ledger_event_record(
        actor=_user(request),
        organisation=org,
        kind=payload.kind,
        **event_command(organisation=org, kind=payload.kind, **data),
    )
    return Status(201, event)


@router.get("/organisations/{uscc}/stock", response=list[StockOut])
def stock(request: HttpRequest, uscc: str, at: datetime | None = None) -> list[dict[str, Any]]:
    viewer = _viewer(request)
    org = selectors.ledger_organisation_get(viewer=viewer, uscc=uscc)
    return [
        {
            "facility": row.facility.code,
            "facility_name": row.facility.name,
            "waste_code": row.waste_code.code,
            "grams": row.grams,
            "tonnes": tonnes_text(row.grams),
        }
        for row in selectors.stock_by_facility(viewer=viewer, organisation=org, at=at)
    ]


def _row(row: BalanceRow[Any], facility: str | None, code: str) -> dict[str, Any]:
    return {
        "facility": facility,
        "waste_code": code,
        "opening_g": row.opening,
        "generated_g": row.generated,
        "received_g": row.received,
        "moved_in_g": row.moved_in,
        "treated_g": row.treated,
        "handed_over_g": row.handed_over,
        "moved_out_g": row.moved_out,
        "closing_g": row.closing,
        "closes": row.closes,
    }


@router.get("/organisations/{uscc}/balance", response=BalanceOut, summary="Mass balance")
def balance(request: HttpRequest, uscc: str, start: date, end: date) -> dict[str, Any]:
    """Over the days start … end (both included)."""
    viewer = _viewer(request)
    org = selectors.ledger_organisation_get(viewer=viewer, uscc=uscc)
    lo, hi = _bound(start), _bound(end, after=True)
    assert lo is not None and hi is not None
    result = selectors.mass_balance(viewer=viewer, organisation=org, start=lo, end=hi)
    return {
        "organisation": org.uscc,
        "start": lo,
        "end": hi,
        "closes": result.closes,
        "rows": [_row(r, r.key[0].code, r.key[1].code) for r in result.rows],
        "totals": [_row(r, None, r.key.code) for r in result.totals],
    }


@router.get("/organisations/{uscc}/supervision", response=TierOut, summary="Supervision tier")
def supervision(request: HttpRequest, uscc: str) -> dict[str, Any]:
    viewer = _viewer(request)
    org = selectors.ledger_organisation_get(viewer=viewer, uscc=uscc)
    found = supervision_of(viewer=viewer, organisation=org)
    annual = found.decision.annual
    return {
        "organisation": org.uscc,
        "tier": found.tier.value,
        "reasons": [r.value for r in found.decision.reasons],
        "annual_g": annual.grams,
        "annual_basis": annual.basis.value,
        "annual_years": list(annual.years),
        "operating_since": found.operating_since,
        "yearly_g": found.yearly_g,
        "upcoming": [
            {
                "kind": f.kind.value,
                "period_start": f.period_start,
                "period_end": f.period_end,
                "due": f.due,
                "clause": f.clause,
            }
            for f in found.upcoming
        ],
    }


@router.post(
    "/organisations/{uscc}/imports",
    response={202: ImportOut},
    summary="Import an appendix-B file (CSV or XLSX); poll the import for its report",
)
def start_import(
    request: HttpRequest, uscc: str, file: File[UploadedFile], table: Form[str] = ""
) -> Status[ImportBatch]:
    viewer = _viewer(request)
    org = selectors.ledger_organisation_get(viewer=viewer, uscc=uscc)
    batch = ledger_import_start(
        actor=_user(request),
        organisation=org,
        upload=file,
        filename=file.name or "",
        table=table or None,
    )
    return Status(202, selectors.import_batch_get(viewer=viewer, pk=batch.pk))


@router.get("/imports/{import_id}", response=ImportOut, summary="Import status and report")
def import_status(request: HttpRequest, import_id: int) -> ImportBatch:
    return selectors.import_batch_get(viewer=_viewer(request), pk=import_id)
