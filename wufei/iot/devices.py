"""Register devices, rotate their secrets, and recognise a device from its credentials.

The secret is shown once, when registered or rotated; only its salted hash is kept
(`wufei.iot.credentials`). Registering and rotating are audited; readings are not (they are
raw measurements, kept in `Reading` with their own idempotency key).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.accounts.viewer import Viewer
from wufei.core.audit import audit_append
from wufei.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from wufei.iot.credentials import secret_generate, secret_hash, secret_matches
from wufei.iot.models import Device, DeviceKind
from wufei.registry.models import Facility, Organisation, Vehicle


def _actor(viewer: Viewer) -> User | None:
    return User.objects.filter(pk=viewer.user_id).first() if viewer.user_id else None


def _may_manage(viewer: Viewer, organisation_id: int) -> bool:
    return viewer.is_admin or viewer.can_act_for(organisation_id)


@transaction.atomic
def device_register(
    *,
    viewer: Viewer,
    organisation: Organisation,
    kind: str,
    serial: str,
    name: str = "",
    facility: Facility | None = None,
    vehicle: Vehicle | None = None,
) -> tuple[Device, str]:
    """The new device and its secret (shown once; only a hash is stored)."""
    if not _may_manage(viewer, organisation.pk):
        raise NotPermitted(_("You may not register devices for this organisation."))
    serial = serial.strip()
    if not serial or len(serial) > 64 or "/" in serial or "+" in serial or "#" in serial:
        raise ValidationFailed(
            _("A serial number has 1 to 64 characters and no '/', '+' or '#'."), field="serial"
        )
    if kind not in DeviceKind.values:
        raise ValidationFailed(_("Unknown device kind."), field="kind")
    if facility is not None and facility.organisation_id != organisation.pk:
        raise ValidationFailed(_("The facility belongs to another organisation."), field="facility")
    if vehicle is not None and vehicle.organisation_id != organisation.pk:
        raise ValidationFailed(_("The vehicle belongs to another organisation."), field="vehicle")
    if kind in (DeviceKind.WEIGHBRIDGE, DeviceKind.PLATFORM_SCALE) and facility is None:
        raise ValidationFailed(_("A scale is installed at a facility."), field="facility")
    if Device.objects.filter(serial=serial).exists():
        raise Conflict(_("A device with this serial number is already registered."), field="serial")
    secret = secret_generate()
    device = Device.objects.create(
        organisation=organisation,
        facility=facility,
        vehicle=vehicle,
        kind=kind,
        serial=serial,
        name=name,
        secret_hash=secret_hash(secret),
    )
    audit_append(
        actor=_actor(viewer),
        organisation=organisation,
        action="iot.device_registered",
        subject_type="iot.device",
        subject_id=serial,
        payload={
            "kind": kind,
            "facility": facility.pk if facility else None,
            "vehicle": vehicle.pk if vehicle else None,
        },
    )
    return device, secret


@transaction.atomic
def device_rotate_secret(*, viewer: Viewer, device: Device) -> str:
    """A new secret for the device (the old one stops working at once)."""
    if not _may_manage(viewer, device.organisation_id):
        raise NotFound(_("No such device."))
    secret = secret_generate()
    Device.objects.filter(pk=device.pk).update(secret_hash=secret_hash(secret))
    device.refresh_from_db(fields=["secret_hash"])
    audit_append(
        actor=_actor(viewer),
        organisation=device.organisation,
        action="iot.device_secret_rotated",
        subject_type="iot.device",
        subject_id=device.serial,
        payload={},
    )
    return secret


def device_authenticate(*, serial: str, secret: str) -> Device | None:
    """The active device with this serial and secret, else None (never says which was wrong)."""
    device = Device.objects.filter(serial=serial, is_active=True).first() if serial else None
    if device is None or not secret_matches(secret, device.secret_hash):
        return None
    return device
