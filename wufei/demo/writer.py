"""Persist a demo district plan: bulk inserts in one transaction, catalog codes resolved first.

The plan is checked against the database before anything is written — every waste code,
class and treatment method must exist in the catalogs loaded by `load_catalogs`, and no park
name, permit number or plate may clash — so a failure leaves the database untouched and says
what is missing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from wufei.catalog.models import (
    CatalogEdition,
    HazardousCategory,
    HazardousCode,
    TreatmentMethod,
    WasteClass,
)
from wufei.core.errors import Conflict, ValidationFailed
from wufei.demo.logins import demo_logins_create
from wufei.demo.models import (
    DemoDistrict,
    DemoFacilityCapacity,
    DemoOrganisation,
    DemoStreamTotal,
    DemoWasteProfile,
)
from wufei.domain.demo_district import HAZARDOUS, MEDICAL, DistrictPlan
from wufei.registry.models import Facility, Organisation, Park, Permit, Region, Vehicle
from wufei.registry.regions import region_add_township, region_load_shipped
from wufei.registry.uscc import uscc_generate

BATCH = 500
CODED = (HAZARDOUS, MEDICAL)  # streams whose lines carry a code of the national list


@dataclass(frozen=True)
class _Catalog:
    """The catalog rows a plan refers to, by code."""

    codes: dict[str, HazardousCode]
    categories: dict[str, HazardousCategory]
    classes: dict[tuple[str, str], WasteClass]
    methods: dict[str, TreatmentMethod]

    @classmethod
    def for_plan(cls, plan: DistrictPlan) -> _Catalog:
        edition = next(
            (e for e in CatalogEdition.objects.all() if e.in_force_on(date(plan.year, 7, 1))), None
        )
        if edition is None:
            raise ValidationFailed(
                _(
                    "No edition of the national hazardous waste list is in force in %(year)s: "
                    "run `wufei load_catalogs` first."
                )
                % {"year": plan.year},
                code="demo_catalog_missing",
            )
        catalog = cls(
            codes={c.code: c for c in HazardousCode.objects.filter(edition=edition)},
            categories={c.code: c for c in HazardousCategory.objects.filter(edition=edition)},
            classes={(c.stream, c.code): c for c in WasteClass.objects.all()},
            methods={m.code: m for m in TreatmentMethod.objects.all()},
        )
        catalog.check(plan)
        return catalog

    def check(self, plan: DistrictPlan) -> None:
        missing: set[str] = set()
        for org in plan.organisations:
            for line in org.waste:
                if line.stream in CODED:
                    missing.update({line.code} - self.codes.keys())
                else:
                    missing.update({line.code} - {c for s, c in self.classes if s == line.stream})
                if line.waste_class and (line.stream, line.waste_class) not in self.classes:
                    missing.add(line.waste_class)
                missing.update({line.treatment_method} - self.methods.keys())
            for permit in org.permits:
                missing.update(set(permit.codes) - self.codes.keys())
                missing.update(set(permit.categories) - self.categories.keys())
                missing.update(set(permit.treatment_methods) - self.methods.keys())
        for flow in plan.flows:
            if (flow.stream, flow.waste_class) not in self.classes:
                missing.add(f"{flow.stream}/{flow.waste_class}")
            missing.update({flow.treatment_method} - self.methods.keys())
        if missing:
            raise ValidationFailed(
                _(
                    "The loaded catalogs lack codes the demo needs: %(codes)s. "
                    "Run `wufei load_catalogs`."
                )
                % {"codes": ", ".join(sorted(missing))},
                code="demo_catalog_missing",
            )


def _refuse_clashes(plan: DistrictPlan) -> None:
    """Park names, permit numbers and plates are unique: refuse before writing anything."""
    clashes = list(
        Park.objects.filter(name__in=[p.name for p in plan.parks]).values_list("name", flat=True)
    )
    numbers = [p.number for o in plan.organisations for p in o.permits]
    clashes += Permit.objects.filter(number__in=numbers).values_list("number", flat=True)
    plates = [v.plate_number for o in plan.organisations for v in o.vehicles]
    clashes += Vehicle.objects.filter(plate_number__in=plates).values_list(
        "plate_number", flat=True
    )
    if clashes:
        raise Conflict(
            _("The database already holds %(names)s: run seed_demo with --reset, or remove them.")
            % {"names": ", ".join(sorted(clashes)[:10])},
            code="demo_clash",
        )


def _regions(plan: DistrictPlan) -> tuple[dict[str, Region], list[Region]]:
    """The regions the plan uses, adding its townships under the county if they are missing.

    Returns all regions by code and the townships created here (owned by the demo).
    """
    if not Region.objects.filter(code=plan.region_code).exists():
        region_load_shipped()
    county = Region.objects.get(code=plan.region_code)
    existing = set(
        Region.objects.filter(code__in=[t.code for t in plan.townships]).values_list(
            "code", flat=True
        )
    )
    created = [
        region_add_township(parent=county, code=t.code, name=t.name)
        for t in plan.townships
        if t.code not in existing
    ]
    codes = {o.region_code for o in plan.organisations} | {plan.region_code}
    codes |= {p.township_code for p in plan.parks if p.township_code}
    codes |= {f.region_code for o in plan.organisations for f in o.facilities}
    regions = Region.objects.in_bulk(sorted(codes))
    if missing := codes - regions.keys():
        raise ValidationFailed(
            _("Unknown administrative divisions: %(codes)s.")
            % {"codes": ", ".join(sorted(missing))},
            code="unknown_region",
        )
    return regions, created


def _usccs(plan: DistrictPlan) -> dict[str, str]:
    """A valid GB 32100 code per organisation, drawn from its own seed; redrawn on a clash."""
    draws = {o.key: random.Random(o.uscc_seed) for o in plan.organisations}
    specs = {o.key: (o.uscc_region, o.uscc_kind) for o in plan.organisations}
    result: dict[str, str] = {}
    pending = list(specs)
    while pending:
        for key in pending:
            region, kind = specs[key]
            result[key] = uscc_generate(draws[key], region_code=region, kind=kind)
        drawn = [result[k] for k in pending]
        taken = {
            uscc
            for i in range(0, len(drawn), BATCH)
            for uscc in Organisation.objects.filter(uscc__in=drawn[i : i + BATCH]).values_list(
                "uscc", flat=True
            )
        }
        owners: dict[str, str] = {}
        pending = []
        for key, code in result.items():
            if code in taken or code in owners:
                pending.append(key)
            else:
                owners[code] = key
    return result


def _organisations(
    plan: DistrictPlan, regions: dict[str, Region], parks: dict[str, Park]
) -> dict[str, Organisation]:
    usccs = _usccs(plan)
    rows = [
        Organisation(
            uscc=usccs[o.key],
            name=o.name,
            region=regions[o.region_code],
            park=parks[o.park] if o.park else None,
            address=o.address,
            legal_representative=o.legal_representative,
            contact_phone=o.contact_phone,
            industry_code=o.industry_code,
            industry_name=o.industry_name,
            is_producer=o.is_producer,
            is_carrier=o.is_carrier,
            is_collector=o.is_collector,
            is_treatment=o.is_treatment,
            is_small_producer=o.is_small_producer,
        )
        for o in plan.organisations
    ]
    Organisation.objects.bulk_create(rows, batch_size=BATCH)
    return {o.key: row for o, row in zip(plan.organisations, rows, strict=True)}


def _facilities(
    plan: DistrictPlan, orgs: dict[str, Organisation], regions: dict[str, Region]
) -> dict[tuple[str, str], Facility]:
    keys, rows = [], []
    for o in plan.organisations:
        for f in o.facilities:
            keys.append((o.key, f.code))
            rows.append(
                Facility(
                    organisation=orgs[o.key],
                    code=f.code,
                    name=f.name,
                    kind=f.kind,
                    region=regions[f.region_code],
                    address=f.address,
                    latitude=f.latitude,
                    longitude=f.longitude,
                    storage_capacity_t=f.storage_capacity_t,
                )
            )
    Facility.objects.bulk_create(rows, batch_size=BATCH)
    return dict(zip(keys, rows, strict=True))


def _permits_and_vehicles(
    plan: DistrictPlan,
    orgs: dict[str, Organisation],
    facilities: dict[tuple[str, str], Facility],
    catalog: _Catalog,
) -> None:
    pairs = [(o, p) for o in plan.organisations for p in o.permits]
    rows = [
        Permit(
            organisation=orgs[o.key],
            facility=facilities[o.key, p.facility_code] if p.facility_code else None,
            number=p.number,
            kind=p.kind,
            issued_by=p.issued_by,
            valid_from=p.valid_from,
            valid_until=p.valid_until,
            annual_capacity_t=p.annual_capacity_t,
        )
        for o, p in pairs
    ]
    Permit.objects.bulk_create(rows, batch_size=BATCH)
    categories, codes, methods = (
        Permit.categories.through,
        Permit.codes.through,
        Permit.treatment_methods.through,
    )
    categories.objects.bulk_create(
        [
            categories(permit=row, hazardouscategory=catalog.categories[c])
            for (_o, p), row in zip(pairs, rows, strict=True)
            for c in p.categories
        ],
        batch_size=BATCH,
    )
    codes.objects.bulk_create(
        [
            codes(permit=row, hazardouscode=catalog.codes[c])
            for (_o, p), row in zip(pairs, rows, strict=True)
            for c in p.codes
        ],
        batch_size=BATCH,
    )
    methods.objects.bulk_create(
        [
            methods(permit=row, treatmentmethod=catalog.methods[m])
            for (_o, p), row in zip(pairs, rows, strict=True)
            for m in p.treatment_methods
        ],
        batch_size=BATCH,
    )
    Vehicle.objects.bulk_create(
        [
            Vehicle(
                organisation=orgs[o.key],
                plate_number=v.plate_number,
                kind=v.kind,
                transport_certificate=v.transport_certificate,
                payload_t=v.payload_t,
                valid_until=v.valid_until,
            )
            for o in plan.organisations
            for v in o.vehicles
        ],
        batch_size=BATCH,
    )


def _profiles(
    plan: DistrictPlan, district: DemoDistrict, orgs: dict[str, Organisation], catalog: _Catalog
) -> list[DemoWasteProfile]:
    rows = []
    for o in plan.organisations:
        for line in o.waste:
            coded = line.stream in CODED
            class_code = line.waste_class if coded else line.code
            rows.append(
                DemoWasteProfile(
                    district=district,
                    organisation=orgs[o.key],
                    stream=line.stream,
                    hazardous_code=catalog.codes[line.code] if coded else None,
                    waste_class=catalog.classes[line.stream, class_code] if class_code else None,
                    annual_t=line.annual_t,
                    receiver=orgs[line.receiver],
                    final_receiver=orgs[line.final_receiver] if line.final_receiver else None,
                    treatment_method=catalog.methods[line.treatment_method],
                )
            )
    for flow in plan.flows:
        rows.append(
            DemoWasteProfile(
                district=district,
                organisation=None,
                stream=flow.stream,
                waste_class=catalog.classes[flow.stream, flow.waste_class],
                annual_t=flow.annual_t,
                receiver=orgs[flow.receiver],
                treatment_method=catalog.methods[flow.treatment_method],
            )
        )
    return rows


@transaction.atomic
def demo_district_write(*, plan: DistrictPlan) -> DemoDistrict:
    """Write `plan` into an empty district and return the record that owns what was written."""
    catalog = _Catalog.for_plan(plan)
    _refuse_clashes(plan)
    regions, created_townships = _regions(plan)
    parks = {
        p.name: Park(
            name=p.name,
            kind=p.kind,
            region=regions[p.township_code or plan.region_code],
            latitude=p.latitude,
            longitude=p.longitude,
            area_km2=p.area_km2,
        )
        for p in plan.parks
    }
    Park.objects.bulk_create(parks.values())
    orgs = _organisations(plan, regions, parks)
    facilities = _facilities(plan, orgs, regions)
    _permits_and_vehicles(plan, orgs, facilities, catalog)
    district = DemoDistrict.objects.create(
        region=regions[plan.region_code],
        name=plan.name,
        year=plan.year,
        seed=plan.seed,
        scale=plan.scale,
    )
    district.parks.add(*parks.values())
    district.townships.add(*created_townships)
    DemoOrganisation.objects.bulk_create(
        [
            DemoOrganisation(
                district=district, organisation=orgs[o.key], key=o.key, archetype=o.archetype
            )
            for o in plan.organisations
        ],
        batch_size=BATCH,
    )
    DemoStreamTotal.objects.bulk_create(
        DemoStreamTotal(district=district, stream=t.stream, annual_t=t.annual_t, source=t.source)
        for t in plan.totals
    )
    DemoWasteProfile.objects.bulk_create(_profiles(plan, district, orgs, catalog), batch_size=BATCH)
    DemoFacilityCapacity.objects.bulk_create(
        [
            DemoFacilityCapacity(
                district=district,
                facility=facilities[o.key, f.code],
                stream=stream,
                annual_capacity_t=capacity,
            )
            for o in plan.organisations
            for f in o.facilities
            for stream, capacity in f.annual_capacity_t
        ]
    )
    demo_logins_create(plan=plan, district=district, organisations=orgs)
    return district
