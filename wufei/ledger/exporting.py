"""Writing ledger events in the layouts of HJ 1259-2022 appendix B (CSV and XLSX).

Rows stream from the database in chunks: CSV goes straight to the response; XLSX is written by
openpyxl's write-only mode to a temporary file (a zip cannot be streamed before it is complete)
and sent from there. What we export imports back unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from wufei.domain.ledger_units import grams_as
from wufei.ledger import rules
from wufei.ledger.models import LedgerEvent
from wufei.ledger.tables import Table

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _time(value: Any) -> str:
    return timezone.localtime(value).strftime(TIME_FORMAT) if value else ""


def _receiver_cells(event: LedgerEvent) -> dict[str, str]:
    name, number = event.destination, event.receiver_permit_number
    return {
        rules.RECEIVER_LICENSED: {"receiver_licensed": name, "permit_number": number},
        rules.RECEIVER_EXEMPT: {"receiver_exempt": name},
        rules.RECEIVER_ABROAD: {"receiver_abroad": name, "export_approval": number},
    }.get(event.receiver_type, {"receiver_licensed": name, "permit_number": number})


def event_cells(event: LedgerEvent, seq: int) -> dict[str, Any]:
    """Every appendix-B field of an event, by field name (tables pick their columns)."""
    code = event.waste_code
    cells: dict[str, Any] = {
        "_seq": seq,
        "batch_code": event.batch_code,
        "occurred_at": _time(event.occurred_at),
        "internal_name": event.internal_name,
        "_list_name": code.description,
        "_category": code.category.code,
        "waste_code": code.code,
        "quantity": grams_as(event.quantity_g, event.unit or "kg"),
        "unit": event.unit or "kg",
        "container_code": event.container_code,
        "container_type": event.container_type,
        "container_count": event.container_count or "",
        "facility": event.facility.code,
        "_facility_type": str(event.facility.get_kind_display()),
        "handled_by": event.handled_by,
        "second_handler": event.second_handler,
        "destination": event.destination,
        "source": event.source.batch_code if event.source_id and event.source else "",
        "treatment_method": event.treatment_method.code if event.treatment_method else "",
        "finished_at": _time(event.finished_at),
        "receiver_type": event.receiver_type,
    }
    cells.update(_receiver_cells(event))
    return cells


def export_queryset(qs: QuerySet[LedgerEvent], table: Table) -> QuerySet[LedgerEvent]:
    return (
        qs.filter(kind=table.kind)
        .select_related("waste_code__category", "facility", "source", "treatment_method")
        .order_by("occurred_at", "id")
    )


def table_rows(table: Table, events: Iterable[LedgerEvent]) -> Iterator[list[Any]]:
    for seq, event in enumerate(events, start=1):
        cells = event_cells(event, seq)
        yield [cells.get(field, "") for field in table.fields]


class _Line:
    """A file-like object whose write returns what was written (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(table: Table, qs: QuerySet[LedgerEvent]) -> Iterator[bytes]:
    """UTF-8 with BOM (Excel opens it as Chinese), header row first."""
    writer = csv.writer(_Line())
    yield ("\ufeff" + writer.writerow(table.headers)).encode("utf-8")
    events = export_queryset(qs, table).iterator(chunk_size=2000)
    for row in table_rows(table, events):
        yield writer.writerow(row).encode("utf-8")


def xlsx_write(tables: Iterable[Table], qs: QuerySet[LedgerEvent], out: IO[bytes]) -> None:
    """One sheet per table, named "B.1 危险废物产生环节记录表" …"""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.sheet_title)
        sheet.append(list(table.headers))
        for row in table_rows(table, export_queryset(qs, table).iterator(chunk_size=2000)):
            sheet.append(row)
    workbook.save(out)
