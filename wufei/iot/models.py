"""Devices in the field and what they measured: weighbridges, scales and GPS units.

`Reading` is the raw, idempotent store (one row per device and message id, whatever the
delivery path: HTTP retries and MQTT redeliveries collapse onto it). `Weighing` and `GpsFix`
are its typed projections, linked to the network's records (facility, vehicle, container,
manifest). Rows keep the time the device measured (`measured_at`), so messages may arrive in
any order; selectors sort by it. Masses are integer grams.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceKind(models.TextChoices):
    WEIGHBRIDGE = "weighbridge", _("Weighbridge")
    PLATFORM_SCALE = "platform_scale", _("Platform scale")
    GPS = "gps", _("GPS unit")
    CAMERA = "camera", _("Camera")


class Device(models.Model):
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="devices"
    )
    facility = models.ForeignKey(
        "registry.Facility", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vehicle = models.ForeignKey(
        "registry.Vehicle", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DeviceKind.choices)
    serial = models.CharField(_("serial number"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    # "hmac-sha256$<salt hex>$<digest hex>" of the device secret (wufei/iot/credentials.py).
    secret_hash = models.CharField(max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["serial"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self) -> str:
        return self.serial


class Reading(models.Model):
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="readings")
    message_id = models.CharField(max_length=64)
    measured_at = models.DateTimeField(_("measured at"))
    received_at = models.DateTimeField(_("received at"))
    payload = models.JSONField(encoder=DjangoJSONEncoder)  # decimals kept as sent, as text

    class Meta:
        ordering = ["-measured_at"]
        constraints = [
            models.UniqueConstraint(fields=["device", "message_id"], name="reading_once")
        ]
        indexes = [models.Index(fields=["device", "measured_at"])]

    def __str__(self) -> str:
        return f"{self.device_id}/{self.message_id}"


class WeighDirection(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")


class Weighing(models.Model):
    reading = models.OneToOneField(Reading, on_delete=models.PROTECT, related_name="weighing")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="weighings")
    facility = models.ForeignKey(
        "registry.Facility", on_delete=models.PROTECT, related_name="weighings"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=WeighDirection.choices)
    plate_number = models.CharField(_("plate number"), max_length=12, blank=True)
    vehicle = models.ForeignKey(
        "registry.Vehicle", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gross_g = models.BigIntegerField(_("gross (g)"))
    tare_g = models.BigIntegerField(_("tare (g)"))
    net_g = models.BigIntegerField(_("net (g)"))
    measured_at = models.DateTimeField(_("measured at"))
    container = models.ForeignKey(
        "ledger.Container", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    manifest = models.ForeignKey(
        "transfer.Manifest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="weighings",
    )

    class Meta:
        ordering = ["-measured_at"]
        indexes = [
            models.Index(fields=["facility", "measured_at"]),
            models.Index(fields=["vehicle", "measured_at"]),
        ]
        verbose_name = _("weighing")
        verbose_name_plural = _("weighings")

    def __str__(self) -> str:
        return f"{self.device_id} {self.direction} {self.net_g} g"


class Trip(models.Model):
    """A vehicle's journey: the transit of one manifest, or a run of fixes without one."""

    vehicle = models.ForeignKey("registry.Vehicle", on_delete=models.PROTECT, related_name="+")
    manifest = models.ForeignKey(
        "transfer.Manifest", null=True, blank=True, on_delete=models.PROTECT, related_name="trips"
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "manifest"],
                condition=models.Q(manifest__isnull=False),
                name="one_trip_per_manifest_vehicle",
            )
        ]
        indexes = [models.Index(fields=["vehicle", "started_at"])]
        verbose_name = _("trip")
        verbose_name_plural = _("trips")

    def __str__(self) -> str:
        return f"trip {self.pk}"


class GpsFix(models.Model):
    reading = models.OneToOneField(Reading, on_delete=models.PROTECT, related_name="fix")
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="fixes")
    vehicle = models.ForeignKey("registry.Vehicle", on_delete=models.PROTECT, related_name="+")
    trip = models.ForeignKey(
        Trip, null=True, blank=True, on_delete=models.PROTECT, related_name="fixes"
    )
    measured_at = models.DateTimeField(_("measured at"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    speed_kmh = models.DecimalField(_("speed (km/h)"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["measured_at"]
        indexes = [
            models.Index(fields=["vehicle", "measured_at"]),
            models.Index(fields=["trip", "measured_at"]),
        ]
        verbose_name = _("GPS fix")
        verbose_name_plural = _("GPS fixes")

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.measured_at}"
