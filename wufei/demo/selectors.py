"""What a demo district holds, counted from the database for the seed_demo report."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from wufei.demo.models import DemoDistrict, DemoWasteProfile
from wufei.registry.models import Facility, Organisation, Permit, Vehicle

STREAM_LABELS = {
    "hazardous": "危险废物 / hazardous (industrial)",
    "medical": "医疗废物 / medical",
    "general_industrial": "一般工业固废 / general industrial",
    "household": "生活垃圾 / household",
    "construction": "建筑垃圾 / construction",
}


@dataclass(frozen=True)
class StreamLine:
    stream: str
    label: str
    target_t: Decimal
    profiled_t: Decimal


@dataclass(frozen=True)
class DemoSummary:
    district: DemoDistrict
    counts: list[tuple[str, int]]
    streams: list[StreamLine]


def demo_district_summary(*, district: DemoDistrict) -> DemoSummary:
    orgs = Organisation.objects.filter(demo__district=district)
    medical = orgs.filter(demo_waste_profiles__stream="medical").distinct()
    counts = [
        ("组织 / organisations", orgs.count()),
        ("产废单位 / producers", orgs.filter(is_producer=True).count()),
        ("  其中医疗机构 / of which medical institutions", medical.count()),
        (
            "  小微产废单位 / small producers (<10 t/yr)",
            orgs.filter(is_small_producer=True).count(),
        ),
        ("运输单位 / carriers", orgs.filter(is_carrier=True).count()),
        ("收集单位 / collectors", orgs.filter(is_collector=True).count()),
        ("利用处置单位 / treatment facilities", orgs.filter(is_treatment=True).count()),
        ("设施 / facilities", Facility.objects.filter(organisation__in=orgs).count()),
        ("许可证 / permits", Permit.objects.filter(organisation__in=orgs).count()),
        ("车辆 / vehicles", Vehicle.objects.filter(organisation__in=orgs).count()),
        ("园区 / parks", district.parks.count()),
        ("街道 / townships created", district.townships.count()),
        ("产废清单 / waste profile rows", district.profiles.count()),
        ("演示账号 / demo logins", district.users.count()),
    ]
    profiled = dict(
        DemoWasteProfile.objects.filter(district=district)
        .values("stream")
        .annotate(total=Sum("annual_t"))
        .values_list("stream", "total")
    )
    streams = [
        StreamLine(
            t.stream,
            STREAM_LABELS.get(t.stream, t.stream),
            t.annual_t,
            profiled.get(t.stream) or Decimal(0),
        )
        for t in district.totals.all()
    ]
    streams.sort(key=lambda line: list(STREAM_LABELS).index(line.stream))
    return DemoSummary(district=district, counts=counts, streams=streams)
