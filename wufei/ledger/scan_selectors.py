"""What scanning a container's QR code shows, and to whom.

Public (anyone, no login): the facts printed on the label's regulatory core — the producer's
name and region, the waste category, code and hazard characteristics, the generation date and
the digital identification code. Producers are registered entities whose hazardous waste
management is public information (固废法 第二十九条: 产生危险废物的单位应当依法及时公开固体废物
污染环境防治信息), and the label already shows these facts to anyone near the container. Hidden:
weights, batch codes, persons, phone numbers, the container's whereabouts, its manifests and
their parties, its treatment — commercial relations and security-sensitive movements.

Full history: a party to the container — a member of the producer, a member of a carrier or
the receiver on a (non-draft) manifest carrying it, a regulator of the producer's region or of
such a receiver's region, or a platform administrator. Everyone else sees the public view;
nothing reveals more than that the container exists (which its label shows anyway).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.catalog.models import HAZARD_CHARACTERISTICS
from wufei.core.errors import NotFound
from wufei.domain.manifest_flow import Status
from wufei.ledger.models import Container, LedgerEvent
from wufei.transfer.models import Manifest, ManifestCarrier, ManifestLine

CODE_MAX = Container._meta.get_field("code").max_length or 64


@dataclass(frozen=True)
class PublicFacts:
    code: str
    producer: str
    region: str
    category_code: str
    category_name: str
    waste_code: str
    characteristics: tuple[tuple[str, str], ...]  # (T, "Toxicity")
    generated_on: date


@dataclass(frozen=True)
class Trip:
    """One manifest carrying the container, with the line it is on and the ordered carriers."""

    manifest: Manifest
    line: ManifestLine
    carriers: tuple[ManifestCarrier, ...]


@dataclass(frozen=True)
class Step:
    at: datetime
    what: str
    who: str = ""
    where: str = ""
    grams: int | None = None
    details: tuple[tuple[str, str], ...] = ()

    @property
    def weight(self) -> str:
        """Exact kilograms with three decimals (grams), never a float."""
        return "" if self.grams is None else f"{Decimal(self.grams) / 1000:.3f} kg"


@dataclass
class ContainerHistory:
    container: Container
    events: list[LedgerEvent] = field(default_factory=list)
    trips: list[Trip] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def container_get_by_code(*, code: str) -> Container:
    """The container with this digital identification code; NotFound otherwise."""
    code = code.strip()
    container = (
        Container.objects.select_related("organisation__region", "waste_code__category")
        .filter(code=code)
        .first()
        if 0 < len(code) <= CODE_MAX
        else None
    )
    if container is None:
        raise NotFound(_("No container has the code %(code)s.") % {"code": code}, field="code")
    return container


def container_public_facts(container: Container) -> PublicFacts:
    code = container.waste_code
    return PublicFacts(
        code=container.code,
        producer=container.organisation.name,
        region=container.organisation.region.name,
        category_code=code.category.code,
        category_name=code.category.name,
        waste_code=code.code,
        characteristics=tuple(
            (c, str(HAZARD_CHARACTERISTICS[c]))
            for c in code.characteristics
            if c in HAZARD_CHARACTERISTICS
        ),
        generated_on=container.generated_on,
    )


def _manifests(container: Container) -> QuerySet[Manifest]:
    return Manifest.objects.filter(lines__containers=container).exclude(status=Status.DRAFT)


def container_viewer_is_party(*, viewer: Viewer, container: Container) -> bool:
    if not viewer.is_authenticated:
        return False
    producer = container.organisation
    if viewer.is_admin or producer.pk in viewer.memberships:
        return True
    if viewer.regulates(producer.region.prefix):
        return True
    q = Q(pk__in=[])
    if viewer.memberships:
        ids = list(viewer.memberships)
        q |= Q(receiver_id__in=ids) | Q(carriers__carrier_id__in=ids)
    if viewer.is_regulator:
        q |= viewer.region_q("receiver__region__prefix")
    return _manifests(container).filter(q).exists()


def _trips(viewer: Viewer, container: Container) -> list[Trip]:
    lines = (
        ManifestLine.objects.filter(containers=container)
        .select_related(
            "manifest__shipper",
            "manifest__receiver",
            "manifest__receiver_facility",
            "treatment_method",
        )
        .order_by("manifest__created_at", "manifest_id", "position")
    )
    if not (viewer.is_admin or container.organisation_id in viewer.memberships):
        lines = lines.exclude(manifest__status=Status.DRAFT)
    trips = []
    for line in lines:
        carriers = tuple(
            line.manifest.carriers.select_related("carrier", "vehicle").order_by("position")
        )
        trips.append(Trip(manifest=line.manifest, line=line, carriers=carriers))
    return trips


def _event_step(event: LedgerEvent) -> Step:
    details = [(_("Batch code"), event.batch_code)]
    if event.treatment_method:
        details.append((_("Treatment method"), str(event.treatment_method)))
    if event.manifest:
        details.append((_("Manifest"), event.manifest.number))
    if event.receiver:
        details.append((_("Receiver"), event.receiver.name))
    if event.handled_by:
        details.append((_("Person responsible"), event.handled_by))
    return Step(
        at=event.occurred_at,
        what=event.get_kind_display(),
        who=event.organisation.name,
        where=event.facility.name,
        grams=event.quantity_g,
        details=tuple(details),
    )


def _trip_steps(trip: Trip) -> list[Step]:
    m, line = trip.manifest, trip.line
    head = (_("Manifest"), m.number)
    steps = []
    if m.shipper_signed_at:
        steps.append(
            Step(
                m.shipper_signed_at,
                _("Manifest signed by the shipper"),
                m.shipper.name,
                grams=line.weight_g,
                details=(head,),
            )
        )
    for c in trip.carriers:
        if c.picked_up_at:
            steps.append(
                Step(
                    c.picked_up_at,
                    _("Picked up by the carrier"),
                    c.carrier.name,
                    details=(head, (_("Vehicle"), c.vehicle.plate_number)),
                )
            )
    if m.arrived_at:
        steps.append(
            Step(
                m.arrived_at,
                _("Arrived at the receiver"),
                m.receiver.name,
                m.receiver_facility.name,
                details=(head,),
            )
        )
    if m.received_at:
        weights = [
            (label, f"{Decimal(grams) / 1000:.3f} kg")
            for label, grams in (
                (_("Received weight"), line.received_weight_g),
                (_("Accepted weight"), line.accepted_weight_g),
            )
            if grams is not None
        ]
        steps.append(
            Step(
                m.received_at,
                _("Receipt recorded by the receiver"),
                m.receiver.name,
                m.receiver_facility.name,
                grams=line.accepted_weight_g,
                details=(head, *weights),
            )
        )
    if m.treated_at:
        method = str(line.treatment_method) if line.treatment_method else ""
        steps.append(
            Step(
                m.treated_at,
                _("Treatment recorded"),
                m.receiver.name,
                m.receiver_facility.name,
                grams=line.treated_weight_g,
                details=(head, (_("Treatment method"), method)) if method else (head,),
            )
        )
    if m.cancelled_at:
        steps.append(Step(m.cancelled_at, _("Manifest cancelled"), m.shipper.name, details=(head,)))
    return steps


def container_history(*, viewer: Viewer, container: Container) -> ContainerHistory:
    """Everything recorded about the container, in time order; NotFound for non-parties."""
    if not container_viewer_is_party(viewer=viewer, container=container):
        raise NotFound(_("No container has the code %(code)s.") % {"code": container.code})
    events = list(
        LedgerEvent.objects.filter(Q(container=container) | Q(container_code=container.code))
        .select_related("organisation", "facility", "treatment_method", "manifest", "receiver")
        .order_by("occurred_at", "id")
    )
    history = ContainerHistory(container=container, events=events, trips=_trips(viewer, container))
    steps = [
        Step(
            container.created_at,
            _("Container registered, code issued"),
            container.organisation.name,
        )
    ]
    if container.label_printed_at:
        steps.append(
            Step(container.label_printed_at, _("Label printed"), container.organisation.name)
        )
    steps += [_event_step(e) for e in events]
    for trip in history.trips:
        steps += _trip_steps(trip)
    history.steps = sorted(steps, key=lambda s: s.at)
    return history
