"""Registering containers (一物一码, HJ 1276-2022): each gets its digital identification code.

The code's last segment is a sequence per unit, waste code and generation date
(`wufei.domain.hw_identification`). Allocation is race-free: the organisation's row is locked
(FOR NO KEY UPDATE, which does not block inserts referencing it) while the next sequence is
read and the containers are written, so concurrent registrations queue; on SQLite the
IMMEDIATE transaction already serialises writers. The unique constraint on
(organisation, waste code, date, sequence) is the last line of defence.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import viewer_for
from wufei.catalog.models import HazardousCode
from wufei.catalog.selectors import current_edition
from wufei.core.audit import audit_append
from wufei.core.errors import NotPermitted, ValidationFailed
from wufei.domain.hw_identification import (
    MAX_SEQUENCE,
    identification_code_build,
    label_size_for_volume,
)
from wufei.ledger.models import Container
from wufei.registry.models import Organisation

MAX_BATCH = 200  # containers per request: one label sheet run, not a sequence range
VOLUME_LIMIT = Decimal("9999999.9")  # Container.volume_l: 8 digits, one decimal
TYPE_LENGTH = Container._meta.get_field("container_type").max_length or 20
INTERNAL_LENGTH = Container._meta.get_field("internal_code").max_length or 64


def _require_actor(actor: User, organisation: Organisation) -> None:
    viewer = viewer_for(actor)
    if viewer.is_admin or viewer.can_act_for(organisation.pk):
        return
    raise NotPermitted(
        _("Only members of %(org)s may register its containers.") % {"org": organisation.name}
    )


def _clean_volume(volume_l: Decimal | str | int) -> Decimal:
    try:
        volume = Decimal(str(volume_l)).quantize(Decimal("0.1"))
    except InvalidOperation:
        raise ValidationFailed(
            _("Enter the container volume in litres."), code="volume_invalid", field="volume_l"
        ) from None
    if not Decimal(0) < volume <= VOLUME_LIMIT:
        raise ValidationFailed(
            _("A container's volume must be more than 0 L (HJ 1276-2022 label size table)."),
            code="volume_invalid",
            field="volume_l",
        )
    label_size_for_volume(volume)
    return volume


def _check_date(generated_on: date) -> None:
    if generated_on > timezone.localdate():
        raise ValidationFailed(
            _("The generation date %(day)s is in the future.") % {"day": generated_on.isoformat()},
            code="date_in_future",
            field="generated_on",
        )


def _check_code_in_force(waste_code: HazardousCode, generated_on: date) -> None:
    """A label names a code of the list in force when the waste was generated."""
    edition = current_edition(on=generated_on)
    if edition is not None and waste_code.edition_id != edition.pk:
        raise ValidationFailed(
            _(
                "Waste code %(code)s belongs to the %(year)s list, which was not in force on "
                "%(day)s (国家危险废物名录; HJ 1276-2022 label content)."
            )
            % {
                "code": waste_code.code,
                "year": waste_code.edition.year,
                "day": generated_on.isoformat(),
            },
            code="code_not_in_force",
            field="waste_code",
        )


def _text(value: str, *, field: str, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("This field is required."), code="required", field=field)
    if len(value) > limit:
        raise ValidationFailed(
            _("At most %(n)s characters.") % {"n": limit}, code="too_long", field=field
        )
    return value


def container_register_batch(
    *,
    actor: User,
    organisation: Organisation,
    waste_code: HazardousCode,
    container_type: str,
    volume_l: Decimal,
    generated_on: date,
    count: int,
    internal_codes: Iterable[str] = (),
) -> list[Container]:
    """Register `count` identical containers with consecutive sequence numbers."""
    _require_actor(actor, organisation)
    if not 1 <= count <= MAX_BATCH:
        raise ValidationFailed(
            _("Register between 1 and %(n)s containers at a time.") % {"n": MAX_BATCH},
            code="count_invalid",
            field="count",
        )
    kind = _text(container_type, field="container_type", limit=TYPE_LENGTH, required=True)
    volume = _clean_volume(volume_l)
    _check_date(generated_on)
    _check_code_in_force(waste_code, generated_on)
    internal = [
        _text(c, field="internal_code", limit=INTERNAL_LENGTH, required=False)
        for c in internal_codes
    ]
    if len(internal) > count:
        raise ValidationFailed(
            _("More internal codes than containers."), code="too_many", field="internal_code"
        )
    internal += [""] * (count - len(internal))
    with transaction.atomic():
        Organisation.objects.select_for_update(no_key=True).filter(pk=organisation.pk).first()
        last = (
            Container.objects.filter(
                organisation=organisation, waste_code=waste_code, generated_on=generated_on
            ).aggregate(last=Max("sequence"))["last"]
            or 0
        )
        if last + count > MAX_SEQUENCE:
            raise ValidationFailed(
                _(
                    "%(org)s has already numbered %(last)s containers of %(code)s on %(day)s; "
                    "the sequence segment of the digital identification code ends at "
                    "%(max)s (HJ 1276-2022 appendix A)."
                )
                % {
                    "org": organisation.name,
                    "last": last,
                    "code": waste_code.code,
                    "day": generated_on.isoformat(),
                    "max": MAX_SEQUENCE,
                },
                code="sequence_exhausted",
                field="count",
            )
        containers = [
            Container(
                organisation=organisation,
                code=identification_code_build(
                    unit_code=organisation.uscc,
                    waste_code=waste_code.code,
                    generated_on=generated_on,
                    sequence=sequence,
                ),
                waste_code=waste_code,
                generated_on=generated_on,
                sequence=sequence,
                container_type=kind,
                volume_l=volume,
                internal_code=internal_code,
            )
            for sequence, internal_code in zip(
                range(last + 1, last + count + 1), internal, strict=True
            )
        ]
        for container in containers:
            container.save(force_insert=True)
            audit_append(
                actor=actor,
                organisation=organisation,
                action="container.registered",
                subject_type="container",
                subject_id=container.code,
                payload={
                    "code": container.code,
                    "waste_code": waste_code.code,
                    "generated_on": generated_on.isoformat(),
                    "sequence": container.sequence,
                    "container_type": kind,
                    "volume_l": str(volume),
                    "internal_code": container.internal_code,
                },
            )
    return containers


def container_register(
    *,
    actor: User,
    organisation: Organisation,
    waste_code: HazardousCode,
    container_type: str,
    volume_l: Decimal,
    generated_on: date,
    internal_code: str = "",
) -> Container:
    """Register one container and give it the next digital identification code."""
    [container] = container_register_batch(
        actor=actor,
        organisation=organisation,
        waste_code=waste_code,
        container_type=container_type,
        volume_l=volume_l,
        generated_on=generated_on,
        count=1,
        internal_codes=[internal_code] if internal_code else [],
    )
    return container


def container_label_printed(*, actor: User, containers: Iterable[Container]) -> int:
    """Record that labels were printed (first time only); answers how many were new."""
    containers = list(containers)
    for organisation in {c.organisation for c in containers}:
        _require_actor(actor, organisation)  # printing is an act, even a reprint
    todo = [c for c in containers if c.label_printed_at is None]
    if not todo:
        return 0
    now = timezone.now()
    marked = 0
    with transaction.atomic():
        for container in todo:
            updated = Container.objects.filter(
                pk=container.pk, label_printed_at__isnull=True
            ).update(label_printed_at=now)
            if not updated:
                continue
            container.label_printed_at = now
            marked += 1
            audit_append(
                actor=actor,
                organisation=container.organisation,
                action="container.label_printed",
                subject_type="container",
                subject_id=container.code,
                payload={"code": container.code, "printed_at": now.isoformat()},
                occurred_at=now,
            )
    return marked
