"""Warnings from devices in the field: waste leaving a producer on the weighbridge (or in a
carrier's vehicle) with no manifest, and vehicles of a manifest that leave the route or stop on
the way.

Reads are a fixed number of queries per rule; the geometry is `wufei.domain.alert_track`.
Weighings and trips are past events: one closed as handled is not raised again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import ClassVar

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wufei.alerts.rulebook import Evidence, Finding, Rule, register
from wufei.alerts.rules.handled import keys_closed_as_handled
from wufei.alerts.rules.transfer_evidence import int_threshold, manifest_evidence
from wufei.domain import alert_track as track
from wufei.domain.ledger_units import tonnes_text
from wufei.iot.models import GpsFix, Trip, WeighDirection, Weighing
from wufei.registry.models import Facility
from wufei.transfer.models import ManifestCarrier

KG = 1000
START_RADIUS_KM = 0.2  # a trip "starts at" a facility within 200 m of it
STOP_SPEED_KMH = Decimal("3")
END_RADIUS_KM = 1.0  # a stop within 1 km of either end is loading or unloading


def _plate(value: str) -> str:
    return "".join(value.split()).upper()


def weighing_evidence(weighing: Weighing) -> Evidence:
    label = (
        f"{weighing.plate_number or '—'} {timezone.localtime(weighing.measured_at):%Y-%m-%d %H:%M}"
    )
    return Evidence(kind="weighing", id=str(weighing.pk), label=label, url="")


def trip_evidence(trip: Trip, plate: str) -> Evidence:
    return Evidence(kind="trip", id=str(trip.pk), label=plate, url="")


def _point(facility: Facility) -> track.Point:
    return track.Point(facility.latitude, facility.longitude)


@register
class TransferWithoutManifest(Rule):
    """固废法 第八十二条第一款: transferring hazardous waste requires filling in and running a
    manifest; 部令第23号 第十一条（一）: a carrier refuses to transport without one."""

    code = "transfer_without_manifest"
    title = _("Waste left without a manifest")
    source = (
        "《固体废物污染环境防治法》第八十二条第一款；《危险废物转移管理办法》第十一条第（一）项"
    )
    defaults: ClassVar[Mapping[str, int | str]] = {"min_net_kg": 50, "window_hours": 2}
    triggers = frozenset({"iot.weighing", "iot.gps", "manifest.changed"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterable[Finding]:
        handled = keys_closed_as_handled(self.code)
        yield from (
            f for f in self._weighings(thresholds, organisation_ids) if f.key not in handled
        )
        yield from (f for f in self._trips(organisation_ids) if f.key not in handled)

    def _weighings(
        self, thresholds: Mapping[str, int | str], organisation_ids: frozenset[int] | None
    ) -> Iterable[Finding]:
        min_g = int_threshold(thresholds, self.defaults, "min_net_kg") * KG
        window = timedelta(hours=int_threshold(thresholds, self.defaults, "window_hours"))
        weighings = Weighing.objects.filter(
            direction=WeighDirection.OUT,
            net_g__gt=min_g,
            manifest__isnull=True,
            facility__organisation__is_producer=True,
        ).select_related("facility__organisation", "vehicle")
        if organisation_ids is not None:
            weighings = weighings.filter(facility__organisation_id__in=organisation_ids)
        candidates = list(weighings)
        if not candidates:
            return
        # manifests of those facilities picked up around those times, with their vehicles
        earliest = min(w.measured_at for w in candidates) - window
        latest = max(w.measured_at for w in candidates) + window
        picked: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
        for facility_id, picked_up_at, plate in ManifestCarrier.objects.filter(
            manifest__shipper_facility_id__in={w.facility_id for w in candidates},
            manifest__picked_up_at__gte=earliest,
            manifest__picked_up_at__lte=latest,
        ).values_list(
            "manifest__shipper_facility_id", "manifest__picked_up_at", "vehicle__plate_number"
        ):
            if picked_up_at is not None:
                picked[facility_id].append((picked_up_at, _plate(plate)))
        for weighing in candidates:
            plates = {_plate(weighing.plate_number)} - {""}
            if weighing.vehicle is not None:
                plates.add(_plate(weighing.vehicle.plate_number))
            if any(
                abs(at - weighing.measured_at) <= window and plate in plates
                for at, plate in picked.get(weighing.facility_id, [])
            ):
                continue
            facility = weighing.facility
            yield Finding(
                key=f"weighing:{weighing.pk}",
                organisation_id=facility.organisation_id,
                region_code=facility.region_id,
                facility_id=facility.pk,
                severity="critical",
                facts={
                    "source": "weighing",
                    "facility": f"{facility.code} {facility.name}",
                    "plate": weighing.plate_number or "—",
                    "net_t": tonnes_text(weighing.net_g),
                    "at": timezone.localtime(weighing.measured_at).strftime("%Y-%m-%d %H:%M"),
                },
                evidence=(weighing_evidence(weighing),),
            )

    def _trips(self, organisation_ids: frozenset[int] | None) -> Iterable[Finding]:
        first = GpsFix.objects.filter(trip=OuterRef("pk")).order_by("measured_at", "id")
        trips = (
            Trip.objects.filter(manifest__isnull=True, vehicle__organisation__is_carrier=True)
            .select_related("vehicle__organisation")
            .annotate(
                first_lat=Subquery(first.values("latitude")[:1]),
                first_lon=Subquery(first.values("longitude")[:1]),
            )
        )
        if organisation_ids is not None:
            trips = trips.filter(vehicle__organisation_id__in=organisation_ids)
        located = [t for t in trips if getattr(t, "first_lat", None) is not None]
        if not located:
            return
        producers = list(Facility.objects.filter(organisation__is_producer=True))
        for trip in located:
            start = track.Point(getattr(trip, "first_lat"), getattr(trip, "first_lon"))  # noqa: B009
            near = [
                (track.haversine_km(start, _point(f)), f)
                for f in producers
                if track.haversine_km(start, _point(f)) <= START_RADIUS_KM
            ]
            if not near:
                continue
            facility = min(near, key=lambda pair: pair[0])[1]
            vehicle = trip.vehicle
            yield Finding(
                key=f"trip:{trip.pk}",
                organisation_id=vehicle.organisation_id,
                region_code=facility.region_id,
                facility_id=facility.pk,
                severity="critical",
                facts={
                    "source": "trip",
                    "facility": f"{facility.code} {facility.name}",
                    "plate": vehicle.plate_number,
                    "at": timezone.localtime(trip.started_at).strftime("%Y-%m-%d %H:%M"),
                },
                evidence=(trip_evidence(trip, vehicle.plate_number),),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        if facts.get("source") == "trip":
            return (
                gettext(
                    "Vehicle %(plate)s set off from %(facility)s at %(at)s on a trip without "
                    "a manifest."
                )
                % facts
            )
        return (
            gettext(
                "%(net_t)s t left %(facility)s on vehicle %(plate)s at %(at)s, and no manifest "
                "of that vehicle was picked up there."
            )
            % facts
        )


def _manifest_trips(
    organisation_ids: frozenset[int] | None, since: datetime
) -> tuple[list[Trip], dict[int, list[track.Fix]]]:
    """Trips of a manifest started since `since`, with their tracks (two queries)."""
    trips = Trip.objects.filter(manifest__isnull=False, started_at__gte=since).select_related(
        "vehicle", "manifest__shipper_facility", "manifest__receiver_facility"
    )
    if organisation_ids is not None:
        trips = trips.filter(vehicle__organisation_id__in=organisation_ids)
    found = list(trips)
    tracks: dict[int, list[track.Fix]] = defaultdict(list)
    if found:
        for trip_id, at, lat, lon, speed in (
            GpsFix.objects.filter(trip_id__in=[t.pk for t in found])
            .order_by("trip_id", "measured_at", "id")
            .values_list("trip_id", "measured_at", "latitude", "longitude", "speed_kmh")
        ):
            tracks[trip_id].append(track.Fix(at, lat, lon, speed))
    return found, tracks


def _transfer_facts(trip: Trip) -> dict[str, str | int]:
    assert trip.manifest is not None
    return {
        "number": trip.manifest.number,
        "plate": trip.vehicle.plate_number,
        "from": trip.manifest.shipper_facility.name,
        "to": trip.manifest.receiver_facility.name,
    }


@register
class RouteDeviation(Rule):
    """部令第23号 第十一条（三）（四）: the carrier records the track and takes the waste to the
    receiver's address; a position far from the way between the two ends needs explaining."""

    code = "route_deviation"
    title = _("Vehicle far from the route")
    source = "《危险废物转移管理办法》第十一条第（三）（四）项"
    defaults: ClassVar[Mapping[str, int | str]] = {"max_km": 5, "lookback_days": 30}
    triggers = frozenset({"iot.gps"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterable[Finding]:
        max_km = int_threshold(thresholds, self.defaults, "max_km")
        since = now - timedelta(days=int_threshold(thresholds, self.defaults, "lookback_days"))
        handled = keys_closed_as_handled(self.code)
        trips, tracks = _manifest_trips(organisation_ids, since)
        for trip in trips:
            assert trip.manifest is not None
            key = f"trip:{trip.pk}"
            a = _point(trip.manifest.shipper_facility)
            b = _point(trip.manifest.receiver_facility)
            worst = track.farthest_from_route(tracks.get(trip.pk, []), a, b)
            if key in handled or worst is None or worst.distance_km <= max_km:
                continue
            yield Finding(
                key=key,
                organisation_id=trip.vehicle.organisation_id,
                region_code=trip.manifest.shipper_facility.region_id,
                facility_id=None,
                severity="high",
                facts={
                    **_transfer_facts(trip),
                    "km": f"{worst.distance_km:.1f}",
                    "max_km": max_km,
                    "at": timezone.localtime(worst.fix.at).strftime("%Y-%m-%d %H:%M"),
                },
                evidence=(
                    manifest_evidence(trip.manifest.number),
                    trip_evidence(trip, trip.vehicle.plate_number),
                ),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        return (
            gettext(
                "Vehicle %(plate)s of manifest %(number)s was %(km)s km from the way from "
                "%(from)s to %(to)s at %(at)s (limit %(max_km)s km)."
            )
            % facts
        )


@register
class UnexplainedStop(Rule):
    """部令第23号 第十一条（三）: the carrier guards against loss on the way; a long stop away from
    both ends of the transfer needs explaining."""

    code = "unexplained_stop"
    title = _("Long stop on the way")
    source = "《危险废物转移管理办法》第十一条第（三）项"
    defaults: ClassVar[Mapping[str, int | str]] = {"min_minutes": 30, "lookback_days": 30}
    triggers = frozenset({"iot.gps"})

    def find(
        self,
        *,
        now: datetime,
        thresholds: Mapping[str, int | str],
        organisation_ids: frozenset[int] | None,
    ) -> Iterable[Finding]:
        min_minutes = int_threshold(thresholds, self.defaults, "min_minutes")
        since = now - timedelta(days=int_threshold(thresholds, self.defaults, "lookback_days"))
        handled = keys_closed_as_handled(self.code)
        trips, tracks = _manifest_trips(organisation_ids, since)
        for trip in trips:
            assert trip.manifest is not None
            key = f"trip:{trip.pk}"
            if key in handled:
                continue
            found = track.stops_away_from(
                track.stops(
                    tracks.get(trip.pk, []), max_speed_kmh=STOP_SPEED_KMH, min_minutes=min_minutes
                ),
                [_point(trip.manifest.shipper_facility), _point(trip.manifest.receiver_facility)],
                radius_km=END_RADIUS_KM,
            )
            if not found:
                continue
            longest = max(found, key=lambda stop: stop.minutes)
            yield Finding(
                key=key,
                organisation_id=trip.vehicle.organisation_id,
                region_code=trip.manifest.shipper_facility.region_id,
                severity="medium",
                facts={
                    **_transfer_facts(trip),
                    "stops": len(found),
                    "minutes": int(longest.minutes),
                    "at": timezone.localtime(longest.started_at).strftime("%Y-%m-%d %H:%M"),
                    "latitude": str(longest.at.latitude),
                    "longitude": str(longest.at.longitude),
                },
                evidence=(
                    manifest_evidence(trip.manifest.number),
                    trip_evidence(trip, trip.vehicle.plate_number),
                ),
            )

    def describe(self, facts: Mapping[str, str | int]) -> str:
        return (
            gettext(
                "Vehicle %(plate)s of manifest %(number)s stood still for %(minutes)s minutes "
                "from %(at)s, away from both %(from)s and %(to)s."
            )
            % facts
        )
