"""Who sees which manifests, and what a viewer may do with one.

Policy (ARCHITECTURE: "a party sees only what it is a party to; a regulator sees its region"):
the members of the shipper, of any carrier (drivers included) and of the receiver see the
manifest, whatever their role; a regulator sees the manifests whose shipper facility or receiver
facility lies in its regions (both ends of a transfer are supervised); a platform administrator
sees all; nobody else. Invisible is "not found", never "forbidden".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import MembershipRole
from wufei.accounts.viewer import Viewer
from wufei.core.errors import NotFound, ValidationFailed
from wufei.domain.manifest_flow import Action, Actor, Party, Snapshot, allowed_actions
from wufei.transfer.actors import PARTY_OF, SIGNING_ROLES, snapshot_of
from wufei.transfer.content import carriers_of
from wufei.transfer.models import (
    CrossProvinceApproval,
    Manifest,
    ManifestCarrier,
    Revision,
    Signature,
)

NOTHING = Q(pk__in=[])
ROLES = ("shipper", "carrier", "receiver")
ACTING_ROLES = (MembershipRole.ADMIN, MembershipRole.MEMBER)


def _visible_q(viewer: Viewer) -> Q:
    if not viewer.is_authenticated:
        return NOTHING
    if viewer.is_admin:
        return Q()
    q = NOTHING
    if viewer.memberships:
        orgs = viewer.organisation_ids
        carried = ManifestCarrier.objects.filter(carrier_id__in=orgs).values("manifest_id")
        q |= Q(shipper_id__in=orgs) | Q(receiver_id__in=orgs) | Q(pk__in=carried)
    if viewer.is_regulator:
        q |= viewer.region_q("shipper_facility__region__prefix")
        q |= viewer.region_q("receiver_facility__region__prefix")
    return q


def _orgs_with(viewer: Viewer, roles: tuple[str, ...]) -> list[int]:
    return [pk for pk, role in viewer.memberships.items() if role in roles]


def _to_sign_q(viewer: Viewer) -> Q:
    """Manifests waiting for a step by one of the viewer's organisations (the 待我签署 tab)."""
    acting = _orgs_with(viewer, ACTING_ROLES)
    transport = _orgs_with(viewer, SIGNING_ROLES)
    earlier_picked = ManifestCarrier.objects.filter(
        manifest_id=OuterRef("manifest_id"),
        position=OuterRef("position") - 1,
        picked_up_at__isnull=False,
    )
    later = ManifestCarrier.objects.filter(
        manifest_id=OuterRef("manifest_id"), position__gt=OuterRef("position")
    )
    my_legs = ManifestCarrier.objects.filter(carrier_id__in=transport)
    pickup = my_legs.filter(picked_up_at__isnull=True).filter(
        Q(position=1) | Exists(earlier_picked)
    )
    delivery = my_legs.filter(picked_up_at__isnull=False, delivered_at__isnull=True).exclude(
        Exists(later)
    )
    open_revisions = Revision.objects.filter(state=Revision.State.OPEN).values("manifest_id")
    return (
        Q(shipper_id__in=acting, status="draft")
        | Q(shipper_id__in=acting, return_status="in_transit")
        | Q(status__in=("ready", "in_transit"), pk__in=pickup.values("manifest_id"))
        | Q(status="in_transit", pk__in=delivery.values("manifest_id"))
        | Q(return_status="pending", pk__in=my_legs.values("manifest_id"))
        | Q(receiver_id__in=acting, status__in=("arrived", "accepted", "partially_accepted"))
        | (Q(pk__in=open_revisions) & (Q(shipper_id__in=acting) | Q(receiver_id__in=acting)))
    )


def manifest_list_visible(
    *,
    viewer: Viewer,
    status: str = "",
    role: str = "",
    planned_from: date | None = None,
    planned_to: date | None = None,
    to_sign: bool = False,
    search: str = "",
) -> QuerySet[Manifest]:
    """The manifests the viewer may see, newest first, optionally filtered."""
    qs = Manifest.objects.filter(_visible_q(viewer)).select_related(
        "shipper", "receiver", "shipper_facility__region", "receiver_facility__region"
    )
    if status:
        qs = qs.filter(status=status)
    if role:
        if role not in ROLES:
            raise ValidationFailed(
                _("Unknown role “%(role)s”; use one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(ROLES)},
                code="unknown_role",
                field="role",
            )
        orgs = viewer.organisation_ids
        by_role = {
            "shipper": Q(shipper_id__in=orgs),
            "receiver": Q(receiver_id__in=orgs),
            "carrier": Q(
                pk__in=ManifestCarrier.objects.filter(carrier_id__in=orgs).values("manifest_id")
            ),
        }
        qs = qs.filter(by_role[role])
    if planned_from:
        qs = qs.filter(planned_on__gte=planned_from)
    if planned_to:
        qs = qs.filter(planned_on__lte=planned_to)
    if to_sign:
        qs = qs.filter(_to_sign_q(viewer))
    if search := search.strip():
        qs = qs.filter(
            Q(number__startswith=search)
            | Q(shipper__name__icontains=search)
            | Q(receiver__name__icontains=search)
        )
    return qs.order_by("-created_at", "-pk")


def manifest_get_visible(*, viewer: Viewer, number: str) -> Manifest:
    manifest = Manifest.objects.filter(_visible_q(viewer), number=number.strip()).first()
    if manifest is None:
        raise NotFound(
            _("No manifest %(number)s is visible to you.") % {"number": number}, field="number"
        )
    return manifest


def signature_get_visible(*, viewer: Viewer, number: str, pk: int) -> Signature:
    manifest = manifest_get_visible(viewer=viewer, number=number)
    signature = Signature.objects.filter(manifest=manifest, pk=pk).first()
    if signature is None:
        raise NotFound(_("No such signature on this manifest."), field="signature")
    return signature


def revision_get_visible(*, viewer: Viewer, number: str, pk: int) -> Revision:
    manifest = manifest_get_visible(viewer=viewer, number=number)
    revision = Revision.objects.filter(manifest=manifest, pk=pk).first()
    if revision is None:
        raise NotFound(_("No such revision of this manifest."), field="revision")
    return revision


@dataclass(frozen=True)
class AllowedAction:
    action: Action
    party: Party
    carrier_position: int | None


def _actors(viewer: Viewer, manifest: Manifest) -> list[tuple[Actor, str]]:
    """Every way the viewer may act on this manifest, with its membership role."""
    found = []
    for party, org_id in (
        (Party.SHIPPER, manifest.shipper_id),
        (Party.RECEIVER, manifest.receiver_id),
    ):
        role = viewer.role_in(org_id)
        if role in SIGNING_ROLES:
            found.append((Actor(party, None, role == MembershipRole.DRIVER), role))
    for mc in carriers_of(manifest):
        role = viewer.role_in(mc.carrier_id)
        if role in SIGNING_ROLES:
            found.append((Actor(Party.CARRIER, mc.position, role == MembershipRole.DRIVER), role))
    return found


def manifest_allowed_actions(*, viewer: Viewer, manifest: Manifest) -> list[AllowedAction]:
    """The steps the viewer may take now (what the signing page offers). Revision requests
    are offered separately: they depend on which parties have signed."""
    state: Snapshot = snapshot_of(manifest)
    signed_pickups = {c.position for c in carriers_of(manifest) if c.picked_up_at}
    result: dict[Action, AllowedAction] = {}
    for actor, _role in _actors(viewer, manifest):
        for action in allowed_actions(state, actor):
            if action not in PARTY_OF or action in result:
                continue
            if action == Action.SIGN_PICKUP and actor.carrier_position in signed_pickups:
                continue
            result[action] = AllowedAction(action, actor.party, actor.carrier_position)
    return list(result.values())


def manifest_overdue_receipts(*, viewer: Viewer, today: date | None = None) -> QuerySet[Manifest]:
    """Arrived manifests whose receiver has not decided by the deadline (第十八条), and those
    received late, for the regulator's follow-up."""
    day = today or timezone.localdate()
    overdue = Q(status="arrived", receipt_due_on__lt=day) | Q(received_late=True)
    return manifest_list_visible(viewer=viewer).filter(overdue).order_by(F("receipt_due_on").asc())


def approval_list_visible(*, viewer: Viewer) -> QuerySet[CrossProvinceApproval]:
    """Approvals of the viewer's organisations (as shipper or receiver), of its regions, or all."""
    qs = CrossProvinceApproval.objects.select_related("shipper", "receiver").prefetch_related(
        "items__waste_code"
    )
    if viewer.is_admin:
        return qs.order_by("-valid_from", "number")
    q = NOTHING
    if viewer.memberships:
        orgs = viewer.organisation_ids
        q |= Q(shipper_id__in=orgs) | Q(receiver_id__in=orgs)
    if viewer.is_regulator:
        q |= viewer.region_q("shipper__region__prefix") | viewer.region_q(
            "receiver__region__prefix"
        )
    return qs.filter(q).order_by("-valid_from", "number")
