"""Reads of devices and their readings, always for a `Viewer`.

Who sees a device: platform administrators; members of its organisation; regulators of the
region of its organisation or of its facility. Weighings and fixes are seen with their device;
a trip with its vehicle's organisation, the parties of its manifest and the regulators of any
of them. Anything else is "not found".
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wufei.accounts.viewer import Viewer
from wufei.core.errors import NotFound
from wufei.iot.models import Device, GpsFix, Reading, Trip, Weighing


def _device_q(viewer: Viewer, prefix: str = "") -> Q:
    if viewer.is_admin:
        return Q()
    return (
        Q(**{f"{prefix}organisation_id__in": viewer.organisation_ids})
        | viewer.region_q(f"{prefix}organisation__region__prefix")
        | viewer.region_q(f"{prefix}facility__region__prefix")
    )


def device_list_visible(*, viewer: Viewer) -> QuerySet[Device]:
    if not viewer.is_authenticated:
        return Device.objects.none()
    return (
        Device.objects.filter(_device_q(viewer))
        .select_related("organisation", "facility", "vehicle")
        .order_by("organisation__name", "serial")
    )


def device_get_visible(*, viewer: Viewer, serial: str) -> Device:
    device = device_list_visible(viewer=viewer).filter(serial=serial).first()
    if device is None:
        raise NotFound(_("No such device."))
    return device


def readings_recent(*, viewer: Viewer, device: Device, limit: int = 50) -> list[Reading]:
    """The device's last readings by the time measured (the device must be visible)."""
    device_get_visible(viewer=viewer, serial=device.serial)
    return list(device.readings.order_by("-measured_at", "-pk")[:limit])


def weighing_list_visible(*, viewer: Viewer) -> QuerySet[Weighing]:
    if not viewer.is_authenticated:
        return Weighing.objects.none()
    return (
        Weighing.objects.filter(_device_q(viewer, "device__"))
        .select_related("device", "facility", "manifest", "container")
        .order_by("-measured_at", "-pk")
    )


def _trip_q(viewer: Viewer) -> Q:
    if viewer.is_admin:
        return Q()
    orgs = viewer.organisation_ids
    return (
        Q(vehicle__organisation_id__in=orgs)
        | Q(manifest__shipper_id__in=orgs)
        | Q(manifest__receiver_id__in=orgs)
        | viewer.region_q("vehicle__organisation__region__prefix")
        | viewer.region_q("manifest__shipper__region__prefix")
        | viewer.region_q("manifest__receiver__region__prefix")
    )


def trip_list_visible(*, viewer: Viewer) -> QuerySet[Trip]:
    if not viewer.is_authenticated:
        return Trip.objects.none()
    return (
        Trip.objects.filter(_trip_q(viewer))
        .select_related("vehicle", "manifest")
        .order_by("-started_at", "-pk")
    )


def trip_get_visible(*, viewer: Viewer, pk: int) -> Trip:
    trip = trip_list_visible(viewer=viewer).filter(pk=pk).first()
    if trip is None:
        raise NotFound(_("No such trip."))
    return trip


def trip_track(*, trip: Trip) -> list[GpsFix]:
    """The trip's fixes in the order they were measured (whatever order they arrived in)."""
    return list(GpsFix.objects.filter(trip=trip).order_by("measured_at", "pk"))
