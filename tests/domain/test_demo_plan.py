"""The demo district plan, without a database: deterministic, exact and plausible for 滨江区.

The totals are forced, not sampled: each stream is split in whole kilograms by exact
apportionment, so the producers' lines add up to seed 002's figure times the scale exactly.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from wufei.domain import demo_providers as prov
from wufei.domain.demo_district import (
    CONSTRUCTION,
    GENERAL_INDUSTRIAL,
    HAZARDOUS,
    HOUSEHOLD,
    KG,
    MEDICAL,
    DistrictPlan,
)
from wufei.domain.demo_geography import COUNTY_CODE, DISTRICT_BOX, park, township
from wufei.domain.demo_plan import district_plan_build, scale_parse

D = Decimal


@pytest.fixture(scope="module")
def plan() -> DistrictPlan:
    return district_plan_build(seed=2024, scale=1)


@pytest.fixture(scope="module")
def plan2() -> DistrictPlan:
    return district_plan_build(seed=2024, scale=2)


def producers(plan: DistrictPlan, medical: bool) -> list:
    return [o for o in plan.organisations if o.is_producer and o.key.startswith("H") == medical]


def test_same_seed_same_plan_other_seed_other_plan(plan):
    again = district_plan_build(seed=2024, scale=1)
    assert again == plan
    other = district_plan_build(seed=2025, scale=1)
    assert other != plan
    assert [o.name for o in other.organisations] != [o.name for o in plan.organisations]
    assert other.stream_total(HAZARDOUS) == plan.stream_total(HAZARDOUS)


def test_stream_totals_are_seed_002_figures_exactly(plan):
    expected = {
        HAZARDOUS: D("7300"),  # 0.73 万吨 industrial hazardous waste, 2023
        GENERAL_INDUSTRIAL: D("56400"),  # 5.64 万吨, 2023
        MEDICAL: D("2192.95"),  # 2022
        HOUSEHOLD: D("274200"),  # 27.42 万吨, 2023
        CONSTRUCTION: D("2923600"),  # 292.36 万吨, 2023
    }
    for stream, tonnes in expected.items():
        assert plan.stream_total(stream) == tonnes
        assert plan.planned_t(stream) == tonnes, stream


def test_scale_two_doubles_totals_and_roughly_doubles_firms(plan, plan2):
    for total in plan.totals:
        assert plan2.stream_total(total.stream) == total.annual_t * 2
        assert plan2.planned_t(total.stream) == total.annual_t * 2
    ratio = len(producers(plan2, False)) / len(producers(plan, False))
    assert 1.9 <= ratio <= 2.1
    assert len(producers(plan2, True)) == 480


def test_about_three_hundred_producers_and_240_medical_institutions(plan):
    assert 280 <= len(producers(plan, False)) <= 320
    assert len(producers(plan, True)) == 240  # seed 002: 医疗卫生机构240家
    assert sum(o.key.startswith("S") for o in plan.organisations) == len(prov.PROVIDERS)


def test_masses_are_whole_kilograms_and_positive(plan):
    for org in plan.organisations:
        for line in org.waste:
            assert isinstance(line.annual_t, Decimal)
            assert line.annual_t > 0
            assert line.annual_t == line.annual_t.quantize(KG)


@pytest.mark.parametrize("seed", [2024, 1, 99])
def test_main_hazardous_categories_are_those_of_seed_002(seed):
    plan = district_plan_build(seed=seed)
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    for org in plan.organisations:
        for line in org.waste:
            if line.stream == HAZARDOUS:
                by_category[f"HW{line.code[-2:]}"] += line.annual_t
    top = sorted(by_category, key=lambda c: -by_category[c])
    assert set(top[:5]) == {"HW18", "HW08", "HW49", "HW09", "HW31"}
    assert 12 <= len(top) <= 20  # 危险废物种类近20种


def test_five_industries_make_98_percent_of_general_industrial_waste(plan):
    by_industry: dict[str, Decimal] = defaultdict(Decimal)
    for org in plan.organisations:
        by_industry[org.industry_code] += org.annual_t(GENERAL_INDUSTRIAL)
    top5 = {"1392", "4419", "3381", "3329", "3985"}
    share = sum(by_industry[c] for c in top5) / plan.stream_total(GENERAL_INDUSTRIAL)
    assert abs(share - D("0.9791")) < D("0.01")  # seed 002: 合计约占 97.91%


def test_pcb_makers_generate_398_or_900_codes_only(plan):
    pcb = [o for o in plan.organisations if o.archetype == "pcb"]
    assert pcb
    for org in pcb:
        codes = {w.code for w in org.waste if w.stream == HAZARDOUS}
        assert codes and all(c[:3] in ("398", "900") for c in codes), codes
        assert any(c.endswith("-22") for c in codes)  # copper


def test_medical_institutions_generate_hw01_only(plan):
    for org in producers(plan, True):
        lines = [w for w in org.waste if w.stream == MEDICAL]
        assert lines and all(w.code.startswith("841-") and w.code.endswith("-01") for w in lines)
        assert all(w.receiver == prov.MEDICAL_PLANT for w in lines)
        assert not any(w.stream == HAZARDOUS for w in org.waste)


def test_every_hazardous_line_goes_to_a_valid_permit_with_capacity(plan2):
    """Scale 2, so that capacities are checked where inflows are larger."""
    orgs = {o.key: o for o in plan2.organisations}
    year = (date(plan2.year, 1, 1), date(plan2.year, 12, 31))
    inflow: dict[str, Decimal] = defaultdict(Decimal)
    for org in plan2.organisations:
        for line in org.waste:
            if line.stream not in (HAZARDOUS, MEDICAL):
                continue
            for hop in filter(None, (line.receiver, line.final_receiver)):
                permits = [
                    p
                    for p in orgs[hop].permits
                    if p.covers(line.code) and p.valid_on(year[0]) and p.valid_on(year[1])
                ]
                assert permits, (org.key, line.code, hop)
                inflow[permits[0].number] += line.annual_t
            if line.receiver == prov.COLLECTOR:
                assert org.is_small_producer and prov.collected(line.code)
    capacities = {p.number: p.annual_capacity_t for o in orgs.values() for p in o.permits}
    for number, tonnes in inflow.items():
        assert capacities[number] is not None and tonnes <= capacities[number], number


def test_collection_unit_and_plants_as_in_seed_002(plan):
    collector = plan.organisation(prov.COLLECTOR)
    assert collector.region_code.startswith(COUNTY_CODE)
    (licence,) = [p for p in collector.permits if p.kind == "hw_small_collection"]
    assert licence.annual_capacity_t == D("5000")
    assert {"HW08", "HW34", "HW06"} <= set(licence.categories)
    licensed = [
        o for o in plan.organisations if any(p.kind == "hw_comprehensive" for p in o.permits)
    ]
    assert licensed and not any(o.region_code.startswith(COUNTY_CODE) for o in licensed)
    assert any(o.region_code.startswith("34") for o in licensed)  # one out of province
    recycling = plan.organisation(prov.CONSTRUCTION_RECYCLING).facilities[0]
    assert dict(recycling.annual_capacity_t)[CONSTRUCTION] == D("72000")


def test_coordinates_lie_in_the_district_and_in_their_street(plan):
    for org in plan.organisations:
        if not org.region_code.startswith(COUNTY_CODE):
            continue
        box = township(org.region_code).box
        for lat, lon in [(org.latitude, org.longitude)] + [
            (f.latitude, f.longitude) for f in org.facilities
        ]:
            assert DISTRICT_BOX.contains(lat, lon), org.key
            assert box.contains(lat, lon), org.key
        if org.park:
            assert park(org.park).township_code in (None, org.region_code)


def test_names_plates_and_numbers_are_unique(plan2):
    orgs = plan2.organisations
    assert len({o.key for o in orgs}) == len(orgs)
    assert len({o.name for o in orgs}) == len(orgs)
    plates = [v.plate_number for o in orgs for v in o.vehicles]
    assert len(set(plates)) == len(plates)
    assert all(p.startswith("浙A") and len(p) == 7 for p in plates)
    numbers = [p.number for o in orgs for p in o.permits]
    assert len(set(numbers)) == len(numbers)


def test_vehicles_and_industry_codes_are_plausible(plan):
    for org in plan.organisations:
        assert len(org.industry_code) == 4 and org.industry_code.isdigit()
        for vehicle in org.vehicles:
            assert vehicle.valid_until > date(plan.year, 12, 31)
            assert vehicle.payload_t > 0
    carriers = [o for o in plan.organisations if o.is_carrier]
    assert all(any(p.kind == "road_hazmat" for p in o.permits) for o in carriers)


def test_logins_point_at_typical_parties(plan):
    logins = {login.username: login for login in plan.logins}
    assert set(logins) >= {
        "admin",
        "regulator",
        "producer",
        "carrier",
        "driver",
        "receiver",
        "collector",
        "hospital",
    }
    producer = plan.organisation(logins["producer"].organisation or "")
    assert producer.archetype == "pcb"
    assert len({w.code for w in producer.waste if w.stream == HAZARDOUS}) >= 5
    assert logins["driver"].organisation == logins["carrier"].organisation
    assert logins["regulator"].regulator_region == COUNTY_CODE


@pytest.mark.parametrize("value", ["0", "-1", "101", "abc", "1.0001", "NaN"])
def test_scale_must_be_sensible(value):
    with pytest.raises(ValueError):
        scale_parse(value)


def test_a_small_scale_keeps_every_archetype():
    small = district_plan_build(seed=3, scale="0.1")
    assert small.planned_t(HAZARDOUS) == D("730")
    assert {o.archetype for o in small.organisations} == {
        o.archetype for o in district_plan_build(seed=3).organisations
    }
