"""Inventory tables as text for the page and the API: tonnes with 3 decimals, rates with %,
missing figures as the word for missing (never 0)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from wufei.domain import waste_inventory as wi
from wufei.domain.ledger_units import tonnes_text


def cell_text(column: wi.Column, value: wi.Cell) -> str:
    if column.kind == "text":
        return str(value or "")
    if value is None:
        return _("missing")
    if column.kind == "mass" and isinstance(value, int):
        return tonnes_text(value)
    if isinstance(value, Decimal):
        return f"{value}%"
    return str(value)


@dataclass(frozen=True)
class TableView:
    code: str
    sheet: str
    stream: str
    unit: str
    source: str
    groups: list[tuple[str, int, bool]]  # title, colspan, spans both heading rows
    subheadings: list[str]
    rows: list[tuple[str, list[tuple[str, bool]]]]  # label, [(text, missing)]
    total: list[tuple[str, bool]]


def _cells(spec: wi.TableSpec, row: wi.Row) -> list[tuple[str, bool]]:
    out = []
    for column in spec.columns:
        value = row.cells.get(column.key)
        out.append((cell_text(column, value), column.kind != "text" and value is None))
    return out


def table_view(table: wi.InventoryTable) -> TableView:
    spec = table.spec
    return TableView(
        code=spec.code,
        sheet=spec.sheet_name,
        stream=spec.stream,
        unit=spec.unit,
        source=table.source,
        groups=[(g.title, max(1, len(g.children)), not g.children) for g in spec.headers],
        subheadings=[child for g in spec.headers for child in g.children],
        rows=[(row.label, _cells(spec, row)) for row in table.rows],
        total=_cells(spec, table.total),
    )


def grams_or_none(value: wi.Cell) -> int | None:
    return value if isinstance(value, int) else None
