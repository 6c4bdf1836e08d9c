"""The shape of a demo district: plain, frozen dataclasses with no Django in them.

A `DistrictPlan` says everything the demo writer persists — townships, parks, organisations with
their facilities, permits, vehicles and expected annual waste, the district-level streams and
the demo logins — so it can be built, compared and tested without a database. Later generators
(a year of ledger events, manifests) read the same plan, or the rows written from it.

Masses are `Decimal` tonnes exact to the kilogram; coordinates are `Decimal` degrees (WGS-84).
Waste codes and class codes are strings of the national lists (`900-249-08`, `SW17`,
`residual`); the writer resolves them against the loaded catalog and fails loudly if one is
missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

KG = Decimal("0.001")  # demo masses are whole kilograms, in tonnes
DEGREE = Decimal("0.000001")  # coordinates to the micro-degree (about 0.1 m)

HAZARDOUS = "hazardous"
GENERAL_INDUSTRIAL = "general_industrial"
MEDICAL = "medical"
HOUSEHOLD = "household"
CONSTRUCTION = "construction"

# Streams whose quantities belong to named producers; the others are district-level totals
# (households, construction sites) that are not attributed to an organisation.
PER_PRODUCER_STREAMS = (HAZARDOUS, GENERAL_INDUSTRIAL, MEDICAL)
DISTRICT_STREAMS = (HOUSEHOLD, CONSTRUCTION)


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle."""

    lat_min: Decimal
    lat_max: Decimal
    lon_min: Decimal
    lon_max: Decimal

    def contains(self, latitude: Decimal, longitude: Decimal) -> bool:
        return (
            self.lat_min <= latitude <= self.lat_max and self.lon_min <= longitude <= self.lon_max
        )


@dataclass(frozen=True)
class TownshipPlan:
    code: str  # nine digits under the county, e.g. 330108001
    name: str
    box: Box


@dataclass(frozen=True)
class ParkPlan:
    name: str
    kind: str  # a registry ParkKind value
    township_code: str | None  # None: the park spans the whole county
    latitude: Decimal
    longitude: Decimal
    radius: Decimal  # degrees around the centre where its members sit
    area_km2: Decimal


@dataclass(frozen=True)
class FacilityPlan:
    code: str  # unique within the organisation (MF001 production, TS001 storage …)
    name: str
    kind: str  # a registry FacilityKind value
    region_code: str
    address: str
    latitude: Decimal
    longitude: Decimal
    storage_capacity_t: Decimal | None = None
    # Design capacity per year of a receiver no permit describes (household, construction and
    # general industrial waste), by stream.
    annual_capacity_t: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class PermitPlan:
    number: str
    kind: str  # a registry PermitKind value
    issued_by: str
    valid_from: date
    valid_until: date
    annual_capacity_t: Decimal | None
    # A listed category covers every code in it; a listed code covers just that code.
    categories: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    treatment_methods: tuple[str, ...] = ()
    facility_code: str | None = None

    def covers(self, code: str) -> bool:
        return code in self.codes or f"HW{code[-2:]}" in self.categories

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until


@dataclass(frozen=True)
class VehiclePlan:
    plate_number: str
    kind: str
    transport_certificate: str
    payload_t: Decimal
    valid_until: date


@dataclass(frozen=True)
class WasteLine:
    """One waste a producer expects to generate in a year, and where it is planned to go.

    `code` is a hazardous waste code (hazardous and medical streams) or a waste class code
    (general industrial). `receiver` is the first organisation it is handed to; when that is a
    collector, `final_receiver` is the licensed plant the collector passes it on to.
    """

    stream: str
    code: str
    annual_t: Decimal
    receiver: str
    treatment_method: str
    final_receiver: str | None = None
    waste_class: str | None = None  # the medical class beside an HW01 code


@dataclass(frozen=True)
class OrganisationPlan:
    key: str  # stable within a plan: P0001 producers, H0001 medical, S01 service providers
    name: str
    region_code: str  # where it is registered (township inside the district, else county)
    uscc_region: str  # six-digit GB/T 2260 code embedded in its USCC
    uscc_kind: str  # GB 32100 authority + entity type: 91 company, 92 sole trader, 12 public
    uscc_seed: int  # seeds the USCC draw, so the code depends on nothing but the plan
    archetype: str
    industry_code: str  # GB/T 4754-2017 class
    industry_name: str
    address: str
    legal_representative: str
    contact_phone: str
    latitude: Decimal
    longitude: Decimal
    park: str | None = None
    is_producer: bool = False
    is_carrier: bool = False
    is_collector: bool = False
    is_treatment: bool = False
    is_small_producer: bool = False
    facilities: tuple[FacilityPlan, ...] = ()
    permits: tuple[PermitPlan, ...] = ()
    vehicles: tuple[VehiclePlan, ...] = ()
    waste: tuple[WasteLine, ...] = ()

    def annual_t(self, stream: str) -> Decimal:
        return sum((w.annual_t for w in self.waste if w.stream == stream), Decimal(0))


@dataclass(frozen=True)
class DistrictFlow:
    """A slice of a district-level stream (households, construction sites) and its receiver."""

    stream: str
    waste_class: str
    annual_t: Decimal
    receiver: str
    treatment_method: str


@dataclass(frozen=True)
class StreamTotal:
    stream: str
    annual_t: Decimal
    source: str


@dataclass(frozen=True)
class LoginPlan:
    username: str
    role: str  # what the login demonstrates, for the printed table
    organisation: str | None = None  # organisation key
    membership_role: str | None = None  # an accounts MembershipRole value
    regulator_region: str | None = None
    authority: str = ""
    is_superuser: bool = False


@dataclass(frozen=True)
class DistrictPlan:
    seed: int
    scale: Decimal
    year: int
    region_code: str
    name: str
    townships: tuple[TownshipPlan, ...]
    parks: tuple[ParkPlan, ...]
    organisations: tuple[OrganisationPlan, ...]
    flows: tuple[DistrictFlow, ...]
    totals: tuple[StreamTotal, ...]
    logins: tuple[LoginPlan, ...]

    def organisation(self, key: str) -> OrganisationPlan:
        for org in self.organisations:
            if org.key == key:
                return org
        raise KeyError(key)

    def stream_total(self, stream: str) -> Decimal:
        for total in self.totals:
            if total.stream == stream:
                return total.annual_t
        raise KeyError(stream)

    def planned_t(self, stream: str) -> Decimal:
        """What the producers' lines and the district flows of `stream` add up to."""
        lines = sum((o.annual_t(stream) for o in self.organisations), Decimal(0))
        flows = sum((f.annual_t for f in self.flows if f.stream == stream), Decimal(0))
        return lines + flows
