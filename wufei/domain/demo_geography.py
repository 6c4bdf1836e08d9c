"""Where the demo district's parties sit: 滨江区 (Hangzhou, GB/T 2260 330108) and its neighbours.

The three streets are 滨江's real ones (seed 002: 3 个街道), but their nine-digit codes and the
boxes drawn around them are demo data, approximate and for display only. The parks are
illustrative: names and outlines a visitor of the district would find plausible, not a
gazetteer. Places outside the district (the licensed plants in other counties and provinces)
are rough county centres.
"""

from __future__ import annotations

import random
from decimal import Decimal

from wufei.domain.demo_district import DEGREE, Box, ParkPlan, TownshipPlan

D = Decimal

COUNTY_CODE = "330108"
MARGIN = Decimal("0.0005")  # degrees kept free along a street's edge (about 50 m)
COUNTY_NAME = "滨江区"
CITY_CODE = "330100"

# The whole district: about 30.15–30.23 N, 120.12–120.24 E.
DISTRICT_BOX = Box(D("30.150000"), D("30.230000"), D("120.120000"), D("120.240000"))

# Demo data: codes 330108001–003 and the boxes are illustrative, not the official ones.
TOWNSHIPS = (
    TownshipPlan(
        "330108001", "西兴街道", Box(D("30.190"), D("30.222"), D("120.185"), D("120.235"))
    ),
    TownshipPlan(
        "330108002", "长河街道", Box(D("30.170"), D("30.210"), D("120.140"), D("120.190"))
    ),
    TownshipPlan(
        "330108003", "浦沿街道", Box(D("30.152"), D("30.185"), D("120.125"), D("120.185"))
    ),
)
XIXING, CHANGHE, PUYAN = (t.code for t in TOWNSHIPS)

# Illustrative parks; each lies inside its street's box together with its radius.
HIGH_TECH_ZONE = "滨江高新技术产业园区"
IOT_PARK = "滨江物联网产业园"
INTERNET_PARK = "滨江互联网产业园"
BAIMAHU = "白马湖生态创意城"
SMART_MANUFACTURING = "江南智造产业园"
PARKS = (
    ParkPlan(
        HIGH_TECH_ZONE,
        "national_high_tech",
        XIXING,
        D("30.205"),
        D("120.210"),
        D("0.012"),
        D("11.30"),
    ),
    ParkPlan(IOT_PARK, "industrial", PUYAN, D("30.168"), D("120.150"), D("0.006"), D("2.60")),
    ParkPlan(
        INTERNET_PARK, "industrial", CHANGHE, D("30.190"), D("120.170"), D("0.006"), D("1.80")
    ),
    ParkPlan(BAIMAHU, "industrial", CHANGHE, D("30.180"), D("120.180"), D("0.006"), D("3.20")),
    ParkPlan(
        SMART_MANUFACTURING, "industrial", PUYAN, D("30.162"), D("120.172"), D("0.006"), D("1.50")
    ),
)

# Roads of each street, for addresses (public street names).
ROADS = {
    XIXING: ("江南大道", "滨盛路", "江陵路", "东信大道", "西兴路", "官河路", "聚才路", "滨安路"),
    CHANGHE: ("长河路", "江虹路", "滨文路", "越达巷", "秋溢路", "建业路", "月明路", "江二路"),
    PUYAN: ("六和路", "伟业路", "阡陌路", "南环路", "信诚路", "东冠路", "泰安路", "浦沿路"),
}

# Neighbouring counties (GB/T 2260) with a rough centre and roads, for the plants outside.
ELSEWHERE = {
    "330109": ("浙江省杭州市萧山区", D("30.165"), D("120.405"), ("红十五线", "临江大道", "北塘路")),
    "330110": ("浙江省杭州市余杭区", D("30.395"), D("120.010"), ("仓前路", "文一西路", "良睦路")),
    "330111": (
        "浙江省杭州市富阳区",
        D("30.050"),
        D("119.955"),
        ("富春路", "金桥北路", "江滨西大道"),
    ),
    "330113": ("浙江省杭州市临平区", D("30.420"), D("120.300"), ("临平大道", "顺风路", "望梅路")),
    "330114": ("浙江省杭州市钱塘区", D("30.300"), D("120.500"), ("江东大道", "青六中路", "义蓬路")),
    "330182": ("浙江省杭州市建德市", D("29.475"), D("119.280"), ("新安东路", "严州大道", "梅城路")),
    "341282": ("安徽省阜阳市界首市", D("33.255"), D("115.370"), ("东城大道", "人民路", "光武大道")),
}


def township(code: str) -> TownshipPlan:
    for t in TOWNSHIPS:
        if t.code == code:
            return t
    raise KeyError(code)


def park(name: str) -> ParkPlan:
    for p in PARKS:
        if p.name == name:
            return p
    raise KeyError(name)


def _draw(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    """A coordinate between low and high, drawn in whole micro-degrees (no float involved)."""
    units = rng.randint(int(low / DEGREE), int(high / DEGREE))
    return (units * DEGREE).quantize(DEGREE)


def point_in_box(rng: random.Random, box: Box) -> tuple[Decimal, Decimal]:
    return _draw(rng, box.lat_min, box.lat_max), _draw(rng, box.lon_min, box.lon_max)


def point_near(
    rng: random.Random, latitude: Decimal, longitude: Decimal, radius: Decimal
) -> tuple[Decimal, Decimal]:
    return (
        _draw(rng, latitude - radius, latitude + radius),
        _draw(rng, longitude - radius, longitude + radius),
    )


def point_for(
    rng: random.Random, township_code: str, park_name: str | None
) -> tuple[Decimal, Decimal]:
    """A site in a park when it has one, else anywhere in its street.

    Streets keep a margin so that a facility drawn next to the site stays inside them.
    """
    if park_name is not None:
        p = park(park_name)
        return point_near(rng, p.latitude, p.longitude, p.radius)
    box = township(township_code).box
    inner = Box(
        box.lat_min + MARGIN, box.lat_max - MARGIN, box.lon_min + MARGIN, box.lon_max - MARGIN
    )
    return point_in_box(rng, inner)
