"""Importing a new edition: all rows are checked, and a bad file writes nothing at all."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from wufei.catalog.importing import CODE_COLUMNS, EXEMPTION_COLUMNS, validate_code_rows
from wufei.catalog.models import CatalogEdition, Exemption, HazardousCategory, HazardousCode
from wufei.catalog.selectors import current_edition

pytestmark = pytest.mark.django_db

HEADER = [*CODE_COLUMNS, "pdf_page"]
EXEMPTION_HEADER = list(EXEMPTION_COLUMNS)
GOOD = [
    ["HW01", "医疗废物", "卫生", "841-001-01", "感染性废物", "In", "3"],
    ["HW08", "废矿物油与含矿物油废物", "非特定行业", "900-249-08", "废矿物油", "T，I", "11"],
    ["HW08", "废矿物油与含矿物油废物", "非特定行业", "900-214-08", "废润滑油", "T/I", ""],
    ["HW49", "其他废物", "非特定行业", "900-041-49", "废弃包装物", "T/In", "23"],
    ["HW50", "废催化剂", "非特定行业", "900-049-50", "废催化剂", "T", "25"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def counts() -> tuple[int, int, int, int]:
    return (
        CatalogEdition.objects.count(),
        HazardousCategory.objects.count(),
        HazardousCode.objects.count(),
        Exemption.objects.count(),
    )


def import_catalog(path: Path, year: int = 2025, *args: str) -> None:
    call_command(
        "import_catalog", str(path), "--year", str(year), "--effective-from", f"{year}-01-01",
        *args, verbosity=0,
    )  # fmt: skip


def test_a_valid_csv_creates_a_new_edition(tmp_path: Path, shipped_list_path: Path) -> None:
    # The whole 2021 list, re-imported as a hypothetical later edition.
    call_command(
        "import_catalog", str(shipped_list_path), "--year", "2025",
        "--effective-from", "2025-03-01", "--instrument", "测试令 第1号", verbosity=0,
    )  # fmt: skip

    edition = CatalogEdition.objects.get(year=2025)
    assert edition.title == "国家危险废物名录（2025年版）"
    assert edition.codes.count() == 467
    assert edition.categories.count() == 46
    assert edition.effective_until is None
    previous = CatalogEdition.objects.get(year=2021)
    assert previous.effective_until == date(2025, 2, 28)
    assert current_edition(on=date(2025, 6, 1)) == edition
    assert current_edition(on=date(2024, 6, 1)) == previous
    # The 2021 rows are untouched: records keep pointing at their own edition.
    assert previous.codes.count() == 467


def test_a_valid_xlsx_creates_a_new_edition(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in GOOD[:2]:
        sheet.append([*row[:6], int(row[6])])
    sheet.append([None] * len(HEADER))  # a blank row is skipped
    for row in GOOD[2:]:
        sheet.append([*row[:6], int(row[6]) if row[6] else None])
    path = tmp_path / "list.xlsx"
    workbook.save(path)

    import_catalog(path, 2030)

    edition = CatalogEdition.objects.get(year=2030)
    assert edition.codes.count() == 5
    assert sorted(edition.categories.values_list("code", flat=True)) == [
        "HW01",
        "HW08",
        "HW49",
        "HW50",
    ]
    oil = edition.codes.get(code="900-249-08")
    assert oil.characteristics == ["T", "I"] and oil.source_page == 11


def test_a_file_with_bad_rows_is_refused_whole(tmp_path: Path) -> None:
    bad = [
        GOOD[0],  # row 2: fine
        ["HW08", "废矿物油与含矿物油废物", "非特定行业", "900-24-08", "废矿物油", "T", ""],  # 3
        ["HW08", "废矿物油与含矿物油废物", "非特定行业", "900-249-09", "废矿物油", "T", ""],  # 4
        ["HW08", "废矿物油与含矿物油废物", "非特定行业", "900-214-08", "废润滑油", "T/X", ""],  # 5
        ["HW49", "其他废物", "非特定行业", "900-041-49", "", "T", ""],  # 6
        ["HW01", "医疗废物", "卫生", "841-001-01", "感染性废物", "In", ""],  # 7
        ["HW49", "其它废物", "非特定行业", "900-044-49", "废电池", "T", ""],  # 8
        ["H49", "其他废物", "非特定行业", "900-045-49", "废电路板", "T", "p. 3"],  # 9
    ]
    path = write_csv(tmp_path / "bad.csv", bad)
    before = counts()

    with translation.override("en"), pytest.raises(CommandError) as caught:
        import_catalog(path)

    report = str(caught.value)
    assert counts() == before
    assert not CatalogEdition.objects.filter(year=2025).exists()
    expected = {
        3: ("waste_code", "NNN-NNN-NN"),
        4: ("waste_code", "category number 08"),
        5: ("hazard_characteristics", "“X” is not a hazard characteristic"),
        6: ("waste_description", "must not be empty"),
        7: ("waste_code", "already in row 2"),
        8: ("category_name", "named “其他废物” in row 6"),
        9: ("category_code", "HW and two digits"),
    }
    lines = report.splitlines()
    assert "errors found, nothing was written" in lines[0]
    for row, (column, reason) in expected.items():
        line = next(line for line in lines if f"bad.csv row {row}," in line)
        assert f"column {column}" in line and reason in line
    assert any("row 9" in line and "pdf_page" in line for line in lines)
    assert not any("row 2," in line for line in lines)


def test_the_report_is_in_chinese_by_default(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [[*GOOD[0][:3], "841-001", *GOOD[0][4:]]])
    with pytest.raises(CommandError) as caught:
        import_catalog(path)
    assert "bad.csv 第 2 行" in str(caught.value)
    assert "未写入任何数据" in str(caught.value)


def test_missing_columns_are_reported_against_the_header(tmp_path: Path) -> None:
    header = [c for c in HEADER if c != "hazard_characteristics"]
    path = write_csv(tmp_path / "short.csv", [row[:5] + row[6:] for row in GOOD], header)
    with translation.override("en"), pytest.raises(CommandError) as caught:
        import_catalog(path)
    assert "short.csv row 1, column hazard_characteristics" in str(caught.value)
    assert "required column is missing" in str(caught.value)


def test_an_existing_year_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", GOOD)
    before = counts()
    with translation.override("en"), pytest.raises(CommandError) as caught:
        import_catalog(path, 2021)
    assert "edition 2021 is already loaded" in str(caught.value)
    assert counts() == before


def test_a_dry_run_checks_and_writes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", GOOD)
    before = counts()
    import_catalog(path, 2025, "--dry-run")
    assert counts() == before
    assert CatalogEdition.objects.get(year=2021).effective_until == date(2024, 12, 31)


def test_categories_and_exemptions_files_are_checked_and_linked(tmp_path: Path) -> None:
    list_path = write_csv(tmp_path / "list.csv", GOOD)
    categories = tmp_path / "cats.csv"
    rows = [["HW01", "医疗废物", "1"], ["HW08", "废矿物油与含矿物油废物", "2"]]
    rows += [["HW49", "其他废物", "1"], ["HW50", "废催化剂", "1"]]
    write_csv(categories, rows, ["category_code", "category_name", "num_waste_codes"])
    exemptions = tmp_path / "ex.csv"
    write_csv(
        exemptions,
        [
            [
                "1",
                "生活垃圾中的危险废物",
                "家庭源危险废物",
                "全部环节",
                "未集中收集",
                "不按危险废物管理",
            ],
            ["2", "HW01", "小诊所医疗废物", "收集", "按规定消毒", "收集过程不按危险废物管理"],
            ["3", "900-249-08;900-214-08", "废矿物油", "利用", "打包压块", "利用过程豁免"],
        ],
        EXEMPTION_HEADER,
    )

    import_catalog(
        list_path, 2025, "--categories", str(categories), "--exemptions", str(exemptions)
    )

    edition = CatalogEdition.objects.get(year=2025)
    assert edition.exemptions.count() == 3
    oil = edition.codes.get(code="900-214-08")
    assert [e.item_no for e in oil.applicable_exemptions()] == [3]
    infectious = edition.codes.get(code="841-001-01")
    assert [e.item_no for e in infectious.applicable_exemptions()] == [2]


def test_inconsistent_categories_and_exemptions_are_refused(tmp_path: Path) -> None:
    list_path = write_csv(tmp_path / "list.csv", GOOD)
    categories = write_csv(
        tmp_path / "cats.csv",
        [["HW01", "医疗废物", "5"], ["HW08", "废矿物油与含矿物油废物", "2"]],
        ["category_code", "category_name", "num_waste_codes"],
    )
    exemptions = write_csv(
        tmp_path / "ex.csv",
        [["1", "900-999-08", "不存在", "利用", "条件", "内容"]],
        EXEMPTION_HEADER,
    )
    before = counts()
    with translation.override("en"), pytest.raises(CommandError) as caught:
        import_catalog(
            list_path, 2025, "--categories", str(categories), "--exemptions", str(exemptions)
        )
    report = str(caught.value)
    assert "cats.csv row 2, column num_waste_codes" in report  # 5 listed, 1 found
    assert "HW49" in report and "missing from the categories file" in report
    assert "ex.csv row 2, column waste_category_or_code" in report
    assert counts() == before


def test_the_validator_works_on_plain_dicts() -> None:
    rows = [dict(zip(HEADER, row, strict=True)) for row in GOOD]
    rows.insert(2, {})  # a blank line keeps the numbering of the rows after it
    rows.append({**rows[0], "waste_code": "841-001-02"})

    valid, errors = validate_code_rows(rows)

    assert [r.code for r in valid] == [row[3] for row in GOOD]
    assert [(e.row, e.column) for e in errors] == [(8, "waste_code")]
    assert valid[1].hazard_characteristics == "T,I"  # full-width comma normalised


def test_an_unsupported_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("nothing", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match=r"use \.csv or \.xlsx"):
        import_catalog(path)
