"""Turn (seed, scale, year) into the plan of a demo district modelled on 滨江区 (seed 002).

Deterministic: every draw comes from `random.Random` instances seeded from `seed` and a part
name ("producers", "providers"), so the same arguments give an identical plan, and a later
generator (a year of ledger events) can take its own `Random(f"{seed}/events")` without
disturbing what is planned here. No float reaches a mass: quantities are split in whole
kilograms with exact apportionment, so each stream adds up to its district total times the
scale, to the kilogram.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from wufei.domain import demo_providers as prov
from wufei.domain.apportion import apportion
from wufei.domain.demo_district import (
    CONSTRUCTION,
    GENERAL_INDUSTRIAL,
    HAZARDOUS,
    HOUSEHOLD,
    KG,
    MEDICAL,
    DistrictFlow,
    DistrictPlan,
    FacilityPlan,
    LoginPlan,
    OrganisationPlan,
    StreamTotal,
    WasteLine,
)
from wufei.domain.demo_geography import (
    COUNTY_CODE,
    COUNTY_NAME,
    PARKS,
    ROADS,
    TOWNSHIPS,
    park,
    point_for,
    point_near,
    township,
)
from wufei.domain.demo_industries import MEDICAL as MEDICAL_ARCHETYPES
from wufei.domain.demo_industries import PRODUCERS, Archetype, Pick
from wufei.domain.demo_names import address, organisation_name, person_name, phone
from wufei.domain.demo_provider_plans import providers_build

D = Decimal
DEFAULT_YEAR = 2024
DEMO_PASSWORD = "wufei-demo-2024"  # noqa: S105 — demo logins only, printed by seed_demo
MAX_SCALE = D("100")

# Annual totals at scale 1, from seed 002 (滨江区 2023 unless noted).
BASE_TOTALS = (
    StreamTotal(HAZARDOUS, D("7300"), "seed 002: 2023年工业危险废物产生量0.73万吨"),
    StreamTotal(GENERAL_INDUSTRIAL, D("56400"), "seed 002: 2023年一般工业固体废物产生量5.64万吨"),
    StreamTotal(MEDICAL, D("2192.950"), "seed 002: 2022年医疗废物收运处置合计2192.95吨"),
    StreamTotal(HOUSEHOLD, prov.HOUSEHOLD_T, "seed 002: 2023全区清运生活垃圾为27.42万吨"),
    StreamTotal(
        CONSTRUCTION, prov.CONSTRUCTION_T, "seed 002: 2023年全区建筑垃圾总产生量为292.36万吨"
    ),
)
MEDICAL_CLASSES = {
    "841-001-01": "infectious",
    "841-002-01": "sharps",
    "841-003-01": "pathological",
    "841-004-01": "chemical",
    "841-005-01": "pharmaceutical",
}


@dataclass
class _Draft:
    """A producer while its quantities and routes are being worked out."""

    key: str
    archetype: Archetype
    stream: str  # HAZARDOUS, or MEDICAL for medical institutions
    org: OrganisationPlan  # everything but facilities and waste
    size: int
    picks: dict[str, list[tuple[str, int]]]
    kg: list[tuple[str, str, int]] = field(default_factory=list)  # stream, code, kilograms


def district_plan_build(
    *, seed: int, scale: Decimal | int | str = 1, year: int = DEFAULT_YEAR
) -> DistrictPlan:
    """The demo district for `seed` at `scale` (1 ≈ 滨江区 itself), planned for `year`."""
    scale = scale_parse(scale)
    totals = tuple(replace(t, annual_t=(t.annual_t * scale).quantize(KG)) for t in BASE_TOTALS)
    by_stream = {t.stream: t.annual_t for t in totals}
    names: set[str] = set()
    rng = random.Random(f"{seed}/producers")  # noqa: S311 — reproducible demo data
    drafts = [_draft(rng, archetype, key, names) for archetype, key in _producer_keys(scale)]
    for stream in (HAZARDOUS, MEDICAL, GENERAL_INDUSTRIAL):
        _split(drafts, stream, by_stream[stream])
    power = next(d.key for d in drafts if d.archetype.key == "power")
    flows = _district_flows(by_stream, power)
    producers = [_finish(rng, d) for d in drafts]
    providers, producers = providers_build(
        random.Random(f"{seed}/providers"),  # noqa: S311 — reproducible demo data
        scale=scale,
        year=year,
        producers=producers,
        flows=flows,
        names=names,
    )
    organisations = tuple(producers) + tuple(providers)
    return DistrictPlan(
        seed=seed,
        scale=scale,
        year=year,
        region_code=COUNTY_CODE,
        name=COUNTY_NAME,
        townships=TOWNSHIPS,
        parks=PARKS,
        organisations=organisations,
        flows=flows,
        totals=totals,
        logins=_logins(organisations),
    )


def scale_parse(value: Decimal | int | str) -> Decimal:
    """A scale above 0, at most 100, with at most three decimals (0.5, 1, 2.25 …)."""
    try:
        scale = D(value)
    except ArithmeticError:
        raise ValueError(f"scale must be a number, not {value!r}") from None
    if not scale.is_finite() or scale <= 0 or scale > MAX_SCALE or scale != scale.quantize(KG):
        raise ValueError(
            f"scale must be above 0 and at most {MAX_SCALE}, with at most three decimals, "
            f"not {value}"
        )
    return scale


def count_at(archetype: Archetype, scale: Decimal) -> int:
    if not archetype.scales:
        return archetype.count
    return max(1, int((archetype.count * scale).to_integral_value(ROUND_HALF_UP)))


def _producer_keys(scale: Decimal) -> list[tuple[Archetype, str]]:
    keys = []
    for prefix, archetypes in (("P", PRODUCERS), ("H", MEDICAL_ARCHETYPES)):
        n = 0
        for archetype in archetypes:
            for _ in range(count_at(archetype, scale)):
                n += 1
                keys.append((archetype, f"{prefix}{n:04d}"))
    return keys


def _pick(rng: random.Random, picks: tuple[Pick, ...]) -> list[tuple[str, int]]:
    """The codes one firm generates, each with a jittered weight; at least the first."""
    chosen = [
        (p.code, p.weight * rng.randint(70, 130)) for p in picks if rng.randint(1, 100) <= p.chance
    ]
    if not chosen and picks:
        chosen = [(picks[0].code, picks[0].weight * 100)]
    return chosen


def _draft(rng: random.Random, a: Archetype, key: str, names: set[str]) -> _Draft:
    industry_code, industry_name = rng.choice(a.industries)
    name = organisation_name(rng, rng.choice(a.patterns), names)
    # Companies (有限公司) are registered by market regulation as enterprises (91); others are
    # public institutions, private non-enterprise units or sole traders as the archetype says.
    uscc_kind = "91" if name.endswith("有限公司") else rng.choice(a.uscc_kinds)
    park_name = rng.choice(a.parks)
    park_township = park(park_name).township_code if park_name else None
    street = park_township or rng.choice(a.townships)
    latitude, longitude = point_for(rng, street, park_name)
    stream = MEDICAL if a.medical else HAZARDOUS
    picks = {stream: _pick(rng, a.codes)}
    if a.general:
        picks[GENERAL_INDUSTRIAL] = _pick(rng, a.classes)
    org = OrganisationPlan(
        key=key,
        name=name,
        region_code=street,
        uscc_region=COUNTY_CODE,
        uscc_kind=uscc_kind,
        uscc_seed=rng.getrandbits(64),
        archetype=a.key,
        industry_code=industry_code,
        industry_name=industry_name,
        address=address(rng, f"浙江省杭州市滨江区{township(street).name}", ROADS[street]),
        legal_representative=person_name(rng),
        contact_phone=phone(rng),
        latitude=latitude,
        longitude=longitude,
        park=park_name,
        is_producer=True,
        is_treatment=a.is_treatment,
    )
    size = rng.randint(*a.size) * rng.randint(*a.size)
    return _Draft(key, a, stream, org, size, picks)


def _weight(a: Archetype, stream: str) -> int:
    return {HAZARDOUS: a.hazardous, MEDICAL: a.medical, GENERAL_INDUSTRIAL: a.general}[stream]


def _split(drafts: list[_Draft], stream: str, total_t: Decimal) -> None:
    """Share a stream's total among archetypes, then firms by size, then each firm's codes."""
    groups: dict[str, list[_Draft]] = {}
    for d in drafts:
        if d.picks.get(stream) and _weight(d.archetype, stream):
            groups.setdefault(d.archetype.key, []).append(d)
    members = list(groups.values())
    budgets = apportion(int(total_t / KG), [_weight(m[0].archetype, stream) for m in members])
    for firms, budget in zip(members, budgets, strict=True):
        for firm, firm_kg in zip(firms, apportion(budget, [f.size for f in firms]), strict=True):
            picks = firm.picks[stream]
            parts = apportion(firm_kg, [w for _, w in picks])
            firm.kg.extend(
                (stream, code, kg) for (code, _), kg in zip(picks, parts, strict=True) if kg
            )


def _district_flows(totals: dict[str, Decimal], power: str) -> tuple[DistrictFlow, ...]:
    flows = []
    household_kg = int(totals[HOUSEHOLD] / KG)
    parts = apportion(household_kg, [share for _, share, _, _ in prov.HOUSEHOLD_SPLIT])
    for (cls, _, receiver, method), kg in zip(prov.HOUSEHOLD_SPLIT, parts, strict=True):
        receiver = power if receiver == "power" else receiver
        flows.append(DistrictFlow(HOUSEHOLD, cls, kg * KG, receiver, method))
    scale = totals[CONSTRUCTION] / prov.CONSTRUCTION_T
    rest = totals[CONSTRUCTION]
    for cls, base_t, receiver, method in prov.CONSTRUCTION_SPLIT:
        part = (base_t * scale).quantize(KG)
        rest -= part
        flows.append(DistrictFlow(CONSTRUCTION, cls, part, receiver, method))
    flows.append(DistrictFlow(CONSTRUCTION, "spoil", rest, prov.SPOIL_SITE, "R15"))
    return tuple(flows)


def _finish(rng: random.Random, d: _Draft) -> OrganisationPlan:
    """Route each quantity and add the production site and the storage a producer needs."""
    kept_kg = sum(kg for stream, _, kg in d.kg if stream in (HAZARDOUS, MEDICAL))
    small = kept_kg * KG < prov.SMALL_PRODUCER_T
    lines = []
    for stream, code, kg in d.kg:
        tonnes = kg * KG
        if stream == GENERAL_INDUSTRIAL:
            receiver, method = prov.GENERAL_ROUTES[code]
            lines.append(WasteLine(stream, code, tonnes, receiver, method))
            continue
        receiver, method = prov.route(code)
        if stream == HAZARDOUS and small and prov.collected(code):
            lines.append(WasteLine(stream, code, tonnes, prov.COLLECTOR, method, receiver))
        else:
            lines.append(
                WasteLine(
                    stream, code, tonnes, receiver, method, waste_class=MEDICAL_CLASSES.get(code)
                )
            )
    org = d.org
    site_name = {"incineration": "生活垃圾焚烧发电厂"}.get(
        d.archetype.site_kind, "诊疗场所" if d.stream == MEDICAL else "生产经营场所"
    )
    facilities = [
        FacilityPlan(
            "MF001",
            site_name,
            d.archetype.site_kind,
            org.region_code,
            org.address,
            org.latitude,
            org.longitude,
            annual_capacity_t=d.archetype.capacity_t,
        )
    ]
    if kept_kg:
        latitude, longitude = point_near(rng, org.latitude, org.longitude, D("0.000200"))
        facilities.append(
            FacilityPlan(
                "TS001",
                "医疗废物暂存间" if d.stream == MEDICAL else "危险废物贮存库",
                "storage",
                org.region_code,
                org.address,
                latitude,
                longitude,
                storage_capacity_t=_storage_t(kept_kg * KG, d.stream),
            )
        )
    return replace(
        org,
        is_small_producer=small and bool(kept_kg),
        facilities=tuple(facilities),
        waste=tuple(lines),
    )


def _storage_t(annual_t: Decimal, stream: str) -> Decimal:
    """Room for three days of medical waste (医疗废物管理条例: 暂时贮存不得超过2天) or a quarter's
    hazardous waste, rounded up, never below a cabinet's worth."""
    if stream == MEDICAL:
        needed, step, floor = annual_t * 3 / 365, D("0.1"), D("0.1")
    else:
        needed, step, floor = annual_t / 4, D("0.5"), D("0.5")
    return max(floor, (needed / step).to_integral_value(ROUND_CEILING) * step).quantize(KG)


def _logins(orgs: tuple[OrganisationPlan, ...]) -> tuple[LoginPlan, ...]:
    pcb = max((o for o in orgs if o.archetype == "pcb"), key=lambda o: (len(o.waste), o.key))
    hospital = max(
        (o for o in orgs if o.archetype == "general_hospital"),
        key=lambda o: (o.annual_t(MEDICAL), o.key),
    )
    carrier = prov.CARRIERS[0]
    return (
        LoginPlan("admin", "超级管理员 / superuser", is_superuser=True),
        LoginPlan(
            "regulator",
            "区级监管 / district regulator",
            regulator_region=COUNTY_CODE,
            authority="杭州市生态环境局滨江分局",
        ),
        LoginPlan(
            "regulator_city",
            "市级监管 / city regulator",
            regulator_region="330100",
            authority="杭州市生态环境局",
        ),
        LoginPlan("producer", "产废单位 / producer", pcb.key, "admin"),
        LoginPlan("hospital", "医疗机构 / medical institution", hospital.key, "admin"),
        LoginPlan("carrier", "运输单位 / carrier", carrier, "admin"),
        LoginPlan("driver", "驾驶员 / driver", carrier, "driver"),
        LoginPlan("receiver", "利用处置单位 / receiver", prov.HW_XIAOSHAN, "admin"),
        LoginPlan("collector", "收集单位 / collector", prov.COLLECTOR, "admin"),
    )
