"""The inventory tables against hand-computed figures."""

from decimal import Decimal

from wufei.domain import waste_inventory as wi

T = 1_000_000  # grams per tonne


def test_entered_table_totals_sum_rows_and_rates_are_row_wise():
    values = {
        r.key: {"generated": 10 * T, "utilised": 4 * T, "disposed": 0, "stored": 1 * T}
        for r in wi.CONSTRUCTION.rows
    }
    table = wi.entered_table(wi.CONSTRUCTION, values)
    assert table.total.cells["generated"] == 40 * T
    assert table.total.cells["utilised"] == 16 * T
    assert table.total.cells["stored"] == 4 * T
    assert table.rows[0].cells["rate"] == Decimal("40.00")  # 4 / 10
    assert table.total.cells["rate"] == Decimal("40.00")


def test_missing_row_makes_the_total_missing_not_zero():
    values = {"slag": {"generated": 5 * T}}
    table = wi.entered_table(wi.GENERAL_INDUSTRIAL, values)
    assert table.rows[1].cells["generated"] is None
    assert table.total.cells["generated"] is None
    assert table.total.cells["rate"] is None


def test_entered_total_wins_over_the_partial_sum():
    table = wi.entered_table(
        wi.GENERAL_INDUSTRIAL,
        {"slag": {"generated": 5 * T}},
        {"generated": 7 * T, "utilised": 3 * T},
    )
    assert table.total.cells["generated"] == 7 * T
    assert table.total.cells["rate"] == Decimal("42.86")  # 3/7 = 42.857… half up


def test_other_waste_rate_counts_utilised_and_disposed():
    values = {"municipal_sludge": {"generated": 3 * T, "utilised": 1 * T, "disposed": 1 * T}}
    table = wi.entered_table(wi.OTHER_WASTE, values)
    assert table.rows[0].cells["rate"] == Decimal("66.67")


def test_hazardous_top_ten_then_other_and_total():
    figures = [
        wi.HazardousFigures(category=f"HW{n:02d}", name=f"n{n}", generated=n * T, self_utilised=T)
        for n in range(1, 13)
    ]
    table = wi.hazardous_table(figures)
    assert [r.key for r in table.rows[:2]] == ["HW12", "HW11"]
    assert table.rows[-1].label == "其他"
    assert table.rows[-1].cells["generated"] == 3 * T  # HW01 + HW02
    assert len(table.rows) == 11
    assert table.total.cells["generated"] == 78 * T  # 1 + … + 12
    assert table.total.cells["self_utilised"] == 12 * T
    assert table.total.cells["rate"] == Decimal("15.38")  # 12 / 78


def test_hazardous_rate_sums_in_house_and_entrusted_utilisation():
    f = wi.HazardousFigures(
        category="HW08",
        name="废矿物油与含矿物油废物",
        generated=8 * T,
        self_utilised=T,
        in_utilised=2 * T,
        out_utilised=T,
        out_disposed=4 * T,
    )
    table = wi.hazardous_table([f])
    assert table.rows[0].label == "HW08废矿物油与含矿物油废物"
    assert table.total.cells["rate"] == Decimal("50.00")
    summary = wi.stream_summary(table)
    assert (summary.generated, summary.utilised, summary.disposed) == (8 * T, 4 * T, 4 * T)


def test_no_ledger_record_is_missing():
    table = wi.hazardous_table([])
    assert table.rows == []
    assert table.total.cells["generated"] is None
    assert wi.stream_summary(table).generated is None


def test_keys_and_grams():
    assert wi.entered_key("general_industrial", "total", "generated") == "gi_sw_generated_t"
    assert (
        wi.entered_key("household", "kitchen", "utilised") == "inventory:household:kitchen:utilised"
    )
    assert wi.grams_from_tonnes(Decimal("1.2345674")) == 1_234_567
    assert wi.rate_percent(1, 0) is None


def test_headings_as_the_seed_prints_them():
    assert [g.title for g in wi.HAZARDOUS.headers] == [
        "产生量",
        "自行利用处置情况",
        "委托外单位利用处置",
        "综合利用率",
        "当前贮存量",
    ]
    assert wi.HOUSEHOLD.headers[0].title == "清运量/回收量"
    assert wi.GENERAL_INDUSTRIAL.sheet_name == "表1 一般工业固体废物"
