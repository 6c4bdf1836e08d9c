"""Device registration and secrets: shown once, stored hashed, rotated, checked per org."""

from __future__ import annotations

import pytest

from tests.iot.world import post, weighing
from wufei.accounts.viewer import viewer_for
from wufei.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from wufei.domain.iot_message import kilograms_to_grams
from wufei.iot.devices import device_authenticate, device_register, device_rotate_secret
from wufei.iot.models import DeviceKind


def test_secret_is_shown_once_and_stored_hashed(iw):
    assert iw.bridge_secret not in iw.bridge.secret_hash
    assert iw.bridge.secret_hash.startswith("hmac-sha256$")
    assert device_authenticate(serial="WB-A-1", secret=iw.bridge_secret) == iw.bridge
    assert device_authenticate(serial="WB-A-1", secret=iw.other_secret) is None


def test_rotation_replaces_the_secret(iw):
    new = device_rotate_secret(viewer=viewer_for(iw.alice), device=iw.bridge)
    assert post("WB-A-1", iw.bridge_secret, weighing("WB-A-1")).status_code == 401
    assert post("WB-A-1", new, weighing("WB-A-1")).status_code == 200
    with pytest.raises(NotFound):
        device_rotate_secret(viewer=viewer_for(iw.bob), device=iw.bridge)


def test_only_members_who_act_register_devices(iw):
    with pytest.raises(NotPermitted):
        device_register(
            viewer=viewer_for(iw.bob),
            organisation=iw.shipper,
            kind=DeviceKind.GPS,
            serial="X-1",
            vehicle=None,
        )
    with pytest.raises(NotPermitted):  # read-only member
        device_register(
            viewer=viewer_for(iw.reader),
            organisation=iw.shipper,
            kind=DeviceKind.GPS,
            serial="X-1",
        )
    with pytest.raises(ValidationFailed):  # a scale needs a facility
        device_register(
            viewer=viewer_for(iw.alice),
            organisation=iw.shipper,
            kind=DeviceKind.WEIGHBRIDGE,
            serial="X-2",
        )
    with pytest.raises(ValidationFailed):  # not its facility
        device_register(
            viewer=viewer_for(iw.alice),
            organisation=iw.shipper,
            kind=DeviceKind.WEIGHBRIDGE,
            serial="X-3",
            facility=iw.other_fac,
        )
    with pytest.raises(ValidationFailed):  # '+' would break the MQTT topic
        device_register(
            viewer=viewer_for(iw.alice),
            organisation=iw.shipper,
            kind=DeviceKind.GPS,
            serial="a+b",
        )
    with pytest.raises(Conflict):
        device_register(
            viewer=viewer_for(iw.alice),
            organisation=iw.shipper,
            kind=DeviceKind.WEIGHBRIDGE,
            serial="WB-A-1",
            facility=iw.gen,
        )


def test_inactive_device_cannot_post(iw):
    iw.bridge.is_active = False
    iw.bridge.save()
    assert post("WB-A-1", iw.bridge_secret, weighing("WB-A-1")).status_code == 401


@pytest.mark.parametrize(
    ("kg", "grams"),
    [("0.001", 1), ("12345.678", 12_345_678), (7, 7000), ("1E+3", 1_000_000), ("0", 0)],
)
def test_kilograms_become_exact_grams(kg, grams):
    from decimal import Decimal

    value = Decimal(kg) if isinstance(kg, str) else kg
    assert kilograms_to_grams({"x": value}, "x") == grams
