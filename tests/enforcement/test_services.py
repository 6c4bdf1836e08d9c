"""Services' state rules: key-unit list maintenance, planning, inspections, rectification, cases."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.enforcement.world import JPG, enforcement_world, png
from wufei.accounts.viewer import viewer_for
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from wufei.domain.credit_rating import CreditLevel
from wufei.enforcement.cases import case_close, case_decide, case_investigate, case_open
from wufei.enforcement.models import AssignmentStatus, KeyUnitEntry
from wufei.enforcement.selectors import credit_rating_for, key_unit_list, risk_grade_for
from wufei.enforcement.services import (
    finding_rectify,
    inspection_record,
    inspections_assign,
    key_units_refresh,
    photo_check,
)
from wufei.registry.models import Facility

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def w() -> SimpleNamespace:
    return enforcement_world()


def test_key_units_refresh_adds_removes_and_audits(w: SimpleNamespace) -> None:
    result = key_units_refresh(year=YEAR)
    entries = {e.organisation_id: e for e in KeyUnitEntry.objects.filter(year=YEAR)}
    assert w.prod.pk in entries and "in_house_facility" in entries[w.prod.pk].basis
    assert w.plant.pk in entries and "operating_licence" in entries[w.plant.pk].basis
    assert w.other.pk not in entries
    assert result.added == len(entries)
    assert key_units_refresh(year=YEAR).added == 0  # idempotent
    Facility.objects.filter(pk=w.kiln.pk).delete()
    again = key_units_refresh(year=YEAR)
    assert again.removed == 1
    gone = KeyUnitEntry.objects.get(organisation=w.prod, year=YEAR)
    assert gone.removed_at is not None and "4.2.1" in gone.removal_reason
    assert AuditEvent.objects.filter(action="enforcement.key_unit.removed").count() == 1
    visible = key_unit_list(viewer=viewer_for(w.reg108), year=YEAR)
    assert w.prod.pk not in {e.organisation_id for e in visible}


def test_inspections_assign_by_grade_and_idempotent(w: SimpleNamespace) -> None:
    month = 1 + (w.prod.pk % 6)  # low-risk units are due in months offset by their id
    created = inspections_assign(viewer=viewer_for(w.reg108), grid=w.grid, year=YEAR, month=month)
    assert w.prod.pk in {a.organisation_id for a in created}
    assert all(a.inspector_id == w.reg108.pk for a in created)
    again = inspections_assign(viewer=viewer_for(w.reg108), grid=w.grid, year=YEAR, month=month)
    assert again == []
    with pytest.raises(NotFound):
        inspections_assign(viewer=viewer_for(w.reg106), grid=w.grid, year=YEAR, month=month)


def test_inspection_rules(w: SimpleNamespace) -> None:
    reg = viewer_for(w.reg108)
    with pytest.raises(ValidationFailed):  # a failed item without a finding
        inspection_record(
            viewer=reg, organisation=w.prod, visited_at=timezone.now(), checklist={"plan": "fail"}
        )
    with pytest.raises(NotFound):  # another region's unit
        inspection_record(
            viewer=viewer_for(w.reg106),
            organisation=w.prod,
            visited_at=timezone.now(),
            checklist={},
        )
    ok = inspection_record(viewer=reg, organisation=w.prod, visited_at=timezone.now(), checklist={})
    assert ok.result == "compliant"
    assert w.inspection.result == "findings"
    assert w.finding.photos.count() == 1


def test_photo_type_and_size() -> None:
    photo_check(SimpleUploadedFile("a.jpg", JPG))
    with pytest.raises(ValidationFailed):
        photo_check(SimpleUploadedFile("a.gif", b"GIF89a" + b"\x00" * 10))
    big = SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(ValidationFailed):
        photo_check(big)


def test_assignment_done_once(w: SimpleNamespace) -> None:
    month = 1 + (w.prod.pk % 6)
    created = inspections_assign(viewer=viewer_for(w.reg108), grid=w.grid, year=YEAR, month=month)
    a = next(a for a in created if a.organisation_id == w.prod.pk)
    reg = viewer_for(w.reg108)
    inspection_record(
        viewer=reg, organisation=w.prod, assignment=a, visited_at=timezone.now(), checklist={}
    )
    a.refresh_from_db()
    assert a.status == AssignmentStatus.DONE
    with pytest.raises(Conflict):
        inspection_record(
            viewer=reg, organisation=w.prod, assignment=a, visited_at=timezone.now(), checklist={}
        )


def test_finding_rectify_by_member_with_photo(w: SimpleNamespace) -> None:
    with pytest.raises(NotPermitted):
        finding_rectify(viewer=viewer_for(w.reg108), finding=w.finding, note="x", photos=[png()])
    with pytest.raises(NotPermitted):  # read-only member
        finding_rectify(viewer=viewer_for(w.reader), finding=w.finding, note="x", photos=[png()])
    with pytest.raises(ValidationFailed):
        finding_rectify(viewer=viewer_for(w.alice), finding=w.finding, note="x", photos=[])
    done = finding_rectify(
        viewer=viewer_for(w.alice), finding=w.finding, note="已张贴标志", photos=[png()]
    )
    assert done.rectified_at is not None and done.photos.filter(kind="evidence").count() == 1
    with pytest.raises(Conflict):
        finding_rectify(viewer=viewer_for(w.alice), finding=w.finding, note="x", photos=[png()])
    rating = credit_rating_for(organisation=w.prod, year=YEAR)
    # a major finding rectified on time: −5
    assert (rating.score, rating.level) == (95, CreditLevel.TRUSTWORTHY)


def test_case_lifecycle_and_rating(w: SimpleNamespace) -> None:
    reg = viewer_for(w.reg108)
    with pytest.raises(ValidationFailed):
        case_open(viewer=reg, organisation=w.prod, source="finding", legal_basis="nonsense")
    with pytest.raises(NotFound):
        case_open(
            viewer=viewer_for(w.alice),
            organisation=w.prod,
            source="report",
            legal_basis="swl_112_1_1",
            report="x",
        )
    case = case_open(
        viewer=reg,
        organisation=w.prod,
        source="finding",
        finding=w.finding,
        legal_basis="swl_112_1_1",
    )
    with pytest.raises(Conflict):
        case_decide(viewer=reg, case=case, outcome="fine", fine_yuan=Decimal("100000"))
    case = case_investigate(viewer=reg, case=case)
    with pytest.raises(ValidationFailed):
        case_decide(viewer=reg, case=case, outcome="fine")
    with pytest.raises(ValidationFailed):
        case_decide(viewer=reg, case=case, outcome="warning", fine_yuan=Decimal("1"))
    case = case_decide(viewer=reg, case=case, outcome="fine", fine_yuan=Decimal("100000"))
    case = case_close(viewer=reg, case=case)
    assert case.status == "closed"
    assert AuditEvent.objects.filter(subject_type="enforcement_case").count() == 4
    rating = credit_rating_for(organisation=w.prod, year=YEAR)
    # finding major still open within its deadline: −5; case fine: −15 → 80 良好
    assert (rating.score, rating.level) == (80, CreditLevel.GOOD)
    grade = risk_grade_for(organisation=w.prod, year=YEAR)
    # HW08 3 + 0.1 t → 0 + 1 major finding 2 + a fined case 5 = 10 → B
    assert (grade.points, grade.grade) == (10, "B")


def test_rectification_due_not_before_visit(w: SimpleNamespace) -> None:
    from wufei.enforcement.services import FindingInput

    with pytest.raises(ValidationFailed):
        inspection_record(
            viewer=viewer_for(w.reg108),
            organisation=w.prod,
            visited_at=timezone.now(),
            checklist={"plan": "fail"},
            findings=[FindingInput("plan", "minor", "x", timezone.localdate() - timedelta(days=1))],
        )
