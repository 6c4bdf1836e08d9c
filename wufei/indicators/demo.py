"""The published 滨江区 figures of seed 002 (三年行动计划 2024–2026, 征求意见稿, §1(二)2) as inputs.

Values and units are copied as printed (万吨, t); the rates the seed states follow from them:
一般工业固体废物综合利用率 reaching 100 % in 2022–2023, 建筑垃圾综合利用率 99.81 % in 2023.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from wufei.accounts.viewer import Viewer
from wufei.indicators.loading import indicators_load_shipped
from wufei.indicators.models import StatInput
from wufei.indicators.services import indicator_values_compute, stat_input_enter
from wufei.registry.models import Region

BINJIANG = "330108"
SEED_002 = (
    "seed 002 滨江区深化全域“无废城市”先行示范区建设三年行动计划（2024-2026年）（征求意见稿）"
)


@dataclass(frozen=True)
class Figure:
    year: int
    key: str
    value: str
    unit: str
    quote: str


_GI_GEN = "一般工业固体废物产生量分别6.19万吨、5.80万吨、5.90万吨和5.64万吨（2020-2023年）"
_GI_USE = "综合利用量分别为6.16万吨、5.77万吨、5.90万吨和5.64万吨，综合利用率逐步实现100%"
_HW = "2021-2023年，滨江区工业危险废物产生量分别为0.81万吨、0.83万吨、0.73万吨"
_CW = "2023年全区建筑垃圾总产生量为292.36万吨，工程渣土回填量为291.83万吨，综合利用率99.81%"
_MW = "2022年收运处置84135箱、80414桶，合计2192.95吨"

SEED_002_FIGURES: tuple[Figure, ...] = (
    Figure(2020, "gi_sw_generated_t", "6.19", "万吨", _GI_GEN),
    Figure(2021, "gi_sw_generated_t", "5.80", "万吨", _GI_GEN),
    Figure(2022, "gi_sw_generated_t", "5.90", "万吨", _GI_GEN),
    Figure(2023, "gi_sw_generated_t", "5.64", "万吨", _GI_GEN),
    Figure(2020, "gi_sw_utilised_t", "6.16", "万吨", _GI_USE),
    Figure(2021, "gi_sw_utilised_t", "5.77", "万吨", _GI_USE),
    Figure(2022, "gi_sw_utilised_t", "5.90", "万吨", _GI_USE),
    Figure(2023, "gi_sw_utilised_t", "5.64", "万吨", _GI_USE),
    Figure(2021, "hw_generated_t", "0.81", "万吨", _HW),
    Figure(2022, "hw_generated_t", "0.83", "万吨", _HW),
    Figure(2023, "hw_generated_t", "0.73", "万吨", _HW),
    Figure(2023, "construction_waste_generated_t", "292.36", "万吨", _CW),
    Figure(2023, "construction_waste_utilised_t", "291.83", "万吨", _CW),
    Figure(2022, "medical_waste_collected_t", "2192.95", "t", _MW),
)

# Enters on behalf of the platform (no user): only the demo and tests use it.
_PLATFORM = Viewer(user_id=None, is_admin=True)


@transaction.atomic
def indicators_seed_002_enter(*, viewer: Viewer = _PLATFORM) -> int:
    """Enter seed 002's figures for 滨江区 once (again: nothing new); answers rows added."""
    region = Region.objects.get(code=BINJIANG)
    added = 0
    for f in SEED_002_FIGURES:
        source = f"{SEED_002}：“{f.quote}”"
        exists = StatInput.objects.filter(
            region=region, year=f.year, key=f.key, value=f.value, unit=f.unit, source=source
        ).exists()
        if not exists:
            stat_input_enter(
                viewer=viewer,
                region=region,
                year=f.year,
                key=f.key,
                value=f.value,
                unit=f.unit,
                source=source,
            )
            added += 1
    return added


def indicators_demo_seed(*, year: int) -> None:
    """Load the sets, enter seed 002's 2020–2023 figures for 滨江区, compute 2020…`year`."""
    indicators_load_shipped()
    indicators_seed_002_enter()
    region = Region.objects.get(code=BINJIANG)
    for y in range(2020, year + 1):
        indicator_values_compute(region=region, year=y)
