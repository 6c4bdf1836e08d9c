"""Plan a year of ledger events and transfer manifests for a demo district, without Django.

`year_events_plan(plan, calendar)` follows every gram of every producer's hazardous and medical
lines (`demo_year_generation`) through its store, onto vehicles under manifests
(`demo_year_trips`), through the signed steps to the receiver's receipt and treatment
(`demo_year_steps`); small producers' waste goes through the collector, which ships it on. A
few real-world problems are seeded on purpose (`demo_year_incidents`) so that warnings have
something true to find. Deterministic: every draw comes from `Random(f"{seed}/events")` in a
fixed order, so the same district and seed give the same year.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

from wufei.domain import demo_providers as prov
from wufei.domain.demo_district import MEDICAL, DistrictPlan, OrganisationPlan
from wufei.domain.demo_names import person_name
from wufei.domain.demo_year_book import Lot, YearBook, at
from wufei.domain.demo_year_generation import (
    GRAMS_PER_TONNE,
    STORAGE,
    coded_lines,
    generate_year,
    medical_periods,
)
from wufei.domain.demo_year_incidents import (
    Pair,
    approvals_plan,
    incident_for,
    incidents_assign,
    overdue_batches,
)
from wufei.domain.demo_year_records import (
    CANCELLED,
    CARRIER,
    PARTIAL_ACCEPTANCE,
    RELAY,
    REVISION,
    SHIPPER,
    STORE_IN,
    IncidentPlan,
    LegPlan,
    ManifestPlan,
    YearPlan,
)
from wufei.domain.demo_year_steps import Decision, Receipt, receive, replay, sign, treat
from wufei.domain.demo_year_trips import (
    TRIP_LOAD_G,
    Fleet,
    Trip,
    chunks,
    new_manifest,
    ship_out,
    trip_count,
    trip_days,
)
from wufei.domain.manifest_flow import Action
from wufei.domain.workdays import WorkdayCalendar

COLLECTION_POINT = "CP001"


def year_events_plan(*, plan: DistrictPlan, calendar: WorkdayCalendar) -> YearPlan:
    """The demo year of `plan`: containers, ledger events, manifests and seeded problems."""
    rng = random.Random(f"{plan.seed}/events")  # noqa: S311 — reproducible demo data
    book = YearBook(rng)
    orgs = {o.key: o for o in plan.organisations}
    producers = [o for o in plan.organisations if o.is_producer and coded_lines(o)]
    staff = {o.key: (person_name(rng), person_name(rng)) for o in plan.organisations}
    drivers = {o.key: person_name(rng) for o in plan.organisations if o.vehicles}
    generate_year(book, year=plan.year, calendar=calendar, producers=producers, staff=staff)
    pairs = _pairs(plan.year, producers)
    approvals = approvals_plan(rng, year=plan.year, pairs=pairs, orgs=orgs)
    targets = incidents_assign(rng, scale=plan.scale, pairs=pairs)
    year = _Year(book, plan, calendar, staff, Fleet([o for o in orgs.values() if o.vehicles]))
    year.incidents += overdue_batches(
        book, year=plan.year, scale=plan.scale, calendar=calendar, producers=producers, staff=staff
    )
    for pair in pairs:
        approval = next(
            (a for a in approvals if (a.shipper, a.receiver) == (pair.shipper, pair.receiver)),
            None,
        )
        carriers = _carriers(rng, pair)
        days = trip_days(
            calendar,
            [rng.randint(0, 2) if pair.medical else rng.randint(-3, 3) for _ in range(pair.trips)],
            year=plan.year,
            trips=pair.trips,
            last=approval.valid_until if approval else None,
        )
        pending = targets.get(pair.key)
        for n, day in enumerate(days):
            trip = Trip(
                pair.shipper,
                STORAGE,
                pair.receiver,
                orgs[pair.receiver].facilities[0].code,
                pair.medical,
                carriers,
                day,
                approval.ref if approval else None,
            )
            kind = pending[0] if pending and n >= pending[1] else None
            if year.run(trip, kind):
                pending = None
    year.collector_onward(orgs)
    for seq, manifest in enumerate(sorted(book.manifests, key=lambda m: (m.created_at, m.ref))):
        manifest.sequence = seq + 1
    return YearPlan(
        year=plan.year,
        seed=plan.seed,
        staff=staff,
        drivers=drivers,
        containers=tuple(book.containers),
        events=tuple(book.events),
        manifests=tuple(book.manifests),
        approvals=tuple(approvals),
        incidents=tuple(year.incidents),
    )


def _pairs(year: int, producers: list[OrganisationPlan]) -> list[Pair]:
    """Each producer's (receiver, stream) routes with their annual grams and trip counts."""
    grams: dict[tuple[str, str, bool], int] = defaultdict(int)
    periods = {}
    for org in producers:
        periods[org.key] = len(medical_periods(year, org))
        for line in coded_lines(org):
            grams[org.key, line.receiver, line.stream == MEDICAL] += int(
                line.annual_t * GRAMS_PER_TONNE
            )
    return [
        Pair(
            shipper,
            receiver,
            medical,
            total,
            trip_count(
                total,
                medical_periods=periods[shipper],
                to_collector=receiver == prov.COLLECTOR,
                medical=medical,
            ),
        )
        for (shipper, receiver, medical), total in grams.items()
    ]


def _carriers(rng: random.Random, pair: Pair) -> tuple[str, ...]:
    """The collector and the medical waste plant collect with their own vans; the others hire
    a hazardous goods carrier, and a third of the loads to Anhui go by relay (第十七条)."""
    if pair.receiver in (prov.COLLECTOR, prov.MEDICAL_PLANT):
        return (pair.receiver,)
    first = rng.choice(prov.CARRIERS)
    if pair.receiver == prov.LEAD_JIESHOU and rng.random() < 1 / 3:
        return first, rng.choice([c for c in prov.CARRIERS if c != first])
    return (first,)


class _Year:
    """The simulation state shared by the trips of every shipper."""

    def __init__(
        self,
        book: YearBook,
        plan: DistrictPlan,
        calendar: WorkdayCalendar,
        staff: dict[str, tuple[str, str]],
        fleet: Fleet,
    ) -> None:
        self.book = book
        self.plan = plan
        self.calendar = calendar
        self.staff = staff
        self.fleet = fleet
        self.rng = book.rng
        self.orgs = {o.key: o for o in plan.organisations}
        self.incidents: list[IncidentPlan] = []

    def run(self, trip: Trip, incident: str | None) -> bool:
        """Ship what `trip.shipper` holds for the receiver; whether `incident` found a load."""
        rng = self.rng
        created = at(trip.day, 7 * 60 + 30 + rng.randint(0, 60))
        payload = min(self.fleet.payload(c) for c in trip.carriers)
        found = False
        if incident == CANCELLED:
            until = self._previous_afternoon(trip.day)
            loads = chunks(
                self.book.peek(trip.shipper, trip.receiver, until, trip.medical), payload
            )
            if not loads:
                return False
            cancelled = self._cancelled(trip, loads[0], until)
            self.incidents.append(incident_for(CANCELLED, cancelled))
            found = True
            lots = self.book.take(trip.shipper, trip.receiver, until, trip.medical)
        else:
            lots = self.book.take(trip.shipper, trip.receiver, created, trip.medical)
        for load in chunks(lots, payload):
            kind = incident if not found and _fits(incident, load) else None
            manifest = self._trip(trip, load, created, kind)
            if kind:
                found = True
                self.incidents.append(incident_for(kind, manifest))
            created += timedelta(minutes=rng.randint(5, 20))
        return found

    def _previous_afternoon(self, day: date) -> datetime:
        day -= timedelta(days=1)
        while not self.calendar.is_workday(day):
            day -= timedelta(days=1)
        return at(day, 14 * 60 + self.rng.randint(0, 90))

    def _legs(self, trip: Trip, created: datetime, load_g: int) -> tuple[datetime, list[LegPlan]]:
        """The shipper's signature time and the carriers' legs of one trip."""
        rng = self.rng
        signed = created + timedelta(minutes=rng.randint(20, 50))
        picked = signed + timedelta(minutes=rng.randint(20, 90))
        far = trip.receiver == prov.LEAD_JIESHOU
        legs: list[LegPlan] = []
        for position, carrier in enumerate(trip.carriers, start=1):
            last = position == len(trip.carriers)
            if last and position > 1:  # a relay delivers the next morning
                delivered = at(trip.day + timedelta(days=1), 9 * 60 + rng.randint(0, 120))
            else:
                minutes = rng.randint(300, 420) if far else rng.randint(50, 180)
                delivered = picked + timedelta(minutes=minutes if last else rng.randint(180, 300))
            legs.append(
                LegPlan(
                    position,
                    carrier,
                    self.fleet.vehicle(carrier, trip.day, load_g),
                    trip.shipper if position == 1 else RELAY,
                    trip.receiver if last else RELAY,
                    picked,
                    delivered,
                )
            )
            picked = delivered
        return signed, legs

    def _trip(
        self, trip: Trip, load: list[Lot], created: datetime, incident: str | None
    ) -> ManifestPlan:
        signed, legs = self._legs(trip, created, sum(lot.quantity_g for lot in load))
        manifest = new_manifest(self.book, trip=trip, lots=load, created_at=created, legs=legs)
        if incident == REVISION:  # the shipper wrote an estimate, 10–20 % off
            line = manifest.lines[0]
            off = self.rng.randint(100, 200) * self.rng.choice((-1, 1))
            line.weight_g = line.weight_g * (1000 + off) // 1000
        sign(manifest, Action.SIGN_SHIPPER, SHIPPER, trip.shipper, signed)
        ship_out(
            self.book,
            trip=trip,
            lots=load,
            manifest=manifest.ref,
            pick_up=legs[0].picked_up_at or signed,
            handled_by=self.staff[trip.shipper][0],
            receiver_name=self.orgs[trip.receiver].name[:100],
        )
        for leg in legs:
            sign(
                manifest,
                Action.SIGN_PICKUP,
                CARRIER,
                leg.carrier,
                leg.picked_up_at or signed,
                position=leg.position,
            )
        last = legs[-1]
        arrived = last.delivered_at or signed
        sign(manifest, Action.SIGN_DELIVERY, CARRIER, last.carrier, arrived, position=last.position)
        receipt = Receipt(
            collector=trip.receiver == prov.COLLECTOR,
            medical=trip.medical,
            incident=incident,
            staff=self.staff[trip.receiver],
            shipper_staff=self.staff[trip.shipper],
        )
        decision = receive(self.book, manifest, receipt, calendar=self.calendar, lots=load)
        if receipt.collector:
            self._collect(manifest, decision)
        elif decision.received:
            treat(self.book, manifest, receipt, decision)
        replay(manifest)
        return manifest

    def _cancelled(self, trip: Trip, lots: list[Lot], created: datetime) -> ManifestPlan:
        """Drafted and signed the afternoon before, cancelled before pick-up (the vehicle broke
        down); the load leaves the next morning under a new manifest."""
        rng = self.rng
        load_g = sum(lot.quantity_g for lot in lots)
        plate = self.fleet.vehicle(trip.carriers[0], trip.day, load_g)
        leg = LegPlan(1, trip.carriers[0], plate, trip.shipper, trip.receiver, None, None)
        manifest = new_manifest(
            self.book, trip=trip, lots=lots, created_at=created - timedelta(minutes=30), legs=[leg]
        )
        sign(manifest, Action.SIGN_SHIPPER, SHIPPER, trip.shipper, created)
        cancel_at = at(trip.day, 7 * 60 + rng.randint(0, 25))
        sign(manifest, Action.CANCEL, SHIPPER, trip.shipper, cancel_at)
        replay(manifest)
        return manifest

    def _collect(self, manifest: ManifestPlan, decision: Decision) -> None:
        """The collector stores what it accepted (B.2), to ship it on to the licensed plant."""
        rng = self.rng
        for line in manifest.lines:
            if line.position not in decision.received:
                continue
            stored_at = decision.settled_at + timedelta(minutes=rng.randint(30, 90))
            grams = line.accepted_weight_g or 0
            stored = self.book.event(
                owner=prov.COLLECTOR,
                facility=COLLECTION_POINT,
                kind=STORE_IN,
                at=stored_at,
                code=line.code,
                quantity_g=grams,
                handled_by=self.staff[prov.COLLECTOR][1],
                source=decision.received[line.position],
                container_type=line.packaging,
                container_count=line.container_count,
            )
            self.book.lots[prov.COLLECTOR].append(
                Lot(
                    event=stored,
                    owner=prov.COLLECTOR,
                    code=line.code,
                    quantity_g=grams,
                    ready_at=stored_at,
                    receiver=prov.route(line.code)[0],
                    method=line.method,
                    containers=line.containers,
                    container_count=line.container_count,
                    container_type=line.packaging,
                    physical_form=line.physical_form,
                    medical=False,
                )
            )

    def collector_onward(self, orgs: dict[str, OrganisationPlan]) -> None:
        """The collector ships to each plant every week or two, as its stock fills a van."""
        stock: dict[str, int] = defaultdict(int)
        for lot in self.book.lots[prov.COLLECTOR]:
            stock[lot.receiver] += lot.quantity_g
        for receiver in sorted(stock):
            trips = min(52, max(4, stock[receiver] // TRIP_LOAD_G + 1))
            carriers = (self.rng.choice(prov.CARRIERS),)
            jitter = [self.rng.randint(-2, 2) for _ in range(trips)]
            for day in trip_days(self.calendar, jitter, year=self.plan.year, trips=trips):
                trip = Trip(
                    prov.COLLECTOR,
                    COLLECTION_POINT,
                    receiver,
                    orgs[receiver].facilities[0].code,
                    False,
                    carriers,
                    day,
                )
                self.run(trip, None)


def _fits(incident: str | None, load: list[Lot]) -> bool:
    """Whether this load can carry the problem (a partial refusal needs two containers of a
    code)."""
    if incident is None or incident == CANCELLED:
        return False
    if incident == PARTIAL_ACCEPTANCE:
        codes = [lot.code for lot in load]
        return any(codes.count(c) >= 2 for c in codes)
    return True
