"""Writes of the enforcement app: the key-unit list, grids, inspection plans, inspections and
rectification of findings. Each state change is audited in its transaction. (Cases: cases.py.)"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import RegulatorScope, User
from wufei.accounts.viewer import Viewer
from wufei.core.audit import audit_append
from wufei.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from wufei.domain.risk_grade import inspection_due_in_month
from wufei.enforcement.models import (
    AssignmentStatus,
    Finding,
    FindingPhoto,
    Grid,
    Inspection,
    InspectionAssignment,
    InspectionResult,
    KeyUnitEntry,
    PhotoKind,
    Severity,
)
from wufei.enforcement.rules import CHECK_VALUES, CHECKLIST_CODES
from wufei.enforcement.selectors import can_regulate, risk_grades_for
from wufei.ledger.supervision import LICENCE_KINDS, supervision_list
from wufei.registry.models import Organisation, Park, Permit, Region

PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
# Reads the whole network, to maintain the list: never handed to a page.
_SYSTEM = Viewer(user_id=0, is_admin=True)


def actor_of(viewer: Viewer) -> User | None:
    return User.objects.filter(pk=viewer.user_id).first() if viewer.user_id else None


# Key units -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshResult:
    added: int
    removed: int
    kept: int


def key_units_due(*, year: int) -> dict[int, list[str]]:
    """Organisation id -> reasons for the year's key-unit list: HJ 1259-2022 4.2.1 a) tiers of
    producers, plus every holder of an operating licence valid in the year (4.2.1 a) 3))."""
    day = min(date(year, 12, 31), timezone.localdate())
    due = {
        p.organisation.pk: [str(r) for r in p.decision.reasons]
        for p in supervision_list(viewer=_SYSTEM, today=day)
        if p.tier == "key"
    }
    licensed = Permit.objects.filter(
        kind__in=LICENCE_KINDS,
        valid_from__lte=date(year, 12, 31),
        valid_until__gte=date(year, 1, 1),
    ).values_list("organisation_id", flat=True)
    for org_id in licensed:
        reasons = due.setdefault(org_id, [])
        if "operating_licence" not in reasons:
            reasons.append("operating_licence")
    return due


def key_units_refresh(*, year: int, actor: User | None = None) -> RefreshResult:
    """Bring the year's list in line with the data: add, re-add, update basis, remove — audited."""
    due = key_units_due(year=year)
    now = timezone.now()
    added = removed = kept = 0
    with transaction.atomic():
        entries = {
            e.organisation_id: e for e in KeyUnitEntry.objects.select_for_update().filter(year=year)
        }
        orgs = Organisation.objects.in_bulk(set(due) | set(entries))
        for org_id, reasons in sorted(due.items()):
            entry = entries.get(org_id)
            if entry is not None and entry.removed_at is None:
                kept += 1
                if entry.basis != reasons:
                    entry.basis = reasons
                    entry.save(update_fields=["basis"])
                continue
            if entry is None:
                entry = KeyUnitEntry(organisation_id=org_id, year=year)
            entry.basis, entry.added_at, entry.removed_at, entry.removal_reason = (
                reasons,
                now,
                None,
                "",
            )
            entry.save()
            added += 1
            audit_append(
                actor=actor,
                organisation=orgs[org_id],
                action="enforcement.key_unit.added",
                subject_type="key_unit_entry",
                subject_id=str(entry.pk),
                payload={"year": year, "basis": reasons},
            )
        for org_id, entry in entries.items():
            if org_id in due or entry.removed_at is not None:
                continue
            entry.removed_at = now
            entry.removal_reason = "no longer meets HJ 1259-2022 4.2.1 a)"
            entry.save(update_fields=["removed_at", "removal_reason"])
            removed += 1
            audit_append(
                actor=actor,
                organisation=orgs[org_id],
                action="enforcement.key_unit.removed",
                subject_type="key_unit_entry",
                subject_id=str(entry.pk),
                payload={"year": year, "reason": entry.removal_reason},
            )
    return RefreshResult(added, removed, kept)


# Grids and plans -------------------------------------------------------------------------


def grid_create(
    *,
    viewer: Viewer,
    name: str,
    region: Region,
    park: Park | None = None,
    inspectors: Sequence[User] = (),
) -> Grid:
    if not (viewer.is_admin or viewer.regulates(region.prefix)):
        raise NotPermitted(_("You do not regulate this region."), field="region")
    if not name.strip():
        raise ValidationFailed(_("Give the grid a name."), field="name")
    scoped = set(
        RegulatorScope.objects.filter(user__in=inspectors).values_list("user_id", "region__prefix")
    )
    for user in inspectors:
        if not any(u == user.pk and region.prefix.startswith(p) for u, p in scoped):
            raise ValidationFailed(
                _("%(user)s is not a regulator of this region.") % {"user": user},
                field="inspectors",
            )
    with transaction.atomic():
        grid = Grid.objects.create(name=name.strip(), region=region, park=park)
        grid.inspectors.set(inspectors)
        audit_append(
            actor=actor_of(viewer),
            organisation=None,
            action="enforcement.grid.created",
            subject_type="grid",
            subject_id=str(grid.pk),
            payload={
                "name": grid.name,
                "region": region.code,
                "inspectors": [u.pk for u in inspectors],
            },
        )
    return grid


def grid_units(grid: Grid) -> list[Organisation]:
    """Producers and licensed operators located in the grid's street (and park, if set)."""
    q = Q(region__prefix__startswith=grid.region.prefix) & (
        Q(is_producer=True) | Q(is_treatment=True) | Q(is_collector=True)
    )
    if grid.park_id:
        q &= Q(park_id=grid.park_id)
    return list(Organisation.objects.filter(q).order_by("pk"))


def inspections_assign(
    *, viewer: Viewer, grid: Grid, year: int, month: int
) -> list[InspectionAssignment]:
    """Plan the month's routine visits of a grid from each unit's risk grade (docs/credit-rating.md:
    high risk monthly, higher every two months, ordinary quarterly, low twice a year), shared
    round-robin among the grid's inspectors. Idempotent: a unit already planned is kept."""
    if not (viewer.is_admin or viewer.regulates(grid.region.prefix)):
        raise NotFound(_("No such grid is visible to you."), field="grid")
    if not 1 <= month <= 12:
        raise ValidationFailed(_("Month must be 1–12."), field="month")
    inspectors = list(grid.inspectors.order_by("pk"))
    if not inspectors:
        raise ValidationFailed(_("The grid has no inspectors."), field="grid")
    units = grid_units(grid)
    grades = risk_grades_for(organisation_ids=[u.pk for u in units], year=year)
    due_on = date(year, month, calendar.monthrange(year, month)[1])
    created: list[InspectionAssignment] = []
    with transaction.atomic():
        planned = set(
            InspectionAssignment.objects.filter(
                organisation__in=units, year=year, month=month
            ).values_list("organisation_id", flat=True)
        )
        for unit in units:
            grade = grades[unit.pk].grade
            if unit.pk in planned or not inspection_due_in_month(grade, month, offset=unit.pk):
                continue
            created.append(
                InspectionAssignment.objects.create(
                    grid=grid,
                    organisation=unit,
                    inspector=inspectors[len(created) % len(inspectors)],
                    year=year,
                    month=month,
                    grade=grade.value,
                    due_on=due_on,
                )
            )
        audit_append(
            actor=actor_of(viewer),
            organisation=None,
            action="enforcement.inspections.assigned",
            subject_type="grid",
            subject_id=str(grid.pk),
            payload={"year": year, "month": month, "assignments": [a.pk for a in created]},
        )
    return created


# Inspections and findings ----------------------------------------------------------------


@dataclass(frozen=True)
class FindingInput:
    item: str
    severity: str
    description: str
    rectification_due: date


def photo_check(upload: UploadedFile) -> None:
    """Only JPEG or PNG images (by their first bytes), at most 10 MB."""
    if (upload.size or 0) > PHOTO_MAX_BYTES:
        raise ValidationFailed(_("A photo may be at most 10 MB."), field="photos")
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in PHOTO_SIGNATURES):
        raise ValidationFailed(_("A photo must be a JPEG or PNG image."), field="photos")


def _finding_check(f: FindingInput, visited_on: date) -> None:
    if f.item not in CHECKLIST_CODES:
        raise ValidationFailed(_("Unknown checklist item."), field="findings")
    if f.severity not in Severity.values:
        raise ValidationFailed(_("Unknown severity."), field="findings")
    if not f.description.strip():
        raise ValidationFailed(_("Describe the finding."), field="findings")
    if f.rectification_due < visited_on:
        raise ValidationFailed(
            _("The rectification deadline cannot be before the visit."), field="findings"
        )


def inspection_record(
    *,
    viewer: Viewer,
    organisation: Organisation,
    visited_at: datetime,
    checklist: dict[str, str],
    findings: Sequence[FindingInput] = (),
    notes: str = "",
    result: str = "",
    assignment: InspectionAssignment | None = None,
    photos: Sequence[UploadedFile] = (),
) -> Inspection:
    """Record a visit: the checklist, its findings (each failed item needs one), photos of the
    first finding. The result follows from the findings unless the site was not accessible."""
    actor = actor_of(viewer)
    if actor is None or not can_regulate(viewer, organisation):
        raise NotFound(_("No such organisation is visible to you."), field="organisation")
    if assignment is not None and assignment.organisation_id != organisation.pk:
        raise ValidationFailed(_("The assignment is for another unit."), field="assignment")
    if visited_at > timezone.now():
        raise ValidationFailed(_("The visit cannot be in the future."), field="visited_at")
    unknown = set(checklist) - CHECKLIST_CODES
    if unknown or any(v not in CHECK_VALUES for v in checklist.values()):
        raise ValidationFailed(_("Unknown checklist item or answer."), field="checklist")
    visited_on = timezone.localtime(visited_at).date()
    for f in findings:
        _finding_check(f, visited_on)
    failed = {k for k, v in checklist.items() if v == "fail"}
    if failed - {f.item for f in findings}:
        raise ValidationFailed(_("Every failed item needs a finding."), field="findings")
    if result != InspectionResult.NOT_ACCESSIBLE:
        result = InspectionResult.FINDINGS if findings else InspectionResult.COMPLIANT
    for photo in photos:
        photo_check(photo)
    with transaction.atomic():
        if assignment is not None:
            assignment = InspectionAssignment.objects.select_for_update().get(pk=assignment.pk)
            if assignment.status == AssignmentStatus.DONE:
                raise Conflict(_("This assignment was already inspected."), field="assignment")
            assignment.status = AssignmentStatus.DONE
            assignment.save(update_fields=["status"])
        inspection = Inspection.objects.create(
            assignment=assignment,
            organisation=organisation,
            inspector=actor,
            visited_at=visited_at,
            result=result,
            checklist=checklist,
            notes=notes.strip(),
        )
        rows = [
            Finding.objects.create(
                inspection=inspection,
                item=f.item,
                severity=f.severity,
                description=f.description.strip(),
                rectification_due=f.rectification_due,
            )
            for f in findings
        ]
        for photo in photos:
            if rows:
                FindingPhoto.objects.create(
                    finding=rows[0], kind=PhotoKind.FINDING, image=photo, uploaded_by=actor
                )
        audit_append(
            actor=actor,
            organisation=organisation,
            action="enforcement.inspection.recorded",
            subject_type="inspection",
            subject_id=str(inspection.pk),
            payload={
                "result": result,
                "checklist": checklist,
                "findings": [{"id": r.pk, "item": r.item, "severity": r.severity} for r in rows],
            },
        )
    return inspection


def finding_rectify(
    *, viewer: Viewer, finding: Finding, note: str, photos: Sequence[UploadedFile]
) -> Finding:
    """The enterprise reports a finding rectified, with at least one evidence photo."""
    actor = actor_of(viewer)
    org_id = finding.inspection.organisation_id
    if actor is None or not viewer.can_act_for(org_id):
        raise NotPermitted(_("Only the unit's members may report a rectification."))
    if not photos:
        raise ValidationFailed(_("Add at least one photo as evidence."), field="photos")
    if not note.strip():
        raise ValidationFailed(_("Say what was done."), field="note")
    for photo in photos:
        photo_check(photo)
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if locked.rectified_at is not None:
            raise Conflict(_("This finding was already rectified."))
        locked.rectified_at = timezone.now()
        locked.rectified_by = actor
        locked.rectification_note = note.strip()
        locked.save(update_fields=["rectified_at", "rectified_by", "rectification_note"])
        for photo in photos:
            FindingPhoto.objects.create(
                finding=locked, kind=PhotoKind.EVIDENCE, image=photo, uploaded_by=actor
            )
        audit_append(
            actor=actor,
            organisation=finding.inspection.organisation,
            action="enforcement.finding.rectified",
            subject_type="finding",
            subject_id=str(locked.pk),
            payload={"note": locked.rectification_note, "photos": len(photos)},
        )
    return locked
