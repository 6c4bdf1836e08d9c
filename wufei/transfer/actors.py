"""Who may take a step on a manifest: the user's party, carrier position and role.

A user acts for a party through its membership of that party's organisation: administrators
and members sign every step of their party; a driver of a carrier signs only the transport
steps (pick-up, delivery, taking refused waste back) and only as that carrier; read-only members
sign nothing. The state machine (`wufei.domain.manifest_flow`) then decides whether the step is
allowed now; this module only says who the user is on this manifest.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from wufei.accounts.models import MembershipRole
from wufei.accounts.viewer import Viewer
from wufei.core.errors import NotPermitted
from wufei.domain.manifest_flow import Action, Actor, Party, ReturnStatus, Snapshot, Status
from wufei.registry.models import Organisation
from wufei.transfer.articles import article
from wufei.transfer.content import carriers_of
from wufei.transfer.models import Manifest

PARTY_OF: dict[Action, Party] = {
    Action.EDIT: Party.SHIPPER,
    Action.SIGN_SHIPPER: Party.SHIPPER,
    Action.CANCEL: Party.SHIPPER,
    Action.CONFIRM_RETURN: Party.SHIPPER,
    Action.SIGN_PICKUP: Party.CARRIER,
    Action.SIGN_DELIVERY: Party.CARRIER,
    Action.START_RETURN: Party.CARRIER,
    Action.ACCEPT: Party.RECEIVER,
    Action.ACCEPT_PARTIALLY: Party.RECEIVER,
    Action.REFUSE: Party.RECEIVER,
    Action.RECORD_TREATMENT: Party.RECEIVER,
}
SIGNING_ROLES = (MembershipRole.ADMIN, MembershipRole.MEMBER, MembershipRole.DRIVER)


@dataclass(frozen=True)
class Signer:
    """The user on this manifest for one action: the flow actor and the organisation."""

    actor: Actor
    organisation: Organisation


def snapshot_of(manifest: Manifest) -> Snapshot:
    carriers = carriers_of(manifest)
    return Snapshot(
        status=Status(manifest.status),
        carriers_total=len(carriers),
        carriers_signed=sum(1 for c in carriers if c.picked_up_at is not None),
        return_status=ReturnStatus(manifest.return_status),
    )


def _refuse_role(viewer: Viewer, organisation: Organisation) -> None:
    role = viewer.role_in(organisation.pk)
    if role == MembershipRole.READONLY:
        raise NotPermitted(
            _("Read-only members of %(org)s may not sign (%(article)s).")
            % {"org": organisation.name, "article": article("signature")},
            code="readonly_member",
        )


def _not_a_party(party: Party) -> NotPermitted:
    names = {
        Party.SHIPPER: _("the shipper"),
        Party.CARRIER: _("a carrier"),
        Party.RECEIVER: _("the receiver"),
    }
    return NotPermitted(
        _("Only members of %(party)s of this manifest may take this step (%(article)s).")
        % {"party": names[party], "article": article("signature")},
        code="not_a_party",
    )


def _carrier_position(action: Action, positions: list[int], state: Snapshot) -> int:
    """Which of the user's carrier positions acts: the one whose turn it is, if any."""
    if action == Action.SIGN_PICKUP:
        wanted = state.carriers_signed + 1
    elif action == Action.SIGN_DELIVERY:
        wanted = state.carriers_total
    else:  # taking refused waste back: the last carrier the user drives for
        return positions[-1]
    return wanted if wanted in positions else positions[0]


def signer_for(viewer: Viewer, manifest: Manifest, action: Action, state: Snapshot) -> Signer:
    """The user's party on this manifest for `action`, or NotPermitted naming the rule."""
    party = PARTY_OF[action]
    if party == Party.CARRIER:
        mine = [
            mc for mc in carriers_of(manifest) if viewer.role_in(mc.carrier_id) in SIGNING_ROLES
        ]
        if not mine:
            for mc in carriers_of(manifest):
                _refuse_role(viewer, mc.carrier)
            raise _not_a_party(party)
        position = _carrier_position(action, [mc.position for mc in mine], state)
        carrier = next(mc for mc in mine if mc.position == position)
        is_driver = viewer.role_in(carrier.carrier_id) == MembershipRole.DRIVER
        return Signer(Actor(Party.CARRIER, position, is_driver), carrier.carrier)
    organisation = manifest.shipper if party == Party.SHIPPER else manifest.receiver
    role = viewer.role_in(organisation.pk)
    if role not in SIGNING_ROLES:
        _refuse_role(viewer, organisation)
        raise _not_a_party(party)
    return Signer(Actor(party, None, role == MembershipRole.DRIVER), organisation)


def signed_organisation_ids(manifest: Manifest) -> list[int]:
    """Organisations that have signed any step of this manifest, in order of first signature."""
    ids = manifest.signatures.order_by("signed_at", "pk").values_list("organisation_id", flat=True)
    return list(dict.fromkeys(ids))
