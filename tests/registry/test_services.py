"""Registry services: who may write what, and the refusals they give."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.registry import factories as f
from wufei.accounts.models import MembershipRole
from wufei.accounts.viewer import viewer_for
from wufei.core.errors import Conflict, NotPermitted, ValidationFailed
from wufei.registry.services import (
    facility_create,
    membership_add,
    organisation_create,
    permit_create,
    vehicle_create,
)


def _org_kwargs(**extra):
    return {"uscc": f.new_uscc(), "name": "新企业", "region_code": "330108", **extra}


def test_anonymous_or_mismatched_actor_cannot_create(world):
    with pytest.raises(NotPermitted):
        organisation_create(viewer=viewer_for(world.alice), actor=world.bob, **_org_kwargs())


def test_invalid_industry_code(world):
    with pytest.raises(ValidationFailed) as caught:
        organisation_create(
            viewer=viewer_for(world.admin),
            actor=world.admin,
            **_org_kwargs(industry_code="abc"),
        )
    assert caught.value.field == "industry_code"


def test_membership_add_only_by_org_admins(world):
    newcomer = f.make_user("newcomer")
    f.make_member(f.make_user("clerk"), world.prod_a, MembershipRole.MEMBER)
    clerk = viewer_for(world.prod_a.memberships.get(role="member").user)
    with pytest.raises(NotPermitted):
        membership_add(viewer=clerk, organisation=world.prod_a, user=newcomer, role="member")
    with pytest.raises(NotPermitted):
        membership_add(
            viewer=viewer_for(world.bob), organisation=world.prod_a, user=newcomer, role="member"
        )
    membership = membership_add(
        viewer=viewer_for(world.alice), organisation=world.prod_a, user=newcomer, role="driver"
    )
    assert membership.role == "driver"
    with pytest.raises(Conflict):
        membership_add(
            viewer=viewer_for(world.admin), organisation=world.prod_a, user=newcomer, role="member"
        )
    with pytest.raises(ValidationFailed):
        membership_add(
            viewer=viewer_for(world.admin),
            organisation=world.prod_a,
            user=f.make_user(),
            role="owner",
        )


def _facility(viewer, org, **extra):
    kwargs = {
        "code": "NEW-1",
        "name": "危废暂存库",
        "kind": "storage",
        "region_code": "330108",
        "latitude": Decimal("30.2"),
        "longitude": Decimal("120.2"),
        "storage_capacity_t": Decimal("5.25"),
        **extra,
    }
    return facility_create(viewer=viewer, organisation=org, **kwargs)


def test_facility_create_by_member_and_regulator(world):
    facility = _facility(viewer_for(world.alice), world.prod_a)
    assert facility.storage_capacity_t == Decimal("5.250000")
    assert _facility(viewer_for(world.reg108), world.prod_a, code="NEW-2").region.code == "330108"
    with pytest.raises(NotPermitted):
        _facility(viewer_for(world.bob), world.prod_a, code="NEW-3")
    with pytest.raises(NotPermitted):
        _facility(viewer_for(world.reg108), world.prod_west, code="NEW-3")
    with pytest.raises(Conflict):
        _facility(viewer_for(world.alice), world.prod_a)
    with pytest.raises(ValidationFailed) as caught:
        _facility(viewer_for(world.alice), world.prod_a, code="NEW-4", latitude=Decimal("91"))
    assert caught.value.field == "latitude"


def _permit(viewer, org, **extra):
    kwargs = {
        "number": "浙危废经第3301000001号",
        "kind": "hw_comprehensive",
        "issued_by": "浙江省生态环境厅",
        "valid_from": date(2023, 1, 1),
        "valid_until": date(2027, 12, 31),
        "annual_capacity_t": Decimal("20000"),
        **extra,
    }
    return permit_create(viewer=viewer, organisation=org, **kwargs)


def test_permit_create_by_regulator_with_catalog_codes(world):
    permit = _permit(
        viewer_for(world.reg_city),
        world.plant,
        facility=world.plant_in,
        category_codes=["HW08", "HW49"],
        waste_codes=["900-249-08"],
        method_codes=["D10"],
    )
    assert {c.code for c in permit.categories.all()} == {"HW08", "HW49"}
    assert [c.code for c in permit.codes.all()] == ["900-249-08"]
    assert permit.codes.get().edition.year == 2021
    assert [m.code for m in permit.treatment_methods.all()] == ["D10"]
    assert permit.annual_capacity_t == Decimal("20000.000000")


def test_permit_refusals(world):
    with pytest.raises(NotPermitted):
        _permit(viewer_for(world.kate), world.carrier)  # the holder does not license itself
    with pytest.raises(NotPermitted):
        _permit(viewer_for(world.reg108), world.plant)  # 330109 is not 330108
    admin = viewer_for(world.admin)
    with pytest.raises(ValidationFailed) as caught:
        _permit(admin, world.plant, category_codes=["HW99"])
    assert caught.value.field == "categories" and "HW99" in caught.value.message
    with pytest.raises(ValidationFailed):
        _permit(admin, world.plant, valid_until=date(2022, 1, 1))
    with pytest.raises(ValidationFailed):
        _permit(admin, world.plant, facility=world.fac_a)
    with pytest.raises(Conflict):
        _permit(admin, world.plant, number=world.permit.number)


def _vehicle(viewer, org, **extra):
    kwargs = {
        "plate_number": "浙A·D1234",
        "kind": "危险品罐式货车",
        "transport_certificate": "330100123456",
        "payload_t": Decimal("10"),
        "valid_until": date(2030, 1, 1),
        **extra,
    }
    return vehicle_create(viewer=viewer, organisation=org, **kwargs)


def test_vehicle_create(world):
    vehicle = _vehicle(viewer_for(world.kate), world.carrier)
    assert vehicle.plate_number == "浙AD1234"
    with pytest.raises(Conflict):
        _vehicle(viewer_for(world.admin), world.carrier, plate_number="浙ad1234")
    with pytest.raises(NotPermitted):
        _vehicle(viewer_for(world.alice), world.carrier, plate_number="浙A00001")
    with pytest.raises(ValidationFailed) as caught:
        _vehicle(viewer_for(world.alice), world.prod_a, plate_number="浙A00001")
    assert caught.value.code == "not_a_carrier"
    with pytest.raises(ValidationFailed) as caught:
        _vehicle(viewer_for(world.kate), world.carrier, plate_number="ABC123")
    assert caught.value.field == "plate_number"
    with pytest.raises(ValidationFailed):
        _vehicle(viewer_for(world.kate), world.carrier, plate_number="浙A00002", payload_t=0)
