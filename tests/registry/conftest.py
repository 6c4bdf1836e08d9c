"""Registry fixtures: a small network spread over two districts of Hangzhou."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.registry import factories as f
from wufei.registry.models import FacilityKind
from wufei.registry.regions import region_load_shipped


@pytest.fixture
def regions(db):
    """The shipped divisions (already loaded by load_catalogs; idempotent either way)."""
    region_load_shipped()


@pytest.fixture
def world(regions):
    """Producers in 滨江区 (330108) and 西湖区 (330106), a carrier and a treatment plant, and
    users for each role."""
    w = SimpleNamespace()
    w.park = f.make_park("330108", name="滨江高新园")
    w.prod_a = f.make_org(name="甲化工", is_producer=True, park=w.park)
    w.prod_b = f.make_org(name="乙电镀", is_producer=True)
    w.prod_west = f.make_org(region_code="330106", name="西湖制药", is_producer=True)
    w.carrier = f.make_org(region_code="330106", name="安运物流", is_carrier=True, phone="138")
    w.plant = f.make_org(region_code="330109", name="萧山处置", is_treatment=True, phone="139")
    w.fac_a = f.make_facility(w.prod_a, code="A-GEN")
    w.fac_b = f.make_facility(w.prod_b, code="B-GEN")
    w.plant_in = f.make_facility(w.plant, kind=FacilityKind.INCINERATION, code="P-INC")
    w.plant_gen = f.make_facility(w.plant, kind=FacilityKind.GENERATION, code="P-OFFICE")
    w.permit = f.make_permit(w.plant)
    w.truck = f.make_vehicle(w.carrier)
    w.alice = f.make_user("alice")
    f.make_member(w.alice, w.prod_a)
    w.bob = f.make_user("bob")
    f.make_member(w.bob, w.prod_b)
    w.kate = f.make_user("kate")
    f.make_member(w.kate, w.carrier)
    w.reg108 = f.make_regulator("reg108", "330108")
    w.reg_city = f.make_regulator("regcity", "3301")
    w.admin = f.make_user("root", superuser=True)
    w.nobody = f.make_user("nobody")
    return w
