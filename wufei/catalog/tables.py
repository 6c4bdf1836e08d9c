"""Reading a CSV or XLSX table row by row, as the user sees it (header is row 1).

Both formats are streamed (csv.reader, openpyxl read-only mode) so that a large list is never
held in memory as a whole. Blank rows are yielded as empty dicts so that row numbers stay
the ones a spreadsheet shows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from wufei.core.errors import ValidationFailed


@dataclass
class Table:
    columns: list[str]
    rows: Iterator[dict[str, str]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(values: list[Any]) -> list[str]:
    return [_cell(v).lstrip("\ufeff").strip().lower() for v in values]


def _rows(columns: list[str], records: Iterator[Any]) -> Iterator[dict[str, str]]:
    for record in records:
        cells = [_cell(v) for v in record]
        if not any(cells):
            yield {}
            continue
        yield {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(columns) if name}


def _decoded(reader: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    try:
        yield from reader
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            _("%(path)s is not UTF-8 text.") % {"path": path.name}, field="file"
        ) from exc


@contextmanager
def open_table(path: Path) -> Iterator[Table]:
    """Open `path` (.csv in UTF-8, with or without BOM, or .xlsx: first sheet)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ValidationFailed(_("File not found: %(path)s") % {"path": path}, field="file")
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            try:
                columns = _header(next(reader))
            except StopIteration:
                columns = []
            except UnicodeDecodeError as exc:
                raise ValidationFailed(
                    _("%(path)s is not UTF-8 text.") % {"path": path.name}, field="file"
                ) from exc
            yield Table(columns, _rows(columns, _decoded(reader, path)))
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            records = sheet.iter_rows(values_only=True)
            first = next(records, None)
            columns = _header(list(first)) if first else []
            yield Table(columns, _rows(columns, records))
        finally:
            workbook.close()
    else:
        raise ValidationFailed(
            _("Unsupported file type %(suffix)s: use .csv or .xlsx.") % {"suffix": suffix or "?"},
            field="file",
        )
