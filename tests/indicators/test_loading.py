"""The three shipped sets load exactly as their sources print them, and loading is idempotent."""

from __future__ import annotations

from decimal import Decimal

from django.core.management import call_command

from wufei.indicators.loading import indicators_load_shipped
from wufei.indicators.models import Indicator, IndicatorSet

# Seed 001, table “十四五”时期循环经济发展主要指标: 序号, 指标, 2020年, 2025年 (all 预期性).
SEED_001 = [
    ("1", "能源产出率提高(%)", "〔23〕", "〔17〕"),
    ("2", "水资源产出率提高(%)", "〔11〕", "完成国家下达目标"),
    ("3", "建设用地产出率提高(%)", "—", "〔20〕"),
    ("4", "再生水利用率(%)", "42", "50"),
    ("5", "规模以上工业企业重复用水率(%)", "95", "95以上"),
    ("6", "主要工业固体废物综合利用率(%)", "98", "98以上"),
    ("7", "城镇生活垃圾无害化处理率(%)", "100", "100"),
    ("8", "城市建筑垃圾资源化处理率(%)", "24", "30"),
    ("9", "农田残膜回收率(%)", "80", "80以上"),
    ("10", "农作物秸秆综合利用率(%)", "98", "98以上"),
    ("11", "可循环快递包装应用规模(万个)", "1.5", "30"),
    ("12", "海水淡化能力(万吨/日)", "31.6", "55"),
    ("13", "浓海水综合利用量(万吨/日)", "21", "30"),
]


def test_seed_001_table_loads_exactly(indicators):
    rows = {
        i.code: i for i in Indicator.objects.filter(set__code="circular_economy_14fyp", level=2)
    }
    assert len(rows) == 13
    for code, printed_name, baseline, target in SEED_001:
        i = rows[code]
        assert f"{i.name}({i.unit})" == printed_name
        assert (i.baseline_year, i.baseline_text) == (2020, baseline)
        assert (i.target_year, i.target_text) == (2025, target)
        assert "预期性" in i.note and not i.required
    assert rows["1"].target_kind == "cumulative" and rows["1"].target_value == Decimal(17)
    assert rows["1"].baseline_value == Decimal(23)
    assert rows["2"].target_kind == "text" and rows["2"].target_value is None
    assert rows["3"].baseline_value is None
    assert rows["5"].target_kind == "at_least" and rows["5"].target_value == Decimal(95)
    assert rows["11"].baseline_value == Decimal("1.5")
    assert rows["12"].baseline_value == Decimal("31.6")
    groups = Indicator.objects.filter(set__code="circular_economy_14fyp", level=1)
    assert [g.name for g in groups] == ["资源产出指标", "循环利用指标", "本市特色指标"]
    parent = rows["12"].parent
    assert parent is not None
    assert [i.code for i in parent.children.all()] == ["12", "13"]


def test_national_framework_has_5_areas_17_second_level_and_unverified_third_level(indicators):
    national = IndicatorSet.objects.get(code="national_2021")
    assert not national.verified
    first = national.indicators.filter(level=1)
    assert [i.name for i in first] == [
        "固体废物源头减量",
        "固体废物资源化利用",
        "固体废物最终处置",
        "保障能力",
        "群众获得感",
    ]
    assert national.indicators.filter(level=2).count() == 17
    third = national.indicators.filter(level=3)
    assert third.count() == 12  # every row of the partial CSV
    assert not third.filter(verified=True).exists()
    rate = third.get(name="一般工业固体废物综合利用率")
    assert rate.parent is not None
    assert rate.formula == "gi_sw_utilisation_rate" and rate.parent.name == "工业固体废物资源化利用"
    assert rate.inputs == [
        "gi_sw_generated_t",
        "gi_sw_utilised_t",
        "gi_sw_prior_storage_utilised_t",
    ]


def test_local_set_follows_the_blueprint(indicators):
    local = Indicator.objects.filter(set__code="zero_waste_blueprint_local")
    assert [i.name for i in local.filter(level=1)] == [
        "废弃物源头减量",
        "固体废物资源化利用",
        "保障能力",
        "公众参与",
    ]
    named_in_2_2 = local.filter(verified=True, level=2).values_list("name", flat=True)
    assert set(named_in_2_2) == {
        "全域生态设计源头减量",
        "重点行业生态设计源头减量",
        "一般工业固废综合利用率",
        "工业危险废物综合利用率",
        "环境友好处理处置",
    }
    assert local.get(code="L2.2").formula == "hw_utilisation_rate"
    assert {i.baseline_year for i in local.exclude(code="L3.1")} == {2020}


def test_loading_again_changes_nothing(indicators):
    count = Indicator.objects.count()
    assert indicators_load_shipped() == 0
    call_command("load_indicators", verbosity=0)
    assert Indicator.objects.count() == count
