"""Streaming the rows of an appendix-B file, CSV or XLSX, one at a time.

Nothing here holds more than a row: CSV is read line by line (UTF-8, with or without BOM, or
GB 18030 as Excel saves it on Chinese Windows); XLSX through openpyxl's read-only mode. Each
sheet's first row must be the table's headers exactly (trailing empty columns are ignored).
Row numbers are the ones the user sees: the header is row 1.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from wufei.ledger.tables import TABLE_ORDER, TABLES, Table, table_for_sheet

FORMATS = ("csv", "xlsx")


class FileRefused(Exception):
    """The file as a whole cannot be read as the table it claims to be."""

    def __init__(self, message: str, *, sheet: str = "", column: str = "", value: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.column = column
        self.value = value


@dataclass
class Sheet:
    table: Table
    name: str
    rows: Iterator[tuple[int, tuple[Any, ...]]]  # (row number as shown, cell values)


def file_digest(path: Path) -> tuple[str, int]:
    """(sha256, number of line breaks) of the file, read in blocks."""
    digest = hashlib.sha256()
    lines = 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
            lines += block.count(b"\n")
    return digest.hexdigest(), lines


def format_of(filename: str) -> str:
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FileRefused(
            _("Only .csv and .xlsx files can be imported, not “%(name)s”.") % {"name": filename}
        )
    return suffix


def _clean(value: Any) -> str:
    return "" if value is None else " ".join(str(value).replace("\ufeff", "").split())


def _check_headers(table: Table, header: tuple[Any, ...], sheet: str) -> None:
    found = [_clean(v) for v in header]
    while found and not found[-1]:
        found.pop()
    expected = list(table.headers)
    for index, name in enumerate(expected):
        got = found[index] if index < len(found) else ""
        if got != name:
            raise FileRefused(
                _("Column %(n)d must be “%(expected)s” (HJ 1259-2022 table %(table)s).")
                % {"n": index + 1, "expected": name, "table": table.id},
                sheet=sheet,
                column=name,
                value=got,
            )
    if len(found) > len(expected):
        raise FileRefused(
            _("Unexpected column “%(name)s” after the columns of table %(table)s.")
            % {"name": found[len(expected)], "table": table.id},
            sheet=sheet,
            column=found[len(expected)],
        )


def _encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the block's end
            return "gb18030"
    return "utf-8-sig"


def _csv_rows(fh: IO[str], table: Table) -> Iterator[tuple[int, tuple[Any, ...]]]:
    reader = csv.reader(fh)
    header = next(reader, None)
    if header is None:
        raise FileRefused(_("The file is empty."))
    _check_headers(table, tuple(header), table.id)
    for values in reader:
        if any(v.strip() for v in values):
            yield reader.line_num, tuple(values)


def csv_sheets(path: Path, table: Table) -> Iterator[Sheet]:
    with path.open(encoding=_encoding(path), newline="") as fh:
        yield Sheet(table, table.id, _csv_rows(fh, table))


def _xlsx_rows(ws: Any, table: Table) -> Iterator[tuple[int, tuple[Any, ...]]]:
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise FileRefused(_("The sheet is empty."), sheet=ws.title)
    _check_headers(table, tuple(header), ws.title)
    for number, values in enumerate(rows, start=2):
        if any(v is not None and str(v).strip() for v in values):
            yield number, tuple(values)


def xlsx_sheets(path: Path, table: Table | None) -> Iterator[Sheet]:
    """One table (the sheet named after it, else the only sheet) or every B.x sheet in order."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        by_table: dict[str, Any] = {}
        for ws in workbook.worksheets:
            found = table_for_sheet(ws.title)
            if found is not None:
                by_table.setdefault(found.id, ws)
        if table is not None:
            ws = by_table.get(table.id)
            if ws is None and len(workbook.worksheets) == 1:
                ws = workbook.worksheets[0]
            if ws is None:
                raise FileRefused(
                    _("The workbook has no sheet named “%(table)s …”.") % {"table": table.id}
                )
            yield Sheet(table, ws.title, _xlsx_rows(ws, table))
            return
        if not by_table:
            raise FileRefused(
                _("No sheet of the workbook is named after a table B.1 … B.5 of HJ 1259-2022.")
            )
        for table_id in TABLE_ORDER:
            if table_id in by_table:
                ws = by_table[table_id]
                yield Sheet(TABLES[table_id], ws.title, _xlsx_rows(ws, TABLES[table_id]))
    finally:
        workbook.close()


def xlsx_row_hint(path: Path) -> int:
    """Data rows the sheets declare (their dimension), without reading them; 0 if unknown."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        return sum(
            max((ws.max_row or 1) - 1, 0)
            for ws in workbook.worksheets
            if table_for_sheet(ws.title) or len(workbook.worksheets) == 1
        )
    finally:
        workbook.close()


def sheets_of(path: Path, *, fmt: str, table: Table | None) -> Iterator[Sheet]:
    if fmt == "csv":
        if table is None:
            raise FileRefused(_("A CSV file holds one table: choose which (B.1 … B.5)."))
        return csv_sheets(path, table)
    return xlsx_sheets(path, table)
