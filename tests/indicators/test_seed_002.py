"""Seed 002's published 滨江区 figures reproduce the rates it states."""

from __future__ import annotations

from decimal import Decimal

from wufei.indicators.demo import indicators_demo_seed, indicators_seed_002_enter
from wufei.indicators.models import IndicatorValue, StatInput


def value(code: str, year: int, set_code: str = "national_2021") -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator__set__code=set_code, indicator__code=code, region_id="330108", year=year
    )


def test_construction_waste_rate_2023_is_99_81(indicators):
    indicators_demo_seed(year=2023)
    v = value("N2.3.1", 2023)  # 建筑垃圾综合利用率
    assert (v.status, v.value) == ("computed", Decimal("99.81"))
    assert v.inputs["inputs"]["construction_waste_generated_t"]["value"] == "2923600"


def test_general_industrial_rate_reaches_100_percent(indicators):
    indicators_demo_seed(year=2023)
    # “综合利用率逐步实现100%”: by hand 6.16/6.19 = 99.51 %, 5.77/5.80 = 99.48 %, then 100 %
    expected = {
        2020: Decimal("99.51"),
        2021: Decimal("99.48"),
        2022: Decimal("100.00"),
        2023: Decimal("100.00"),
    }
    for year, rate in expected.items():
        assert value("N2.1.1", year).value == rate, year
        assert value("L2.1", year, "zero_waste_blueprint_local").value == rate, year


def test_construction_waste_before_2023_is_missing_not_zero(indicators):
    indicators_demo_seed(year=2023)
    v = value("N2.3.1", 2022)
    assert (v.status, v.value) == ("missing", None)
    assert set(v.inputs["missing"]) == {
        "construction_waste_generated_t",
        "construction_waste_utilised_t",
    }


def test_hazardous_waste_generated_from_the_published_figures(indicators):
    indicators_demo_seed(year=2023)
    hw = {y: value("L1.1.2", y, "zero_waste_blueprint_local").value for y in (2021, 2022, 2023)}
    assert hw == {2021: Decimal("8100.000"), 2022: Decimal("8300.000"), 2023: Decimal("7300.000")}
    assert value("L1.1.2", 2020, "zero_waste_blueprint_local").status == "missing"


def test_entering_the_figures_twice_adds_nothing(indicators):
    indicators_demo_seed(year=2023)
    count = StatInput.objects.count()
    assert indicators_seed_002_enter() == 0
    indicators_demo_seed(year=2023)
    assert StatInput.objects.count() == count
