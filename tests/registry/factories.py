"""Small builders for registry tests; every USCC comes from uscc_generate, so all are valid."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal

from django.test import Client

from wufei.accounts.models import Membership, MembershipRole, RegulatorScope, User
from wufei.accounts.tokens import token_create
from wufei.registry.models import (
    Facility,
    FacilityKind,
    Organisation,
    Park,
    ParkKind,
    Permit,
    PermitKind,
    Vehicle,
)
from wufei.registry.regions import region_resolve
from wufei.registry.uscc import uscc_generate

RNG = random.Random(32100)
_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-9"


def new_uscc(region_code: str = "330108", kind: str = "91") -> str:
    return uscc_generate(RNG, region_code=region_code, kind=kind)


def make_user(username: str | None = None, *, superuser: bool = False) -> User:
    username = username or f"user{next(_seq)}"
    if superuser:
        return User.objects.create_superuser(username=username, password=PASSWORD)
    return User.objects.create_user(username=username, password=PASSWORD)


def make_org(
    *,
    region_code: str = "330108",
    name: str | None = None,
    phone: str = "0571-8888 0000",
    park: Park | None = None,
    **flags: bool,
) -> Organisation:
    n = next(_seq)
    return Organisation.objects.create(
        uscc=new_uscc(region_code),
        name=name or f"测试企业{n}",
        region=region_resolve(region_code),
        park=park,
        address=f"测试路{n}号",
        legal_representative="张三",
        contact_phone=phone,
        industry_code="C2614",
        industry_name="有机化学原料制造",
        **flags,
    )


def make_member(user: User, org: Organisation, role: str = MembershipRole.ADMIN) -> Membership:
    return Membership.objects.create(user=user, organisation=org, role=role)


def make_regulator(username: str, region_code: str) -> User:
    user = make_user(username)
    RegulatorScope.objects.create(
        user=user, region=region_resolve(region_code), authority="生态环境局"
    )
    return user


def make_facility(
    org: Organisation,
    *,
    kind: str = FacilityKind.GENERATION,
    region_code: str | None = None,
    code: str | None = None,
) -> Facility:
    n = next(_seq)
    return Facility.objects.create(
        organisation=org,
        code=code or f"F{n:03d}",
        name=f"设施{n}",
        kind=kind,
        region=region_resolve(region_code) if region_code else org.region,
        latitude=Decimal("30.208123"),
        longitude=Decimal("120.212456"),
        storage_capacity_t=Decimal("12.500000"),
    )


def make_permit(
    org: Organisation,
    *,
    valid_until: date | None = None,
    kind: str = PermitKind.HW_COMPREHENSIVE,
) -> Permit:
    today = date.today()
    return Permit.objects.create(
        organisation=org,
        number=f"3301{next(_seq):06d}",
        kind=kind,
        issued_by="浙江省生态环境厅",
        valid_from=today - timedelta(days=365),
        valid_until=valid_until or today + timedelta(days=4 * 365),
        annual_capacity_t=Decimal("30000.000000"),
    )


def make_vehicle(org: Organisation) -> Vehicle:
    n = next(_seq)
    return Vehicle.objects.create(
        organisation=org,
        plate_number=f"浙A{n:05d}",
        kind="危险品厢式货车",
        transport_certificate=f"330100{n:06d}",
        payload_t=Decimal("8.000000"),
        valid_until=date.today() + timedelta(days=365),
    )


def make_park(region_code: str = "330108", name: str | None = None) -> Park:
    return Park.objects.create(
        name=name or f"测试园区{next(_seq)}",
        kind=ParkKind.NATIONAL_HIGH_TECH,
        region=region_resolve(region_code),
    )


def api_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")
