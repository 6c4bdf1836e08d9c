"""Corrections after signature: a revision every signed party approves; both versions stay.

A signed party asks for a change of the revisable fields (`wufei.domain.manifest_revision`);
each organisation that had signed when it was asked decides once. The requester's own
organisation approves by asking. The first rejection closes the revision; when every approver
has agreed, the changes are applied and the manifest's version goes up by one. The revision
keeps the content before and after, so the history shows both versions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import MembershipRole, User
from wufei.accounts.viewer import Viewer
from wufei.core.errors import Conflict, NotPermitted, ValidationFailed
from wufei.domain.hash_chain import content_hash
from wufei.domain.manifest_flow import Action, Actor, Party, TransitionRefused, transition
from wufei.domain.manifest_revision import RevisionInvalid, revision_apply, revision_check
from wufei.registry.models import Organisation
from wufei.transfer.actors import signed_organisation_ids, snapshot_of
from wufei.transfer.articles import article
from wufei.transfer.content import lines_of, manifest_content, manifest_load
from wufei.transfer.models import Manifest, Revision, RevisionApproval
from wufei.transfer.refusals import refusal_error
from wufei.transfer.steps import notify_and_audit

DECIDING_ROLES = (MembershipRole.ADMIN, MembershipRole.MEMBER)


def _party_of(manifest: Manifest, organisation_id: int) -> Party:
    if organisation_id == manifest.shipper_id:
        return Party.SHIPPER
    if organisation_id == manifest.receiver_id:
        return Party.RECEIVER
    return Party.CARRIER


def _not_signed_party() -> NotPermitted:
    return NotPermitted(
        _(
            "Only administrators and members of a party that has signed this manifest may "
            "request or decide a revision (%(article)s)."
        )
        % {"article": article("signature")},
        code="not_signed_party",
    )


@transaction.atomic
def manifest_revision_request(
    *, viewer: Viewer, actor: User, manifest: Manifest, changes: dict[str, Any], reason: str
) -> Revision:
    """Ask the signed parties to approve a correction of a signed manifest."""
    locked = manifest_load(pk=manifest.pk, locked=True)
    signed = signed_organisation_ids(locked)
    mine = [pk for pk in signed if viewer.role_in(pk) in DECIDING_ROLES]
    if not mine:
        raise _not_signed_party()
    requester = mine[0]
    try:
        transition(
            snapshot_of(locked), Action.REQUEST_REVISION, Actor(_party_of(locked, requester))
        )
    except TransitionRefused as exc:
        raise refusal_error(exc) from exc
    if locked.revisions.filter(state=Revision.State.OPEN).exists():
        raise Conflict(
            _("Manifest %(number)s already has a revision awaiting approval.")
            % {"number": locked.number},
            code="revision_open",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(
            _("Give the reason for the correction."), code="required", field="reason"
        )
    try:
        revision_check(changes, line_positions={line.position for line in lines_of(locked)})
    except RevisionInvalid as exc:
        raise ValidationFailed(
            _("This correction is not possible: %(reason)s.") % {"reason": exc},
            code="revision_invalid",
            field="changes",
        ) from exc
    before = manifest_content(locked)
    now = timezone.now()
    revision = Revision.objects.create(
        manifest=locked,
        requested_by=actor,
        requesting_party_id=requester,
        reason=reason[:4000],
        changes=changes,
        before=before,
        after=revision_apply(before, changes),
        from_version=locked.version,
        approvers=signed,
    )
    RevisionApproval.objects.create(
        revision=revision, organisation_id=requester, user=actor, approved=True
    )
    organisation = Organisation.objects.get(pk=requester)
    notify_and_audit(
        manifest=locked,
        user=actor,
        organisation=organisation,
        event="revision_requested",
        payload={"revision": revision.pk, "changes": changes, "reason": revision.reason},
        now=now,
    )
    if set(signed) == {requester}:
        _apply(locked, revision, actor=actor, organisation=organisation, now=now)
    return revision


def _apply(
    manifest: Manifest, revision: Revision, *, actor: User, organisation: Organisation, now: Any
) -> None:
    changes = revision.changes
    before_hash = content_hash(manifest_content(manifest))
    if "planned_on" in changes:
        manifest.planned_on = date.fromisoformat(str(changes["planned_on"]))
    if "emergency_measures" in changes:
        manifest.emergency_measures = str(changes["emergency_measures"])
    line_changes = {int(k): v for k, v in changes.get("lines", {}).items()}
    for line in lines_of(manifest):
        for name, value in line_changes.get(line.position, {}).items():
            setattr(line, name, value)
        if line.position in line_changes:
            line.save(update_fields=sorted(line_changes[line.position]))
    manifest.version += 1
    manifest.save(update_fields=["planned_on", "emergency_measures", "version"])
    revision.state = Revision.State.APPLIED
    revision.closed_at = now
    revision.save(update_fields=["state", "closed_at"])
    notify_and_audit(
        manifest=manifest,
        user=actor,
        organisation=organisation,
        event="revision_applied",
        payload={
            "revision": revision.pk,
            "from_version": revision.from_version,
            "version": manifest.version,
            "before_hash": before_hash,
            "content_hash": content_hash(manifest_content(manifest)),
        },
        now=now,
    )


@transaction.atomic
def manifest_revision_decide(
    *, viewer: Viewer, actor: User, revision: Revision, approve: bool
) -> Revision:
    """One signed party's decision; the last approval applies the revision."""
    locked = manifest_load(pk=revision.manifest_id, locked=True)
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.state != Revision.State.OPEN:
        raise Conflict(_("This revision is already closed."), code="revision_closed")
    decided = set(revision.approvals.values_list("organisation_id", flat=True))
    mine = [pk for pk in revision.approvers if viewer.role_in(pk) in DECIDING_ROLES]
    if not mine:
        raise _not_signed_party()
    pending = [pk for pk in mine if pk not in decided]
    if not pending:
        raise Conflict(
            _("Your party has already decided on this revision."), code="already_decided"
        )
    organisation = Organisation.objects.get(pk=pending[0])
    RevisionApproval.objects.create(
        revision=revision, organisation=organisation, user=actor, approved=approve
    )
    now = timezone.now()
    if not approve:
        revision.state = Revision.State.REJECTED
        revision.closed_at = now
        revision.save(update_fields=["state", "closed_at"])
        event = "revision_rejected"
    else:
        event = "revision_approved"
    notify_and_audit(
        manifest=locked,
        user=actor,
        organisation=organisation,
        event=event,
        payload={"revision": revision.pk},
        now=now,
    )
    if approve and set(revision.approvers) <= decided | {organisation.pk}:
        _apply(locked, revision, actor=actor, organisation=organisation, now=now)
    return revision
