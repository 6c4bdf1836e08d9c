"""Writing appendix-B files for the import tests and the benchmark."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from wufei.ledger.tables import TABLES


def write_csv(
    path: Path, table: str, rows: Iterable[Sequence[Any]], *, encoding="utf-8-sig"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(TABLES[table].headers)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, Iterable[Sequence[Any]]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table, rows in sheets.items():
        sheet = workbook.create_sheet(TABLES[table].sheet_title)
        sheet.append(list(TABLES[table].headers))
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


def b1(n, code, when, qty="12.5", unit="kg", waste="900-249-08", facility="A-GEN", who="张三"):
    """A B.1 row: 序号, 批次, 时间, 俗称, 名录名称, 类别, 代码, 量, 单位, 容器编码, 类型, 数量,
    设施, 经办人, 去向."""
    return [n, code, when, "废机油", "", "", waste, qty, unit, "", "铁桶", 1, facility, who, "贮存"]


def b2(n, code, when, source, qty="12.5", unit="kg", waste="900-249-08", facility="A-STORE"):
    return [
        n,
        code,
        when,
        "",
        "铁桶",
        1,
        "废机油",
        "",
        "HW08",
        waste,
        qty,
        unit,
        facility,
        "",
        "王五",
        "李四",
        source,
    ]


def b3(n, code, when, source, qty="10", unit="kg", waste="900-249-08", facility="A-STORE"):
    return [
        n,
        code,
        when,
        "",
        "铁桶",
        1,
        "废机油",
        "",
        "HW08",
        waste,
        qty,
        unit,
        facility,
        "",
        "李四",
        "王五",
        source,
        "委外处置",
    ]


def b4(n, code, when, source, qty="5", method="D10", facility="A-KILN", waste="900-249-08"):
    return [
        n,
        code,
        when,
        "",
        "",
        "",
        "废机油",
        "",
        "",
        waste,
        qty,
        "kg",
        facility,
        method,
        "",
        "赵六",
        source,
    ]


def b5(n, code, when, source, qty="5", permit="3301000001", waste="900-249-08"):
    return [
        n,
        code,
        when,
        "",
        "",
        "",
        "废机油",
        "",
        "",
        waste,
        qty,
        "kg",
        "D10",
        "危险废物经营许可证持有单位",
        "萧山处置",
        permit,
        "",
        "",
        "",
        source,
    ]
