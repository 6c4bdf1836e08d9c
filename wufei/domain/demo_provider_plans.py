"""Plan the demo district's service providers once the producers' waste is known.

Capacities are the nominal ones of `demo_providers` unless what the plan sends a receiver
needs more (at large scales), in which case they grow to 125 % of the inflow, so that a
generated year never exceeds a licence. The plan refuses to exist if a route sends a code to a
plant whose permit does not cover it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from wufei.domain import demo_providers as prov
from wufei.domain.demo_district import (
    HAZARDOUS,
    HOUSEHOLD,
    KG,
    MEDICAL,
    DistrictFlow,
    FacilityPlan,
    OrganisationPlan,
    PermitPlan,
    VehiclePlan,
)
from wufei.domain.demo_geography import (
    COUNTY_CODE,
    ELSEWHERE,
    ROADS,
    point_for,
    point_near,
    township,
)
from wufei.domain.demo_names import address, organisation_name, person_name, phone, plate

D = Decimal
HEADROOM = D("1.25")
LICENCE_YEARS = 5  # 危险废物经营许可证管理办法 第十一条: 综合经营许可证有效期为5年


def providers_build(
    rng: random.Random,
    *,
    scale: Decimal,
    year: int,
    producers: list[OrganisationPlan],
    flows: tuple[DistrictFlow, ...],
    names: set[str],
) -> tuple[list[OrganisationPlan], list[OrganisationPlan]]:
    """The providers, and the producers with their plants' design capacities sized to inflow."""
    licensed, design = _inflows(producers, flows)
    plates: set[str] = set()
    serials = iter(range(1, 10_000))
    providers = [
        _provider(
            rng,
            spec,
            scale=scale,
            year=year,
            licensed=licensed,
            design=design,
            names=names,
            plates=plates,
            serials=serials,
        )
        for spec in prov.PROVIDERS
    ]
    producers = [
        _sized(o, design) if any(f.annual_capacity_t for f in o.facilities) else o
        for o in producers
    ]
    _check_coverage(producers, {p.key: p for p in providers})
    return providers, producers


def _inflows(
    producers: list[OrganisationPlan], flows: tuple[DistrictFlow, ...]
) -> tuple[dict[str, Decimal], dict[tuple[str, str], Decimal]]:
    """Tonnes per receiver under licence (hazardous, medical) and per receiver and stream."""
    licensed: dict[str, Decimal] = defaultdict(Decimal)
    design: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for org in producers:
        for line in org.waste:
            if line.stream in (HAZARDOUS, MEDICAL):
                licensed[line.receiver] += line.annual_t
                if line.final_receiver:
                    licensed[line.final_receiver] += line.annual_t
            else:
                design[line.receiver, line.stream] += line.annual_t
    for flow in flows:
        if flow.stream == HOUSEHOLD and flow.waste_class == "hazardous":
            licensed[flow.receiver] += flow.annual_t  # 有害垃圾 goes to a licensed plant
        else:
            design[flow.receiver, flow.stream] += flow.annual_t
    return licensed, design


def _capacity(nominal: Decimal, inflow: Decimal, step: Decimal) -> Decimal:
    needed = (inflow * HEADROOM / step).to_integral_value(ROUND_CEILING) * step
    return max(nominal, needed).quantize(KG)


def _sized(org: OrganisationPlan, design: dict[tuple[str, str], Decimal]) -> OrganisationPlan:
    facilities = tuple(
        replace(
            f,
            annual_capacity_t=tuple(
                (stream, _capacity(t, design.get((org.key, stream), D(0)), D("1000")))
                for stream, t in f.annual_capacity_t
            ),
        )
        for f in org.facilities
    )
    return replace(org, facilities=facilities)


def _place(rng: random.Random, region: str) -> tuple[str, str, Decimal, Decimal, str]:
    """County code, address, coordinates and phone area code of a provider's site."""
    if region.startswith(COUNTY_CODE):
        latitude, longitude = point_for(rng, region, None)
        street = f"浙江省杭州市滨江区{township(region).name}"
        return COUNTY_CODE, address(rng, street, ROADS[region]), latitude, longitude, "0571"
    prefix, lat, lon, roads = ELSEWHERE[region]
    latitude, longitude = point_near(rng, lat, lon, D("0.030000"))
    area = "0558" if region.startswith("34") else "0571"
    return region, address(rng, prefix, roads), latitude, longitude, area


def _provider(
    rng: random.Random,
    spec: prov.ProviderSpec,
    *,
    scale: Decimal,
    year: int,
    licensed: dict[str, Decimal],
    design: dict[tuple[str, str], Decimal],
    names: set[str],
    plates: set[str],
    serials: Iterator[int],
) -> OrganisationPlan:
    name = organisation_name(rng, spec.pattern, names)
    county, site_address, latitude, longitude, area = _place(rng, spec.region)
    site_code = "CP001" if spec.site_kind == "collection_point" else "TR001"
    facilities: tuple[FacilityPlan, ...] = ()
    if spec.site_kind:
        capacities = tuple(
            (stream, _capacity(t, design.get((spec.key, stream), D(0)), D("1000")))
            for stream, t in spec.capacity_t
        )
        facilities = (
            FacilityPlan(
                site_code,
                spec.site_name,
                spec.site_kind,
                spec.region,
                site_address,
                latitude,
                longitude,
                storage_capacity_t=D("400.000") if spec.is_collector else None,
                annual_capacity_t=capacities,
            ),
        )
    permits = tuple(
        _permit(
            rng,
            p,
            county=county,
            year=year,
            serial=next(serials),
            inflow=licensed.get(spec.key, D(0)),
            facility_code=site_code if spec.site_kind and p.kind != "road_hazmat" else None,
        )
        for p in spec.permits
    )
    vehicles = tuple(
        _vehicle(rng, spec, county=county, year=year, plates=plates, serial=next(serials))
        for _ in range(_vehicle_count(spec.vehicles, scale))
    )
    return OrganisationPlan(
        key=spec.key,
        name=name,
        region_code=spec.region,
        uscc_region=county,
        uscc_kind="91",
        uscc_seed=rng.getrandbits(64),
        archetype="provider",
        industry_code=spec.industry[0],
        industry_name=spec.industry[1],
        address=site_address,
        legal_representative=person_name(rng),
        contact_phone=phone(rng).replace("0571", area, 1),
        latitude=latitude,
        longitude=longitude,
        is_carrier=bool(vehicles),
        is_collector=spec.is_collector,
        is_treatment=spec.is_treatment,
        facilities=facilities,
        permits=permits,
        vehicles=vehicles,
    )


def _vehicle_count(base: int, scale: Decimal) -> int:
    if not base:
        return 0
    return max(1, int((base * scale).to_integral_value(ROUND_HALF_UP)))


def _permit(
    rng: random.Random,
    spec: prov.PermitSpec,
    *,
    county: str,
    year: int,
    serial: int,
    inflow: Decimal,
    facility_code: str | None,
) -> PermitPlan:
    valid_from = date(year - rng.randint(1, 3), rng.randint(1, 12), 1)
    valid_until = date(valid_from.year + LICENCE_YEARS, valid_from.month, 1) - timedelta(days=1)
    capacity = None if spec.capacity_t is None else _capacity(spec.capacity_t, inflow, D("500"))
    return PermitPlan(
        number=f"{spec.prefix}{county}{serial:03d}号",
        kind=spec.kind,
        issued_by=spec.issued_by,
        valid_from=valid_from,
        valid_until=valid_until,
        annual_capacity_t=capacity,
        categories=spec.categories,
        codes=spec.codes,
        treatment_methods=spec.methods,
        facility_code=facility_code,
    )


def _vehicle(
    rng: random.Random,
    spec: prov.ProviderSpec,
    *,
    county: str,
    year: int,
    plates: set[str],
    serial: int,
) -> VehiclePlan:
    kind, payload = rng.choice(spec.vehicle_kinds)
    return VehiclePlan(
        plate_number=plate(rng, "浙A", plates),  # every carrier here is registered in Hangzhou
        kind=kind,
        transport_certificate=f"浙交运管杭字{county}{serial:06d}号",
        payload_t=payload,
        valid_until=date(year + rng.randint(1, 3), rng.randint(1, 12), rng.randint(1, 28)),
    )


def _check_coverage(
    producers: list[OrganisationPlan], providers: dict[str, OrganisationPlan]
) -> None:
    """Every hazardous or medical line goes where a valid permit covers its code and method."""
    for org in producers:
        for line in org.waste:
            if line.stream not in (HAZARDOUS, MEDICAL):
                continue
            hops = [line.receiver] + ([line.final_receiver] if line.final_receiver else [])
            for hop in hops:
                permits = [p for p in providers[hop].permits if p.kind != "road_hazmat"]
                if not any(p.covers(line.code) for p in permits):
                    raise ValueError(f"{hop} holds no permit for {line.code} ({org.key})")
            plant = providers[hops[-1]]
            if not any(line.treatment_method in p.treatment_methods for p in plant.permits):
                raise ValueError(f"{plant.key} is not licensed for {line.treatment_method}")
