"""`seed_demo` writes the planned district into the database, and `--reset` replaces it.

The catalogs are loaded once per session (tests/conftest.py); each test seeds inside its own
rolled-back transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from stdnum.cn import uscc as stdnum_uscc

from wufei.accounts.models import Membership, RegulatorScope, User
from wufei.catalog.models import HazardousCode, TreatmentMethod
from wufei.demo.models import DemoDistrict, DemoStreamTotal, DemoWasteProfile
from wufei.domain.demo_geography import COUNTY_CODE, DISTRICT_BOX, township
from wufei.domain.demo_plan import DEMO_PASSWORD, district_plan_build
from wufei.registry.models import Organisation, Park, Permit, PermitKind, Region, Vehicle
from wufei.registry.uscc import uscc_validate

pytestmark = pytest.mark.django_db

D = Decimal


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--seed", "2024", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return seed("--scale", "1", "--reset")


def demo_usccs() -> set[str]:
    return set(Organisation.objects.filter(demo__isnull=False).values_list("uscc", flat=True))


def test_written_district_matches_its_plan(seeded):
    plan = district_plan_build(seed=2024, scale=1)
    district = DemoDistrict.objects.get()
    assert (district.seed, district.scale, district.year) == (2024, D(1), plan.year)
    assert Organisation.objects.filter(demo__district=district).count() == len(plan.organisations)
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        o.name for o in plan.organisations
    }
    totals = dict(DemoStreamTotal.objects.values_list("stream", "annual_t"))
    profiled = dict(
        DemoWasteProfile.objects.values("stream")
        .annotate(t=Sum("annual_t"))
        .values_list("stream", "t")
    )
    assert totals == profiled == {t.stream: t.annual_t for t in plan.totals}
    assert totals["hazardous"] == D("7300") and totals["general_industrial"] == D("56400")
    assert Park.objects.count() == len(plan.parks)
    assert Region.objects.filter(prefix__startswith="330108", level=4).count() == 3
    assert "http://127.0.0.1:8000/" in seeded and DEMO_PASSWORD in seeded
    for username in ("admin", "regulator", "producer", "carrier", "driver", "receiver"):
        assert f"\n  {username} " in seeded


def test_usccs_are_valid_unique_and_registered_in_the_orgs_county(seeded):
    orgs = list(Organisation.objects.filter(demo__isnull=False).select_related("region"))
    assert len({o.uscc for o in orgs}) == len(orgs)
    for org in orgs:
        assert stdnum_uscc.is_valid(org.uscc), org.uscc
        assert uscc_validate(org.uscc) == org.uscc
        assert org.uscc[2:8] == org.region.code[:6]


def test_reset_then_reseed_gives_the_same_data(seeded):
    first = demo_usccs()
    plates = set(Vehicle.objects.values_list("plate_number", flat=True))
    seed("--scale", "1", "--reset")
    assert demo_usccs() == first
    assert set(Vehicle.objects.values_list("plate_number", flat=True)) == plates
    assert DemoDistrict.objects.count() == 1
    assert User.objects.filter(username="admin").count() == 1


def test_without_reset_an_occupied_district_is_refused(seeded):
    before = demo_usccs()
    with pytest.raises(CommandError, match="--reset"):
        seed("--scale", "1")
    assert demo_usccs() == before


def test_reset_keeps_catalogs_regions_and_parties_it_did_not_create(seeded):
    codes, regions = HazardousCode.objects.count(), Region.objects.filter(level__lt=4).count()
    outsider = Organisation.objects.create(
        uscc="91330108MA27XYZ0XT", name="真实单位", region=Region.objects.get(code=COUNTY_CODE)
    )
    seed("--scale", "1", "--reset")
    assert Organisation.objects.filter(pk=outsider.pk).exists()
    assert HazardousCode.objects.count() == codes
    assert Region.objects.filter(level__lt=4).count() == regions


def test_a_clashing_user_aborts_without_writing_anything():
    User.objects.create_user("admin", password="not-the-demo-one")
    with pytest.raises(CommandError, match="admin"):
        seed("--scale", "0.1")
    assert not Organisation.objects.exists()
    assert not DemoDistrict.objects.exists()


def test_codes_are_2021_codes_that_fit_the_industry(seeded):
    profiles = DemoWasteProfile.objects.select_related(
        "organisation", "hazardous_code__edition", "hazardous_code__category", "waste_class"
    )
    for profile in profiles:
        code = profile.hazardous_code
        if code is not None:
            assert code.edition.year == 2021
        pcb = profile.organisation and profile.organisation.industry_code == "3982"
        if pcb and profile.stream == "hazardous":
            assert code is not None and code.code[:3] in ("398", "900")
        if profile.stream == "medical":
            assert code is not None and code.category.code == "HW01"
            assert profile.waste_class is not None and profile.waste_class.stream == "medical"
    hospitals = Organisation.objects.filter(industry_code__in=["8411", "8421", "8425"])
    assert hospitals.count() >= 200
    assert not hospitals.exclude(
        demo_waste_profiles__hazardous_code__category__code="HW01"
    ).exists()


def test_every_hazardous_profile_is_covered_by_a_valid_permit_with_capacity(seeded):
    year = DemoDistrict.objects.get().year
    start, end = date(year, 1, 1), date(year, 12, 31)
    permits = Permit.objects.exclude(kind=PermitKind.ROAD_HAZMAT).filter(
        valid_from__lte=start, valid_until__gte=end
    )
    covers: dict[int, list[tuple[Permit, set[int], set[int], set[int]]]] = defaultdict(list)
    for permit in permits.prefetch_related("codes", "categories", "treatment_methods"):
        covers[permit.organisation_id].append(
            (
                permit,
                {c.pk for c in permit.codes.all()},
                {c.pk for c in permit.categories.all()},
                {m.pk for m in permit.treatment_methods.all()},
            )
        )
    inflow: dict[int, Decimal] = defaultdict(Decimal)
    profiles = DemoWasteProfile.objects.filter(hazardous_code__isnull=False).select_related(
        "hazardous_code"
    )
    assert profiles.count() > 1000
    for profile in profiles:
        code = profile.hazardous_code
        assert code is not None
        for hop in filter(None, (profile.receiver_id, profile.final_receiver_id)):
            matching = [
                (p, methods)
                for p, codes, categories, methods in covers[hop]
                if code.pk in codes or code.category_id in categories
            ]
            assert matching, (profile.pk, code.code)
            inflow[matching[0][0].pk] += profile.annual_t
        plant = profile.final_receiver_id or profile.receiver_id
        assert any(profile.treatment_method_id in m for _p, _c, _k, m in covers[plant])
    capacity = dict(permits.values_list("pk", "annual_capacity_t"))
    for pk, tonnes in inflow.items():
        limit = capacity[pk]
        assert limit is not None and tonnes <= limit


def test_service_providers_as_in_seed_002(seeded):
    collector = Organisation.objects.get(is_collector=True)
    assert collector.region.prefix.startswith(COUNTY_CODE)
    licence = collector.permits.get(kind=PermitKind.HW_SMALL_COLLECTION)
    assert licence.annual_capacity_t == D("5000")
    assert {"HW06", "HW08", "HW34"} <= set(licence.categories.values_list("code", flat=True))
    licensed = Organisation.objects.filter(permits__kind=PermitKind.HW_COMPREHENSIVE).distinct()
    assert not licensed.filter(region__prefix__startswith=COUNTY_CODE).exists()
    assert Permit.objects.filter(kind=PermitKind.MEDICAL_WASTE, categories__code="HW01").exists()
    assert Vehicle.objects.filter(organisation__is_carrier=True).count() >= 15
    methods = set(
        TreatmentMethod.objects.filter(permits__isnull=False).values_list("code", flat=True)
    )
    assert {"D10", "R4", "R9", "D1"} <= methods


def test_coordinates_lie_in_their_street(seeded):
    orgs = Organisation.objects.filter(region__prefix__startswith=COUNTY_CODE, demo__isnull=False)
    assert orgs.count() > 500
    for org in orgs.prefetch_related("facilities"):
        box = township(org.region_id).box
        for facility in org.facilities.all():
            assert DISTRICT_BOX.contains(facility.latitude, facility.longitude)
            assert box.contains(facility.latitude, facility.longitude), org.name


def test_demo_logins_authenticate_with_their_roles(seeded):
    client = Client()
    response = client.post(
        reverse("web:login"), {"username": "producer", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.get(username="admin").is_superuser
    producer = Membership.objects.get(user__username="producer")
    assert producer.role == "admin" and producer.organisation.industry_code == "3982"
    assert Membership.objects.get(user__username="driver").role == "driver"
    assert (
        Membership.objects.get(user__username="driver").organisation
        == Membership.objects.get(user__username="carrier").organisation
    )
    scope = RegulatorScope.objects.get(user__username="regulator")
    assert scope.region_id == COUNTY_CODE and "滨江" in scope.authority
    for username in ("receiver", "collector", "hospital", "carrier"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)


def test_scale_two_doubles_the_district():
    seed("--scale", "2")
    totals = dict(DemoStreamTotal.objects.values_list("stream", "annual_t"))
    assert totals["hazardous"] == D("14600")
    producers = Organisation.objects.filter(is_producer=True).count()
    assert 1000 <= producers <= 1120


def test_bad_scale_is_a_command_error():
    with pytest.raises(CommandError, match="scale"):
        seed("--scale", "0")
