"""Writes for the annual bulletin: draft (recompute the snapshot), edit its text, submit for
review, send back, approve and publish (four-eyes; freezes the figures and renders DOCX and PDF).
Every change is audited in its transaction. Only regulators of the region and admins act."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.bulletin.bulletin_docx import bulletin_docx
from wufei.bulletin.bulletin_pdf import bulletin_pdf
from wufei.bulletin.bulletin_selectors import bulletin_snapshot_compute
from wufei.bulletin.models import Bulletin, BulletinStatus
from wufei.core.audit import audit_append
from wufei.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from wufei.domain.bulletin_deadline import bulletin_year_is_closed, published_late
from wufei.domain.bulletin_snapshot import snapshot_to_json
from wufei.registry.models import Region

SECTION_KEYS = ("intro", "notes")
SECTION_MAX = 5000


def _may_act(viewer: Viewer, region: Region) -> bool:
    return viewer.is_admin or viewer.regulates(region.prefix)


def _actor(viewer: Viewer, region: Region) -> User:
    if viewer.user_id is None or not _may_act(viewer, region):
        raise NotFound("bulletin not found")
    return User.objects.get(pk=viewer.user_id)


def _audit(actor: User, bulletin: Bulletin, action: str, **payload: object) -> None:
    audit_append(
        actor=actor,
        organisation=None,
        action=f"bulletin.{action}",
        subject_type="bulletin",
        subject_id=str(bulletin.pk),
        payload={"region": bulletin.region_id, "year": bulletin.year, **payload},
    )


def _locked(bulletin: Bulletin) -> Bulletin:
    return Bulletin.objects.select_for_update().select_related("region").get(pk=bulletin.pk)


def bulletin_draft(
    *, viewer: Viewer, region: Region, year: int, now: datetime | None = None
) -> Bulletin:
    """Create the region's bulletin for a finished year, or recompute the figures of its draft."""
    actor = _actor(viewer, region)
    now = now or timezone.now()
    if not bulletin_year_is_closed(year, timezone.localdate(now)):
        raise ValidationFailed("a bulletin covers a finished year", field="year")
    with transaction.atomic():
        existing = (
            Bulletin.objects.select_for_update()
            .filter(region=region, year=year)
            .order_by("status")
            .first()
        )
        if existing is not None and existing.status != BulletinStatus.DRAFT:
            raise Conflict(f"the bulletin is {existing.status}", code="bulletin_not_draft")
        snapshot = bulletin_snapshot_compute(viewer=viewer, region=region, year=year)
        bulletin = existing or Bulletin(region=region, year=year, created_by=actor)
        bulletin.figures = snapshot_to_json(snapshot)
        bulletin.figures_computed_at = now
        bulletin.save()
        _audit(actor, bulletin, "drafted", recomputed=existing is not None)
    return bulletin


def bulletin_sections_update(
    *, viewer: Viewer, bulletin: Bulletin, intro: str, notes: str
) -> Bulletin:
    """Edit the free text (introduction, notes) of a draft."""
    actor = _actor(viewer, bulletin.region)
    texts = {"intro": intro.strip(), "notes": notes.strip()}
    for key, text in texts.items():
        if len(text) > SECTION_MAX:
            raise ValidationFailed(f"at most {SECTION_MAX} characters", field=key)
    with transaction.atomic():
        bulletin = _locked(bulletin)
        if bulletin.status != BulletinStatus.DRAFT:
            raise Conflict("only a draft can be edited", code="bulletin_not_draft")
        bulletin.sections = texts
        bulletin.save(update_fields=["sections"])
        _audit(actor, bulletin, "sections_edited")
    return bulletin


def bulletin_submit_review(
    *, viewer: Viewer, bulletin: Bulletin, now: datetime | None = None
) -> Bulletin:
    actor = _actor(viewer, bulletin.region)
    with transaction.atomic():
        bulletin = _locked(bulletin)
        if bulletin.status != BulletinStatus.DRAFT:
            raise Conflict("only a draft can be submitted", code="bulletin_not_draft")
        bulletin.status = BulletinStatus.IN_REVIEW
        bulletin.submitted_by = actor
        bulletin.submitted_at = now or timezone.now()
        bulletin.save(update_fields=["status", "submitted_by", "submitted_at"])
        _audit(actor, bulletin, "submitted")
    return bulletin


def bulletin_return_to_draft(*, viewer: Viewer, bulletin: Bulletin, note: str) -> Bulletin:
    """The reviewer sends the bulletin back with a reason."""
    actor = _actor(viewer, bulletin.region)
    if not note.strip():
        raise ValidationFailed("say why the bulletin goes back", field="note")
    with transaction.atomic():
        bulletin = _locked(bulletin)
        if bulletin.status != BulletinStatus.IN_REVIEW:
            raise Conflict("the bulletin is not in review", code="bulletin_not_in_review")
        bulletin.status = BulletinStatus.DRAFT
        bulletin.save(update_fields=["status"])
        _audit(actor, bulletin, "returned", note=note.strip())
    return bulletin


def bulletin_approve_publish(
    *, viewer: Viewer, bulletin: Bulletin, now: datetime | None = None
) -> Bulletin:
    """Four-eyes: someone other than the drafter and the submitter approves. The figures are
    frozen as drafted; the DOCX and PDF are rendered once and kept with their SHA-256."""
    actor = _actor(viewer, bulletin.region)
    now = now or timezone.now()
    with transaction.atomic():
        bulletin = _locked(bulletin)
        if bulletin.status != BulletinStatus.IN_REVIEW:
            raise Conflict("the bulletin is not in review", code="bulletin_not_in_review")
        if actor.pk in (bulletin.created_by_id, bulletin.submitted_by_id):
            raise NotPermitted("the drafter cannot approve their own bulletin", code="four_eyes")
        bulletin.status = BulletinStatus.PUBLISHED
        bulletin.published_by = actor
        bulletin.published_at = now
        bulletin.published_late = published_late(bulletin.year, timezone.localdate(now))
        docx, pdf = bulletin_docx(bulletin), bulletin_pdf(bulletin)
        bulletin.docx, bulletin.docx_sha256 = docx, hashlib.sha256(docx).hexdigest()
        bulletin.pdf, bulletin.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
        bulletin.save()
        _audit(
            actor,
            bulletin,
            "published",
            late=bulletin.published_late,
            docx_sha256=bulletin.docx_sha256,
            pdf_sha256=bulletin.pdf_sha256,
        )
    return bulletin
