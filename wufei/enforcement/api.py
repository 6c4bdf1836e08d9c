"""Endpoints under /api/v1/enforcement/: key units, risk grade, credit rating, inspections and
findings (read), rectification of a finding (write). Thin; errors become JSON by the API's
handlers. (No `from __future__ import annotations`: ninja reads the annotations.)
"""

from datetime import date, datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer, viewer_for
from wufei.api.pagination import PageNumber
from wufei.enforcement import selectors
from wufei.enforcement.models import Finding, Inspection, KeyUnitEntry
from wufei.enforcement.services import finding_rectify

router = Router()


def _viewer(request: HttpRequest) -> Viewer:
    assert isinstance(request.user, User)
    return viewer_for(request.user)


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


class KeyUnitOut(Schema):
    uscc: str
    name: str
    region_code: str
    year: int
    basis: list[str]
    added_at: datetime


class FactorOut(Schema):
    code: str
    points: int
    detail: dict[str, str | int]


class RiskOut(Schema):
    uscc: str
    year: int
    grade: str
    points: int
    factors: list[FactorOut]


class DeductionOut(Schema):
    kind: str
    ref_id: int
    points: int
    reason: str
    severity: str


class CreditOut(Schema):
    uscc: str
    year: int
    level: str
    score: int
    vetoed: bool
    deductions: list[DeductionOut]


class FindingOut(Schema):
    id: int
    inspection_id: int
    item: str
    severity: str
    description: str
    rectification_due: date
    rectified_at: datetime | None


class InspectionOut(Schema):
    id: int
    uscc: str
    visited_at: datetime
    result: str
    checklist: dict[str, str]
    findings: list[FindingOut]


def _key_unit(e: KeyUnitEntry) -> KeyUnitOut:
    o = e.organisation
    return KeyUnitOut(
        uscc=o.uscc,
        name=o.name,
        region_code=o.region_id,
        year=e.year,
        basis=e.basis,
        added_at=e.added_at,
    )


@router.get("/key-units", response=list[KeyUnitOut], summary="The year's key supervised units")
@paginate(PageNumber)
def key_units(
    request: HttpRequest, year: int | None = None, region: str | None = None
) -> list[KeyUnitOut]:
    entries = selectors.key_unit_list(
        viewer=_viewer(request), year=_year(year), region_prefix=region
    )
    return [_key_unit(e) for e in entries]


@router.get("/units/{uscc}/risk", response=RiskOut, summary="Risk grade with its factors")
def risk(request: HttpRequest, uscc: str, year: int | None = None) -> RiskOut:
    org, g = selectors.risk_grade_visible(viewer=_viewer(request), uscc=uscc, year=_year(year))
    return RiskOut(
        uscc=org.uscc,
        year=_year(year),
        grade=g.grade.value,
        points=g.points,
        factors=[FactorOut(code=f.code, points=f.points, detail=dict(f.detail)) for f in g.factors],
    )


@router.get("/units/{uscc}/credit", response=CreditOut, summary="Environmental credit rating")
def credit(request: HttpRequest, uscc: str, year: int | None = None) -> CreditOut:
    org, r = selectors.credit_rating_visible(viewer=_viewer(request), uscc=uscc, year=_year(year))
    return CreditOut(
        uscc=org.uscc,
        year=r.year,
        level=r.level.value,
        score=r.score,
        vetoed=r.vetoed,
        deductions=[
            DeductionOut(
                kind=d.kind, ref_id=d.ref_id, points=d.points, reason=d.reason, severity=d.severity
            )
            for d in r.deductions
        ],
    )


def _finding(f: Finding) -> FindingOut:
    return FindingOut(
        id=f.pk,
        inspection_id=f.inspection_id,
        item=f.item,
        severity=f.severity,
        description=f.description,
        rectification_due=f.rectification_due,
        rectified_at=f.rectified_at,
    )


def _inspection(i: Inspection) -> InspectionOut:
    return InspectionOut(
        id=i.pk,
        uscc=i.organisation.uscc,
        visited_at=i.visited_at,
        result=i.result,
        checklist=i.checklist,
        findings=[_finding(f) for f in i.findings.all()],
    )


@router.get("/inspections", response=list[InspectionOut], summary="Inspections visible to you")
@paginate(PageNumber)
def inspections(request: HttpRequest) -> list[InspectionOut]:
    return [_inspection(i) for i in selectors.inspection_list_visible(viewer=_viewer(request))]


@router.get("/inspections/{pk}", response=InspectionOut, summary="One inspection")
def inspection(request: HttpRequest, pk: int) -> InspectionOut:
    return _inspection(selectors.inspection_get(viewer=_viewer(request), pk=pk))


@router.get("/findings", response=list[FindingOut], summary="Findings visible to you")
@paginate(PageNumber)
def findings(request: HttpRequest, open_only: bool = False) -> QuerySet[Finding]:
    return selectors.finding_list_visible(viewer=_viewer(request), open_only=open_only)


@router.post("/findings/{pk}/rectify", response=FindingOut, summary="Report a finding rectified")
def rectify(
    request: HttpRequest,
    pk: int,
    note: Form[str],
    photos: File[list[UploadedFile]],
) -> FindingOut:
    viewer = _viewer(request)
    finding = selectors.finding_get(viewer=viewer, pk=pk)
    return _finding(finding_rectify(viewer=viewer, finding=finding, note=note, photos=photos))
