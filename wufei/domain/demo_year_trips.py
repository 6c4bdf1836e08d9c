"""Shipments of a demo year: when each store is emptied, onto which vehicles, under which manifest.

One manifest per vehicle trip (危险废物转移管理办法 第十六条): on a shipping day everything a
shipper holds for one receiver is loaded, oldest first, in as many trips as the carrier's
largest vehicle needs; each trip takes the smallest vehicle that carries its load. A shipper
ships to a licensed plant often enough to fill a van (about 4 t a trip; twice a year at
least, so nothing waits a year), to the collector two to six times a year, and hands medical
waste over after every recording period. Store-out (B.3) and hand-over (B.5) are recorded at
pick-up, one per container.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wufei.domain.demo_district import OrganisationPlan
from wufei.domain.demo_year_book import Lot, YearBook
from wufei.domain.demo_year_records import (
    HAND_OVER,
    STORE_OUT,
    LegPlan,
    LinePlan,
    ManifestPlan,
)
from wufei.domain.workdays import WorkdayCalendar

TRIP_LOAD_G = 4_000_000  # a van's usual load towards a licensed plant
COLLECTOR_LOAD_G = 1_000_000


@dataclass(frozen=True)
class Trip:
    """A planned departure: who ships what to whom, with which carriers, on which day."""

    shipper: str
    shipper_facility: str
    receiver: str
    receiver_facility: str
    medical: bool
    carriers: tuple[str, ...]
    day: date
    approval: int | None = None


def trip_days(
    calendar: WorkdayCalendar,
    rng_jitter: list[int],
    *,
    year: int,
    trips: int,
    last: date | None = None,
) -> list[date]:
    """`trips` working days spread over the year (the k-th near the end of its share)."""
    end = min(last or date(year, 12, 31), date(year, 12, 31))
    days = []
    for k in range(trips):
        day = date(year, 1, 1) + timedelta(days=(k + 1) * 365 // trips - 1 + rng_jitter[k])
        day = min(max(day, date(year, 1, 2)), end)
        while not calendar.is_workday(day) and day < end:
            day += timedelta(days=1)
        while not calendar.is_workday(day):
            day -= timedelta(days=1)
        days.append(day)
    return sorted(set(days))


def trip_count(annual_g: int, *, medical_periods: int, to_collector: bool, medical: bool) -> int:
    if medical:
        return medical_periods
    if to_collector:
        return min(6, max(2, math.ceil(annual_g / COLLECTOR_LOAD_G)))
    return min(104, max(2, math.ceil(annual_g / TRIP_LOAD_G)))


def chunks(lots: list[Lot], payload_g: int) -> list[list[Lot]]:
    """Lots in order, cut into loads no heavier than `payload_g` (a lot is never split)."""
    loads: list[list[Lot]] = []
    weight = 0
    for lot in lots:
        if not loads or weight + lot.quantity_g > payload_g:
            loads.append([])
            weight = 0
        loads[-1].append(lot)
        weight += lot.quantity_g
    return loads


class Fleet:
    """The vehicles of every carrier, handed out so that one day's trips use different ones."""

    def __init__(self, carriers: list[OrganisationPlan]) -> None:
        self.vehicles = {
            c.key: sorted(
                ((int(v.payload_t * 1_000_000), v.plate_number) for v in c.vehicles),
                key=lambda pv: pv,
            )
            for c in carriers
        }
        self._used: dict[tuple[str, date], set[str]] = defaultdict(set)

    def payload(self, carrier: str) -> int:
        return self.vehicles[carrier][-1][0]

    def vehicle(self, carrier: str, day: date, load_g: int) -> str:
        fits = [plate for payload, plate in self.vehicles[carrier] if payload >= load_g]
        used = self._used[carrier, day]
        plate = next((p for p in fits if p not in used), fits[0])
        used.add(plate)
        return plate


def manifest_lines(lots: list[Lot]) -> list[LinePlan]:
    """One line per waste code, in the order codes first appear."""
    by_code: dict[str, list[Lot]] = {}
    for lot in lots:
        by_code.setdefault(lot.code, []).append(lot)
    lines = []
    for position, (code, group) in enumerate(by_code.items(), start=1):
        kinds = "/".join(dict.fromkeys(lot.container_type for lot in group))
        containers = tuple(c for lot in group for c in lot.containers)
        lines.append(
            LinePlan(
                position=position,
                code=code,
                physical_form=group[0].physical_form,
                packaging=kinds[:20],
                containers=containers,
                container_count=sum(lot.container_count for lot in group),
                weight_g=sum(lot.quantity_g for lot in group),
                method=group[0].method,
            )
        )
    return lines


def ship_out(
    book: YearBook,
    *,
    trip: Trip,
    lots: list[Lot],
    manifest: int,
    pick_up: datetime,
    handled_by: str,
    receiver_name: str,
) -> None:
    """At the first pick-up each lot leaves the store (B.3) and the unit (B.5), as the pick-up
    step records it: same time, the shipper's signer responsible, the receiver as destination."""
    for lot in lots:
        container = lot.containers[0] if len(lot.containers) == 1 else None
        out = book.event(
            owner=trip.shipper,
            facility=trip.shipper_facility,
            kind=STORE_OUT,
            at=pick_up,
            code=lot.code,
            quantity_g=lot.quantity_g,
            handled_by=handled_by,
            source=lot.event,
            container=container,
            container_type=lot.container_type,
            container_count=lot.container_count,
            destination=receiver_name,
        )
        book.event(
            owner=trip.shipper,
            facility=trip.shipper_facility,
            kind=HAND_OVER,
            at=pick_up,
            code=lot.code,
            quantity_g=lot.quantity_g,
            handled_by=handled_by,
            source=out,
            container=container,
            container_type=lot.container_type,
            container_count=lot.container_count,
            manifest=manifest,
            method=lot.method,
            receiver=trip.receiver,
            destination=receiver_name,
        )


def new_manifest(
    book: YearBook,
    *,
    trip: Trip,
    lots: list[Lot],
    created_at: datetime,
    legs: list[LegPlan],
) -> ManifestPlan:
    manifest = ManifestPlan(
        ref=len(book.manifests),
        sequence=0,
        doc_type="medical" if trip.medical else "hazardous",
        shipper=trip.shipper,
        shipper_facility=trip.shipper_facility,
        receiver=trip.receiver,
        receiver_facility=trip.receiver_facility,
        planned_on=trip.day,
        created_at=created_at,
        lines=manifest_lines(lots),
        legs=legs,
        approval=trip.approval,
    )
    book.manifests.append(manifest)
    return manifest
