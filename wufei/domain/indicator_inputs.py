"""The named statistical inputs indicator formulas read, and the units they may be entered in.

An input is a number for one region and one year: a quantity from the spine (hazardous waste
generated, utilised…) or a statistic entered with evidence (industrial value added, straw
resources…). Each key has a canonical unit (the `_t` suffix means tonnes); a value may be
entered in any unit of the same dimension as printed in the source (万吨, 亿元, 万人) and is
converted exactly, so "6.19 万吨" is kept as printed and read as 61900 t.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Dimension → {unit as printed: factor to the canonical unit (the first entry)}.
UNITS: dict[str, dict[str, Decimal]] = {
    "mass": {"t": Decimal(1), "吨": Decimal(1), "万吨": Decimal(10_000), "kg": Decimal("0.001")},
    "money": {"万元": Decimal(1), "亿元": Decimal(10_000), "元": Decimal("0.0001")},
    "people": {"人": Decimal(1), "万人": Decimal(10_000)},
    "count": {"个": Decimal(1)},
}


@dataclass(frozen=True)
class InputKey:
    key: str
    label: str  # the statistic's name as the sources print it
    dimension: str
    spine: bool = False  # computed from the spine's records (spine_inputs.py)

    @property
    def unit(self) -> str:
        return next(iter(UNITS[self.dimension]))


_KEYS = (
    InputKey("industrial_value_added_10k_yuan", "工业增加值", "money"),
    InputKey("population", "常住人口", "people"),
    InputKey("gi_sw_generated_t", "一般工业固体废物产生量", "mass"),
    InputKey("gi_sw_utilised_t", "一般工业固体废物综合利用量", "mass"),
    InputKey("gi_sw_prior_storage_utilised_t", "综合利用往年贮存量", "mass"),
    InputKey("construction_waste_generated_t", "建筑垃圾产生量", "mass"),
    InputKey("construction_waste_utilised_t", "建筑垃圾综合利用量", "mass"),
    InputKey("hh_waste_collected_t", "生活垃圾清运量", "mass"),
    InputKey("straw_collectable_t", "秸秆可收集资源量", "mass"),
    InputKey("straw_utilised_t", "秸秆综合利用量", "mass"),
    InputKey("manure_generated_t", "畜禽粪污产生量（测算）", "mass"),
    InputKey("manure_utilised_t", "畜禽粪污综合利用量", "mass"),
    InputKey("film_used_t", "农膜使用量", "mass"),
    InputKey("film_recovered_t", "农膜回收量", "mass"),
    InputKey("villages_total", "行政村总数", "count"),
    InputKey("villages_in_collection_system", "纳入收储运体系的行政村数", "count"),
    InputKey("hw_generated_t", "工业危险废物产生量", "mass", spine=True),
    InputKey("hw_utilised_t", "工业危险废物利用量", "mass", spine=True),
    InputKey("hw_disposed_t", "工业危险废物处置量", "mass", spine=True),
    InputKey("hw_landfilled_t", "危险废物填埋处置量", "mass", spine=True),
    InputKey("hw_transferred_t", "危险废物转移量", "mass", spine=True),
    InputKey("medical_waste_collected_t", "医疗废物收运处置量", "mass", spine=True),
)
INPUT_KEYS: dict[str, InputKey] = {k.key: k for k in _KEYS}
SPINE_KEYS: frozenset[str] = frozenset(k.key for k in _KEYS if k.spine)


class UnitRefused(ValueError):
    """The unit is not one the key can be entered in."""


def canonical_value(key: InputKey, value: Decimal, unit: str) -> Decimal:
    """`value` `unit` in the key's canonical unit, exactly: 6.19 万吨 → 61900 t."""
    factors = UNITS[key.dimension]
    if unit not in factors:
        raise UnitRefused(f"{key.key} is entered in one of {', '.join(factors)}, not {unit!r}")
    return value * factors[unit]


def allowed_units(key: InputKey) -> tuple[str, ...]:
    return tuple(UNITS[key.dimension])
