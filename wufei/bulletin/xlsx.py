"""The inventory as an XLSX workbook: one sheet per annex-3 table, headings as the seed prints
them, quantities in tonnes (exact Decimal, 3 decimals shown), a 合计 row, missing cells empty
and marked "数据缺失"."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from wufei.bulletin.inventory import Inventory
from wufei.domain import waste_inventory as wi

MISSING = "数据缺失"
SOURCE_NOTE = {
    "ledger": "数据来源：危险废物管理台账（产生、自行利用处置、委托转移、贮存记录）",
    "entered": "数据来源：录入的统计数据",
}
HEADER_ROW = 3  # row 1 title, row 2 unit, rows 3–4 headings


def _cell_value(column: wi.Column, value: wi.Cell) -> object:
    if column.kind == "text":
        return value or ""
    if value is None:
        return MISSING
    if column.kind == "mass" and isinstance(value, int):
        return Decimal(value) / wi.GRAMS_PER_TONNE
    return value


def _headings(ws: Worksheet, spec: wi.TableSpec) -> None:
    bold = Font(bold=True)
    ws.cell(HEADER_ROW, 1, "种类").font = bold
    ws.merge_cells(start_row=HEADER_ROW, start_column=1, end_row=HEADER_ROW + 1, end_column=2)
    col = 3
    for group in spec.headers:
        ws.cell(HEADER_ROW, col, group.title).font = bold
        if group.children:
            end = col + len(group.children) - 1
            if end > col:
                ws.merge_cells(
                    start_row=HEADER_ROW, start_column=col, end_row=HEADER_ROW, end_column=end
                )
            for offset, child in enumerate(group.children):
                ws.cell(HEADER_ROW + 1, col + offset, child).font = bold
            col = end + 1
        else:
            ws.merge_cells(
                start_row=HEADER_ROW, start_column=col, end_row=HEADER_ROW + 1, end_column=col
            )
            col += 1


def _body(ws: Worksheet, table: wi.InventoryTable) -> None:
    spec = table.spec
    first = HEADER_ROW + 2
    rows = [*table.rows, table.total]
    for index, row in enumerate(rows):
        r = first + index
        if row is table.total:
            ws.cell(r, 1, "合计")
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
        else:
            ws.cell(r, 2, row.label)
        for offset, column in enumerate(spec.columns):
            cell = ws.cell(r, 3 + offset, _cell_value(column, row.cells.get(column.key)))
            if column.kind == "mass" and isinstance(cell.value, Decimal):
                cell.number_format = "0.000"
            elif column.kind == "rate" and isinstance(cell.value, Decimal):
                cell.number_format = '0.00"%"'
    ws.cell(first, 1, spec.stream).alignment = Alignment(vertical="center")
    if len(table.rows) > 1:
        ws.merge_cells(
            start_row=first, start_column=1, end_row=first + len(table.rows) - 1, end_column=1
        )
    ws.cell(first + len(rows) + 1, 1, SOURCE_NOTE[table.source])


def inventory_workbook(inventory: Inventory) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    for table in inventory.tables:
        spec = table.spec
        ws = book.create_sheet(spec.sheet_name)
        ws.cell(
            1,
            1,
            f"{inventory.region.name}“无废城市”建设废物清单（{inventory.year}年）"
            f" 表{spec.number}  {spec.title}",
        ).font = Font(bold=True)
        ws.cell(2, 1, f"单位：{spec.unit}")
        _headings(ws, spec)
        _body(ws, table)
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 22
    out = BytesIO()
    book.save(out)
    return out.getvalue()
