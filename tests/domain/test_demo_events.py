"""A planned demo year, without a database: exact, legal, plausible and reproducible.

The year is planned once at scale 1 (the district the demo shows) on the official calendar of
the `chinesecalendar` package; every property below is checked over all of it.
"""

from __future__ import annotations

import importlib
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from wufei.domain import demo_providers as prov
from wufei.domain.demo_district import HAZARDOUS, MEDICAL, DistrictPlan
from wufei.domain.demo_events import year_events_plan
from wufei.domain.demo_plan import district_plan_build
from wufei.domain.demo_year_incidents import AT_SCALE_ONE
from wufei.domain.demo_year_records import (
    CANCELLED,
    GENERATE,
    HAND_OVER,
    INCIDENT_KINDS,
    LATE_RECEIPT,
    OVERDUE_STORAGE,
    PARTIAL_ACCEPTANCE,
    RECEIVE,
    REFUSED_RETURNED,
    REVISION,
    STORE_IN,
    STORE_OUT,
    TREAT_IN_HOUSE,
    WEIGHT_DISCREPANCY,
    ManifestPlan,
    YearPlan,
)
from wufei.domain.manifest_flow import Action, Actor, Party, Snapshot, Status, transition
from wufei.domain.workdays import WorkdayCalendar

D = Decimal
GRAMS = 1_000_000
# HJ 1259-2022 appendix B links (as in wufei.ledger.models.SOURCE_KINDS).
SOURCES = {
    GENERATE: (),
    RECEIVE: (),
    STORE_IN: (GENERATE, RECEIVE),
    STORE_OUT: (STORE_IN,),
    TREAT_IN_HOUSE: (GENERATE, STORE_OUT, RECEIVE),
    HAND_OVER: (GENERATE, STORE_OUT),
}
TERMINAL = (HAND_OVER, TREAT_IN_HOUSE)


def official_calendar() -> WorkdayCalendar:
    package = importlib.import_module("chinese_calendar")
    return WorkdayCalendar.build(
        years=range(2004, 2027),
        holidays=[d for d in package.holidays if d.weekday() < 5],
        adjusted_workdays=list(package.workdays),
    )


CALENDAR = official_calendar()


@pytest.fixture(scope="module")
def district() -> DistrictPlan:
    return district_plan_build(seed=2024, scale=1)


@pytest.fixture(scope="module")
def year(district: DistrictPlan) -> YearPlan:
    return year_events_plan(plan=district, calendar=CALENDAR)


def first_of(manifest: ManifestPlan, action: Action):
    return manifest.step_at(action.value)


def test_same_seed_same_year_other_seed_other_year(district, year):
    small = district_plan_build(seed=2024, scale=D("0.1"))
    first = year_events_plan(plan=small, calendar=CALENDAR)
    assert year_events_plan(plan=small, calendar=CALENDAR) == first
    other = year_events_plan(plan=district_plan_build(seed=7, scale="0.1"), calendar=CALENDAR)
    assert [e.quantity_g for e in other.events] != [e.quantity_g for e in first.events]


def test_generation_adds_up_to_every_line_to_the_gram(district, year):
    generated: dict[tuple[str, str], int] = defaultdict(int)
    for e in year.events:
        if e.kind == GENERATE and e.at.year == year.year:
            generated[e.owner, e.code] += e.quantity_g
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for org in district.organisations:
        for line in org.waste:
            if line.stream in (HAZARDOUS, MEDICAL):
                expected[org.key, line.code] += int(line.annual_t * GRAMS)
    assert generated == expected
    medical = sum(g for (owner, _code), g in generated.items() if owner.startswith("H"))
    assert medical == D("2192.950") * GRAMS  # seed 002's figures, to the gram
    assert sum(generated.values()) - medical == D("7300") * GRAMS


def test_every_link_is_legal_and_no_batch_gives_more_than_it_holds(year):
    taken: dict[int, int] = defaultdict(int)
    for e in year.events:
        if e.source is None:
            assert not SOURCES[e.kind], e
            continue
        source = year.events[e.source]
        assert source.kind in SOURCES[e.kind], (e.kind, source.kind)
        assert (source.owner, source.code) == (e.owner, e.code)
        assert source.at <= e.at
        assert source.kind not in TERMINAL
        taken[source.ref] += e.quantity_g
        if e.kind in (STORE_OUT, HAND_OVER):
            assert e.facility == source.facility  # the waste leaves from where it is
    for ref, grams in taken.items():
        assert grams <= year.events[ref].quantity_g
    assert all(e.quantity_g > 0 for e in year.events)
    codes = Counter((e.owner, e.kind, e.batch_code) for e in year.events)
    assert max(codes.values()) == 1  # batch codes are unique per unit and step


def test_mass_balance_closes_for_every_unit_and_code(year):
    """期初 + 产生 + 接收 = 自行利用处置 + 委外 + 期末, with stock derived from what each event
    still holds at the start and the end of the year."""
    start = date(year.year, 1, 1)
    end = date(year.year + 1, 1, 1)

    def stock(before: date) -> dict[tuple[str, str], int]:
        held: dict[tuple[str, str], int] = defaultdict(int)
        for e in year.events:
            if e.at.date() < before:
                if e.kind not in TERMINAL:
                    held[e.owner, e.code] += e.quantity_g
                if e.source is not None:
                    held[e.owner, e.code] -= e.quantity_g
        return held

    opening, closing = stock(start), stock(end)
    flows: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for e in year.events:
        if start <= e.at.date() < end:
            flows[e.owner, e.code][e.kind] += e.quantity_g
    for key in set(opening) | set(closing) | set(flows):
        f = flows[key]
        inflow = opening.get(key, 0) + f[GENERATE] + f[RECEIVE]
        outflow = f[TREAT_IN_HOUSE] + f[HAND_OVER] + closing.get(key, 0)
        assert inflow == outflow, key
        assert closing.get(key, 0) >= 0


def test_every_manifest_follows_the_state_machine(year):
    for m in year.manifests:
        state = Snapshot(Status.DRAFT, carriers_total=len(m.legs))
        times = [s.at for s in m.steps]
        assert times == sorted(times), m.ref
        for step in m.steps:
            actor = Actor(Party(step.party), step.carrier_position, step.role == "driver")
            state = transition(state, Action(step.action), actor)
        assert (state.status.value, state.return_status.value) == (m.status, m.return_status)
    statuses = Counter(m.status for m in year.manifests)
    assert statuses["treated"] > 0.85 * len(year.manifests)
    assert statuses["accepted"] > 0  # the collector stores and ships on; it treats nothing
    assert all(m.status == "accepted" for m in year.manifests if m.receiver == prov.COLLECTOR)


def test_timing_is_plausible_on_the_official_calendar(year):
    for m in year.manifests:
        if m.status == "cancelled":
            continue
        signed = first_of(m, Action.SIGN_SHIPPER)
        picked = first_of(m, Action.SIGN_PICKUP)
        arrived = first_of(m, Action.SIGN_DELIVERY)
        assert signed and picked and arrived
        assert CALENDAR.is_workday(signed.date())  # shipped on a working day
        assert picked.date() == signed.date()  # picked up the same day
        assert (arrived.date() - picked.date()).days <= 1  # arrives the same or next day
        decided = next(
            s.at for s in m.steps if s.action in ("accept", "accept_partially", "refuse")
        )
        days = CALENDAR.workdays_between(arrived.date(), decided.date())
        assert m.receipt_due_on == CALENDAR.add_workdays(arrived.date(), 5)
        if m.doc_type == MEDICAL:
            assert decided.date() == arrived.date()
        elif any(i.kind == LATE_RECEIPT and i.manifest == m.ref for i in year.incidents):
            assert decided.date() > m.receipt_due_on  # 第十八条 missed
        else:
            assert days <= 3
        treated = first_of(m, Action.RECORD_TREATMENT)
        if treated:
            limit = timedelta(days=3) if m.doc_type == MEDICAL else timedelta(weeks=6)
            assert timedelta(0) < treated - decided < limit


def test_loads_fit_the_vehicle_and_weights_add_up(district, year):
    payloads = {
        v.plate_number: v.payload_t * GRAMS for o in district.organisations for v in o.vehicles
    }
    hand_overs: dict[int, int] = defaultdict(int)
    for e in year.events:
        if e.kind == HAND_OVER:
            hand_overs[e.manifest] += e.quantity_g
    for m in year.manifests:
        declared = sum(line.corrected_weight_g or line.weight_g for line in m.lines)
        assert all(declared <= payloads[leg.plate] for leg in m.legs)
        if m.status != "cancelled":
            assert hand_overs[m.ref] == declared  # the shipper's ledger matches the manifest


def test_receivers_are_licensed_for_every_code_they_receive(district, year):
    providers = {o.key: o for o in district.organisations}
    for m in year.manifests:
        permits = [p for p in providers[m.receiver].permits if p.kind != "road_hazmat"]
        for line in m.lines:
            assert any(p.covers(line.code) and p.valid_on(m.planned_on) for p in permits)
    for a in year.approvals:  # lead batteries to Anhui: an approval valid on every trip
        trips = [m for m in year.manifests if (m.shipper, m.receiver) == (a.shipper, a.receiver)]
        assert all(a.valid_from <= m.planned_on <= a.valid_until for m in trips)
        assert all(m.approval == a.ref for m in trips)
        assert (a.valid_until - a.valid_from).days < 366  # 12 months at most


def test_each_problem_is_seeded_and_true(year):
    counts = Counter(i.kind for i in year.incidents)
    assert counts == {kind: AT_SCALE_ONE[kind] for kind in INCIDENT_KINDS}
    manifests = {m.ref: m for m in year.manifests}
    consumed = {e.source for e in year.events if e.source is not None}
    for incident in year.incidents:
        m = manifests.get(incident.manifest) if incident.manifest is not None else None
        if incident.kind == OVERDUE_STORAGE:
            event = year.events[incident.event]
            assert event.kind == STORE_IN and event.ref not in consumed
            assert event.at.date() < date(year.year - 1, 12, 31)  # over a year at year end
        elif incident.kind == WEIGHT_DISCREPANCY:
            assert m is not None and any(d.field == "quantity" for d in m.discrepancies)
            line = max(m.lines, key=lambda x: x.weight_g)
            assert abs((line.received_weight_g or 0) - line.weight_g) * 20 > line.weight_g
        elif incident.kind == REFUSED_RETURNED:
            assert m is not None and (m.status, m.return_status) == ("refused", "returned")
        elif incident.kind == PARTIAL_ACCEPTANCE:
            assert m is not None
            assert (m.status, m.return_status) == ("treated", "returned")
        elif incident.kind == REVISION:
            assert m is not None and m.revision is not None and m.version == 2
            approvers = {k for k, _ in m.revision.approvals}
            assert approvers == {m.shipper, m.receiver, *(leg.carrier for leg in m.legs)}
            assert m.step_at("record_treatment") > m.revision.applied_at
        elif incident.kind == CANCELLED:
            assert m is not None and m.status == "cancelled"
            assert [s.action for s in m.steps] == ["sign_shipper", "cancel"]
        elif incident.kind == LATE_RECEIPT:
            assert m is not None and m.receipt_due_on is not None


def test_small_scale_still_has_every_problem():
    small = year_events_plan(plan=district_plan_build(seed=2024, scale="0.1"), calendar=CALENDAR)
    assert {i.kind for i in small.incidents} == set(INCIDENT_KINDS)
