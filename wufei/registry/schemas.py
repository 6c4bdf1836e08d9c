"""API shapes of the registry. Masses, coordinates and areas are Decimal, sent as strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from wufei.registry.models import Organisation, Permit
from wufei.registry.selectors import permit_validity


class OrganisationIn(Schema):
    uscc: str = Field(..., description="统一社会信用代码 (GB 32100-2015), 18 characters")
    name: str
    region_code: str = Field(..., description="GB/T 2260 division code, e.g. 330108")
    park_id: int | None = None
    address: str = ""
    industry_code: str = Field("", description="GB/T 4754-2017 industry code, e.g. C3130")
    industry_name: str = ""
    is_producer: bool = False
    is_carrier: bool = False
    is_collector: bool = False
    is_treatment: bool = False
    is_small_producer: bool = False
    legal_representative: str = ""
    contact_phone: str = ""


class RegionRef(Schema):
    code: str
    name: str


class OrganisationRef(Schema):
    uscc: str
    name: str


class OrganisationOut(Schema):
    uscc: str
    name: str
    region: RegionRef
    park_id: int | None
    park_name: str | None
    address: str
    industry_code: str
    industry_name: str
    is_producer: bool
    is_carrier: bool
    is_collector: bool
    is_treatment: bool
    is_small_producer: bool
    access: Literal["full", "directory"] = Field(
        ..., description="full, or a public directory entry without contact details"
    )
    legal_representative: str | None = Field(None, description="null on directory entries")
    contact_phone: str | None = Field(None, description="null on directory entries")

    @staticmethod
    def resolve_park_name(obj: Organisation) -> str | None:
        return obj.park.name if obj.park else None

    @staticmethod
    def resolve_access(obj: Organisation) -> str:
        return "full" if getattr(obj, "full_access", False) else "directory"

    @staticmethod
    def resolve_legal_representative(obj: Organisation) -> str | None:
        return obj.legal_representative if getattr(obj, "full_access", False) else None

    @staticmethod
    def resolve_contact_phone(obj: Organisation) -> str | None:
        return obj.contact_phone if getattr(obj, "full_access", False) else None


class FacilityOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    organisation: OrganisationRef
    region: RegionRef
    address: str
    latitude: Decimal
    longitude: Decimal
    storage_capacity_t: Decimal | None


class PermitOut(Schema):
    number: str
    kind: str
    organisation: OrganisationRef
    facility_code: str | None
    issued_by: str
    valid_from: date
    valid_until: date
    validity: Literal["valid", "expiring", "expired"]
    annual_capacity_t: Decimal | None
    categories: list[str]
    codes: list[str]
    treatment_methods: list[str]

    @staticmethod
    def resolve_facility_code(obj: Permit) -> str | None:
        return obj.facility.code if obj.facility else None

    @staticmethod
    def resolve_validity(obj: Permit) -> str:
        return permit_validity(obj, today=timezone.localdate())

    @staticmethod
    def resolve_categories(obj: Permit) -> list[str]:
        return [c.code for c in obj.categories.all()]

    @staticmethod
    def resolve_codes(obj: Permit) -> list[str]:
        return [c.code for c in obj.codes.all()]

    @staticmethod
    def resolve_treatment_methods(obj: Permit) -> list[str]:
        return [m.code for m in obj.treatment_methods.all()]


class VehicleOut(Schema):
    plate_number: str
    kind: str
    organisation: OrganisationRef
    transport_certificate: str
    payload_t: Decimal
    valid_until: date


class ParkOut(Schema):
    id: int
    name: str
    kind: str
    region: RegionRef
    latitude: Decimal | None
    longitude: Decimal | None
    area_km2: Decimal | None


class RegionOut(Schema):
    code: str
    prefix: str
    name: str
    kind: str
    level: int
    parent_code: str | None = Field(None, alias="parent_id")


class MembershipOut(Schema):
    organisation: OrganisationRef
    role: str


class ScopeOut(Schema):
    region: RegionRef
    authority: str


class MeOut(Schema):
    username: str
    display_name: str
    email: str
    is_admin: bool
    roles: list[str] = Field(..., description="admin, regulator, producer, carrier, …")
    memberships: list[MembershipOut]
    regulator_scopes: list[ScopeOut]
