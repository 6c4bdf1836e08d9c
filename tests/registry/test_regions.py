"""The shipped division table loads idempotently and codes resolve in every usual spelling."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from wufei.core.errors import ValidationFailed
from wufei.registry.models import Region, RegionLevel
from wufei.registry.regions import region_add_township, region_load_shipped, region_resolve


def test_load_is_idempotent_and_complete(regions):
    assert region_load_shipped() == 0  # already there
    assert Region.objects.count() == 3211  # 3,212 rows less 台湾省, which has no code


def test_hierarchy_codes_and_levels(regions):
    zhejiang = Region.objects.get(code="330000")
    hangzhou = Region.objects.get(code="330100")
    binjiang = Region.objects.get(code="330108")
    assert (zhejiang.prefix, zhejiang.level, zhejiang.parent) == ("33", RegionLevel.PROVINCE, None)
    assert (hangzhou.prefix, hangzhou.level, hangzhou.parent) == (
        "3301",
        RegionLevel.PREFECTURE,
        zhejiang,
    )
    assert binjiang.name == "滨江区"
    assert (binjiang.level, binjiang.parent) == (RegionLevel.COUNTY, hangzhou)
    # A district directly under a municipality is still a county-level region.
    dongcheng = Region.objects.get(code="110101")
    assert dongcheng.level == RegionLevel.COUNTY
    assert dongcheng.parent_id == "110000"


def test_reload_after_deletion_recreates_and_renames(regions):
    Region.objects.filter(code="330108").update(name="旧名")
    Region.objects.filter(code="330114").delete()
    assert region_load_shipped() == 1
    assert Region.objects.get(code="330108").name == "滨江区"


def test_load_regions_command(regions):
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "0 regions created" in out.getvalue()


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("330108", "330108"),
        ("3301", "330100"),
        ("330100", "330100"),
        ("33", "330000"),
        ("330000", "330000"),
        (" 330108 ", "330108"),
        ("330108000000", "330108"),
    ],
)
def test_resolve_spellings(regions, spelling, code):
    assert region_resolve(spelling).code == code


@pytest.mark.parametrize("spelling", ["", "999999", "abc", "3399", "33010"])
def test_resolve_unknown(regions, spelling):
    with pytest.raises(ValidationFailed) as caught:
        region_resolve(spelling)
    assert caught.value.field == "region_code"
    assert caught.value.code == "unknown_region"
    assert "GB/T 2260" in caught.value.message


def test_townships(regions):
    binjiang = region_resolve("330108")
    street = region_add_township(parent=binjiang, code="330108001", name="西兴街道")
    assert (street.code, street.prefix, street.level) == ("330108001", "330108001", 4)
    assert region_resolve("330108001000") == street
    assert region_resolve("330108001") == street
    # Adding it again renames rather than duplicating.
    assert region_add_township(parent=binjiang, code="330108001", name="西兴").name == "西兴"
    assert Region.objects.filter(parent=binjiang).count() == 1


def test_township_must_lie_under_its_county(regions):
    with pytest.raises(ValidationFailed):
        region_add_township(parent=region_resolve("330108"), code="330106001", name="x")
    with pytest.raises(ValidationFailed):
        region_add_township(parent=region_resolve("3301"), code="330100001", name="x")
    with pytest.raises(ValidationFailed):
        region_add_township(parent=region_resolve("330108"), code="3301080", name="x")
