"""Indicator formulas: plain functions over named inputs (Decimal), registered by key.

Each formula names the inputs it needs; `evaluate` answers `Missing` naming every absent input
(never a zero standing in for no data) or `Computed` with the value rounded as the source
rounds. Rates are truncated to two decimals, not rounded half-up: a rate is never shown as
reaching a level (100 %) it has not reached, and this is how seed 002 (滨江区三年行动计划) gets
99.81 % from its published 292.36 万吨 and 291.83 万吨 (half-up would give 99.82 %).
Definitions quote the statistical definitions listed in
`wufei/indicators/data/PROVENANCE.md`; the ones not checked against an official text say so.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
RATE_PLACES = Decimal("0.01")
QUANTITY_PLACES = Decimal("0.001")
INTENSITY_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Computed:
    value: Decimal
    assumptions: tuple[str, ...] = ()  # documented defaults the value rests on


@dataclass(frozen=True)
class Missing:
    inputs: tuple[str, ...]  # the input keys that are absent (or zero where they divide)
    reason: str = "missing"  # "missing" | "zero_denominator"


Outcome = Computed | Missing
Inputs = Mapping[str, Decimal | None]


@dataclass(frozen=True)
class Formula:
    key: str
    unit: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    compute: Callable[[Mapping[str, Decimal]], Outcome]

    @property
    def definition(self) -> str:
        return inspect.cleandoc(self.compute.__doc__ or "")

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.required + self.optional


FORMULAS: dict[str, Formula] = {}


def formula(
    key: str, *, unit: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Callable[
    [Callable[[Mapping[str, Decimal]], Outcome]], Callable[[Mapping[str, Decimal]], Outcome]
]:
    """Register a formula under `key`."""

    def register(
        func: Callable[[Mapping[str, Decimal]], Outcome],
    ) -> Callable[[Mapping[str, Decimal]], Outcome]:
        if key in FORMULAS:
            raise ValueError(f"formula {key} registered twice")
        FORMULAS[key] = Formula(key, unit, required, optional, func)
        return func

    return register


def evaluate(key: str, inputs: Inputs) -> Outcome:
    """Run formula `key` on `inputs`; any required input absent → Missing naming them all."""
    spec = FORMULAS[key]
    absent = tuple(name for name in spec.required if inputs.get(name) is None)
    if absent:
        return Missing(absent)
    present = {name: value for name, value in inputs.items() if value is not None}
    return spec.compute(present)


def rate_truncated(part: Decimal, whole: Decimal) -> Decimal:
    """part ÷ whole × 100 %, truncated to two decimals (see the module docstring)."""
    return (part / whole * HUNDRED).quantize(RATE_PLACES, rounding=ROUND_DOWN)


def _rate(part_key: str, whole_key: str, values: Mapping[str, Decimal]) -> Outcome:
    if values[whole_key] == 0:
        return Missing((whole_key,), reason="zero_denominator")
    return Computed(rate_truncated(values[part_key], values[whole_key]))


def _quantity(key: str, values: Mapping[str, Decimal]) -> Outcome:
    return Computed(values[key].quantize(QUANTITY_PLACES, rounding=ROUND_HALF_UP))


def _intensity(mass_key: str, values: Mapping[str, Decimal]) -> Outcome:
    money = values["industrial_value_added_10k_yuan"]
    if money == 0:
        return Missing(("industrial_value_added_10k_yuan",), reason="zero_denominator")
    return Computed((values[mass_key] / money).quantize(INTENSITY_PLACES, rounding=ROUND_HALF_UP))


@formula(
    "gi_sw_utilisation_rate",
    unit="%",
    required=("gi_sw_generated_t", "gi_sw_utilised_t"),
    optional=("gi_sw_prior_storage_utilised_t",),
)
def gi_sw_utilisation_rate(v: Mapping[str, Decimal]) -> Outcome:
    """一般工业固体废物综合利用率 = 综合利用量 ÷ (产生量 + 综合利用往年贮存量) × 100 %.

    Statistical definition quoted by reference/unverified/zero-waste-city-indicators-2021-partial
    .csv (not checked against the 2021 text). Without an entered 综合利用往年贮存量 the term is
    taken as none, and the result says so.
    """
    prior = v.get("gi_sw_prior_storage_utilised_t")
    assumptions = () if prior is not None else ("gi_sw_prior_storage_utilised_t=0",)
    whole = v["gi_sw_generated_t"] + (prior or Decimal(0))
    if whole == 0:
        return Missing(("gi_sw_generated_t",), reason="zero_denominator")
    return Computed(rate_truncated(v["gi_sw_utilised_t"], whole), assumptions)


@formula(
    "construction_waste_utilisation_rate",
    unit="%",
    required=("construction_waste_generated_t", "construction_waste_utilised_t"),
)
def construction_waste_utilisation_rate(v: Mapping[str, Decimal]) -> Outcome:
    """建筑垃圾综合利用率 = 建筑垃圾综合利用量 ÷ 建筑垃圾产生总量 × 100 %.

    2019 试行 definition (利用量 ÷ 产生总量); seed 002 counts 工程渣土回填量 as utilised and
    states 99.81 % for 滨江区 2023.
    """
    return _rate("construction_waste_utilised_t", "construction_waste_generated_t", v)


@formula("hw_utilisation_rate", unit="%", required=("hw_generated_t", "hw_utilised_t"))
def hw_utilisation_rate(v: Mapping[str, Decimal]) -> Outcome:
    """工业危险废物综合利用率 = 利用量 ÷ 产生量 × 100 % (seed 003 blueprint indicator).

    From the spine: utilised = treated with an R-code method (in house or by the receiver of a
    manifest shipped from the region) in the year; generated = B.1 events in the year.
    """
    return _rate("hw_utilised_t", "hw_generated_t", v)


@formula(
    "hw_landfill_share",
    unit="%",
    required=("hw_landfilled_t", "hw_utilised_t", "hw_disposed_t"),
)
def hw_landfill_share(v: Mapping[str, Decimal]) -> Outcome:
    """危险废物填埋处置量占比 = 填埋量 (D1) ÷ (利用量 + 处置量) × 100 %.

    The name is in the partial 2021 list; the definition is ours (unverified): landfilled as a
    share of everything utilised or disposed of in the year.
    """
    whole = v["hw_utilised_t"] + v["hw_disposed_t"]
    if whole == 0:
        return Missing(("hw_utilised_t", "hw_disposed_t"), reason="zero_denominator")
    return Computed(rate_truncated(v["hw_landfilled_t"], whole))


@formula(
    "gi_sw_intensity",
    unit="吨/万元",
    required=("gi_sw_generated_t", "industrial_value_added_10k_yuan"),
)
def gi_sw_intensity(v: Mapping[str, Decimal]) -> Outcome:
    """工业固体废物产生强度 = 一般工业固体废物产生量 (t) ÷ 工业增加值 (万元), 4 decimals.

    Name from the partial 2021 list; unit and definition unverified.
    """
    return _intensity("gi_sw_generated_t", v)


@formula(
    "hw_intensity",
    unit="吨/万元",
    required=("hw_generated_t", "industrial_value_added_10k_yuan"),
)
def hw_intensity(v: Mapping[str, Decimal]) -> Outcome:
    """危险废物产生强度 = 工业危险废物产生量 (t) ÷ 工业增加值 (万元), 4 decimals (seed 003 双控)."""
    return _intensity("hw_generated_t", v)


@formula("straw_utilisation_rate", unit="%", required=("straw_collectable_t", "straw_utilised_t"))
def straw_utilisation_rate(v: Mapping[str, Decimal]) -> Outcome:
    """农作物秸秆综合利用率 = 秸秆综合利用量 ÷ 秸秆可收集资源量 × 100 % (2019 试行)."""
    return _rate("straw_utilised_t", "straw_collectable_t", v)


@formula("manure_utilisation_rate", unit="%", required=("manure_generated_t", "manure_utilised_t"))
def manure_utilisation_rate(v: Mapping[str, Decimal]) -> Outcome:
    """畜禽粪污综合利用率 = 畜禽粪污综合利用量 ÷ 畜禽粪污产生量（测算）× 100 % (2019 试行)."""
    return _rate("manure_utilised_t", "manure_generated_t", v)


@formula("film_recovery_rate", unit="%", required=("film_used_t", "film_recovered_t"))
def film_recovery_rate(v: Mapping[str, Decimal]) -> Outcome:
    """农膜回收率 = 回收量 ÷ 使用量 × 100 % (2019 试行 name: 地膜回收率)."""
    return _rate("film_recovered_t", "film_used_t", v)


@formula(
    "agri_collection_coverage",
    unit="%",
    required=("villages_total", "villages_in_collection_system"),
)
def agri_collection_coverage(v: Mapping[str, Decimal]) -> Outcome:
    """农业废弃物收储运体系覆盖率 = 纳入收储运体系的行政村数 ÷ 行政村总数 × 100 % (2019 试行)."""
    return _rate("villages_in_collection_system", "villages_total", v)


@formula("hw_generated", unit="t", required=("hw_generated_t",))
def hw_generated(v: Mapping[str, Decimal]) -> Outcome:
    """工业危险废物产生量 (t, 3 decimals): B.1 generation events in the year (spine)."""
    return _quantity("hw_generated_t", v)


@formula("hw_landfilled", unit="t", required=("hw_landfilled_t",))
def hw_landfilled(v: Mapping[str, Decimal]) -> Outcome:
    """危险废物填埋处置量 (t, 3 decimals): treated with method D1 in the year (spine)."""
    return _quantity("hw_landfilled_t", v)


@formula("gi_sw_generated", unit="t", required=("gi_sw_generated_t",))
def gi_sw_generated(v: Mapping[str, Decimal]) -> Outcome:
    """一般工业固体废物产生量 (t, 3 decimals), entered from statistics."""
    return _quantity("gi_sw_generated_t", v)


@formula("medical_waste_collected", unit="t", required=("medical_waste_collected_t",))
def medical_waste_collected(v: Mapping[str, Decimal]) -> Outcome:
    """医疗废物收运处置量 (t, 3 decimals): received weight of medical manifests (spine)."""
    return _quantity("medical_waste_collected_t", v)
