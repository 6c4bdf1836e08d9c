"""Importing appendix-B files (CSV or XLSX) into the ledger: streaming, atomic, reported.

1. The file streams row by row; each row is checked on its own (`import_rows`) and good rows
   are written to the staging table in chunks. Progress (`rows_done`) is committed per chunk,
   outside any long transaction, so the import page can poll it.
2. Checks across rows run in SQL over the staging table (`import_checks`).
3. Only if nothing is wrong, one transaction locks the source batches, repeats the stock and
   batch-code checks against anything recorded meanwhile, copies the rows into `LedgerEvent`
   with INSERT … SELECT, and writes one audit event (file name, sha256, rows, totals).

On any error nothing reaches the ledger: the import is `rejected` with a row-by-row report
(the first ERROR_CAP problems are kept; all are counted). Memory stays flat: at most one chunk
of rows and the capped report are held.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wufei.accounts.models import User
from wufei.core.audit import audit_append
from wufei.core.errors import ValidationFailed
from wufei.core.tasks import run_after_commit
from wufei.ledger.import_cells import STAGE_COLUMNS
from wufei.ledger.import_checks import check_all, check_batch_codes_new, check_stock
from wufei.ledger.import_reader import FileRefused, file_digest, format_of, sheets_of, xlsx_row_hint
from wufei.ledger.import_rows import RowParser
from wufei.ledger.models import SOURCE_KINDS, EventKind, ImportBatch, ImportRow, LedgerEvent
from wufei.ledger.services import ledger_actor_check
from wufei.ledger.tables import TABLES
from wufei.registry.models import Organisation
from wufei.rollups.marks import rollups_touch_events

logger = logging.getLogger(__name__)
CHUNK = 5000
ERROR_CAP = 1000

# How each ledger column is filled from the staging row (None: a parameter or NULL).
INSERT_COLUMNS: dict[str, str | None] = {
    "organisation_id": None,
    "facility_id": "s.facility_id",
    "kind": "s.kind",
    "batch_code": "s.batch_code",
    "occurred_at": "s.occurred_at",
    "waste_code_id": "s.waste_code_id",
    "internal_name": "s.internal_name",
    "container_id": "s.container_id",
    "container_code": "s.container_code",
    "container_type": "s.container_type",
    "container_count": "s.container_count",
    "quantity_g": "s.quantity_g",
    "unit": "s.unit",
    "source_id": "s.source_event_id",
    "treatment_method_id": "s.treatment_method_id",
    "finished_at": "s.finished_at",
    "destination": "s.destination",
    "receiver_id": "s.receiver_id",
    "receiver_type": "s.receiver_type",
    "receiver_permit_number": "s.receiver_permit_number",
    "manifest_id": "NULL",
    "handled_by": "s.handled_by",
    "second_handler": "s.second_handler",
    "recorded_by_id": None,
    "import_batch_id": None,
    "created_at": None,
}


class ErrorReport:
    """The problems of a file: the first `cap` kept for the report, all of them counted."""

    def __init__(self, cap: int = ERROR_CAP) -> None:
        self.cap = cap
        self.count = 0
        self.entries: list[dict[str, Any]] = []

    def add(self, row: int, sheet: str, column: str, value: str, reason: str, code: str) -> None:
        self.count += 1
        if len(self.entries) < self.cap:
            self.entries.append(
                {
                    "row": row,
                    "sheet": sheet,
                    "column": column,
                    "value": str(value)[:100],
                    "reason": str(reason),
                    "code": code,
                }
            )


def _progress(batch: ImportBatch, **values: Any) -> None:
    """Committed at once when no transaction is open, so another request sees it."""
    for name, value in values.items():
        setattr(batch, name, value)
    ImportBatch.objects.filter(pk=batch.pk).update(**values)


def _stage(rows: list[tuple[Any, ...]]) -> None:
    """One chunk into the staging table, in its own transaction (COPY on PostgreSQL)."""
    if not rows:
        return
    table = connection.ops.quote_name(ImportRow._meta.db_table)
    columns = ", ".join(STAGE_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw: Any = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def _read(batch: ImportBatch, path: Path, report: ErrorReport) -> int:
    """Parse and stage every row; returns how many rows the file held."""
    parser = RowParser(organisation=batch.organisation, batch_id=batch.pk)
    table = TABLES.get(batch.table)
    done = 0
    chunk: list[tuple[Any, ...]] = []
    for sheet in sheets_of(path, fmt=format_of(batch.filename), table=table):
        for number, values in sheet.rows:
            parsed = parser.parse(sheet.table, sheet.name, number, values)
            if isinstance(parsed, list):
                for e in parsed:
                    report.add(number, sheet.name, e.column, e.value, e.reason, e.code)
            else:
                chunk.append(parsed)
            done += 1
            if done % CHUNK == 0:
                _stage(chunk)
                chunk = []
                _progress(batch, rows_done=done, rows_total=max(batch.rows_total, done))
    _stage(chunk)
    return done


def _lock_sources(batch: ImportBatch) -> None:
    """Lock the ledger batches the file takes from (PostgreSQL; SQLite holds the write lock)."""
    if not connection.features.has_select_for_update:
        return
    events = connection.ops.quote_name(LedgerEvent._meta.db_table)
    staging = connection.ops.quote_name(ImportRow._meta.db_table)
    sql = (
        f"SELECT e.id FROM {events} e WHERE e.id IN "  # noqa: S608
        f"(SELECT s.source_event_id FROM {staging} s WHERE s.batch_id = %s) FOR UPDATE"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch.pk])
        while cursor.fetchmany(5000):
            pass


def _insert(batch: ImportBatch, kinds: Iterable[str], actor_id: int | None) -> None:
    events = connection.ops.quote_name(LedgerEvent._meta.db_table)
    staging = connection.ops.quote_name(ImportRow._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params = {
        "organisation_id": batch.organisation_id,
        "recorded_by_id": actor_id,
        "import_batch_id": batch.pk,
        "created_at": now,
    }
    for kind in kinds:
        allowed = SOURCE_KINDS[kind]
        if allowed:  # links to batches of this file, inserted by an earlier kind
            marks = ", ".join(["%s"] * len(allowed))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {staging} SET source_event_id = ("  # noqa: S608
                    f"SELECT e.id FROM {events} e WHERE e.import_batch_id = %s "
                    f"AND e.kind IN ({marks}) AND e.batch_code = {staging}.source_code) "
                    "WHERE batch_id = %s AND kind = %s AND source_row_id IS NOT NULL",
                    [batch.pk, *allowed, batch.pk, kind],
                )
        select, values = [], []
        for column, expression in INSERT_COLUMNS.items():
            if expression is None:
                select.append("%s")
                values.append(params[column])
            else:
                select.append(expression)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {events} ({', '.join(INSERT_COLUMNS)}) "  # noqa: S608
                f"SELECT {', '.join(select)} FROM {staging} s "
                "WHERE s.batch_id = %s AND s.kind = %s ORDER BY s.row_number",
                [*values, batch.pk, kind],
            )


def _write(batch: ImportBatch, actor: User | None, rows: int, report: ErrorReport) -> None:
    """All rows into the ledger in one transaction, or none if a re-check fails."""
    kinds = [k for k in EventKind.values if ImportRow.objects.filter(batch=batch, kind=k).exists()]
    try:
        with transaction.atomic():
            _lock_sources(batch)
            check_batch_codes_new(batch, report.add)
            check_stock(batch, report.add)
            if report.count:
                raise _Rollback
            _insert(batch, kinds, actor.pk if actor else None)
            written = LedgerEvent.objects.filter(import_batch=batch)
            rollups_touch_events(events=written)
            totals = {
                r["kind"]: {"rows": r["n"], "grams": int(r["grams"])}
                for r in written.order_by()
                .values("kind")
                .annotate(n=Count("pk"), grams=Sum("quantity_g"))
            }
            audit_append(
                actor=actor,
                organisation=batch.organisation,
                action="ledger.import_succeeded",
                subject_type="ledger_import",
                subject_id=str(batch.pk),
                payload={
                    "filename": batch.filename,
                    "sha256": batch.sha256,
                    "table": batch.table,
                    "rows": rows,
                    "totals": totals,
                },
            )
            _progress(
                batch,
                status=ImportBatch.Status.SUCCEEDED,
                totals=totals,
                phase="done",
                rows_done=rows,
                finished_at=timezone.now(),
            )
    except _Rollback:
        pass
    except IntegrityError as exc:  # a batch code taken by someone else meanwhile
        report.add(
            0, "", "", "", _("The ledger changed during the import: %(e)s") % {"e": exc}, "conflict"
        )


class _Rollback(Exception):
    pass


def ledger_import_run(*, batch: ImportBatch, path: Path) -> ImportBatch:
    """Do the import of `batch` from the file at `path` (the caller removes the file)."""
    report = ErrorReport()
    actor = batch.uploaded_by
    rows = 0
    try:
        sha256, lines = file_digest(path)
        fmt = format_of(batch.filename)
        hint = max(lines - 1, 0) if fmt == "csv" else xlsx_row_hint(path)
        _progress(batch, sha256=sha256, rows_total=hint, phase="reading")
        rows = _read(batch, path, report)
        _progress(batch, rows_done=rows, rows_total=rows, phase="checking")
        check_all(batch, report.add)
        if not rows and not report.count:
            report.add(2, "", "", "", _("The file holds no rows."), "empty")
        if not report.count:
            _progress(batch, phase="writing")
            _write(batch, actor, rows, report)
    except FileRefused as exc:
        report.add(1, exc.sheet, exc.column, exc.value, exc.message, "file_refused")
    except Exception as exc:  # an unreadable file (or our failure): never leave it running
        logger.exception("ledger import %s failed", batch.pk)
        report.add(
            1,
            "",
            "",
            "",
            _("The file could not be read as CSV or Excel (%(error)s).")
            % {"error": type(exc).__name__},
            "unreadable",
        )
    finally:
        ImportRow.objects.filter(batch=batch).delete()
    if report.count:
        _progress(
            batch,
            status=ImportBatch.Status.REJECTED,
            errors=report.entries,
            error_count=report.count,
            phase="done",
            finished_at=timezone.now(),
        )
    batch.refresh_from_db()
    return batch


def _new_batch(
    *, actor: User, organisation: Organisation, filename: str, table: str | None
) -> ImportBatch:
    ledger_actor_check(actor=actor, organisation=organisation)
    try:
        fmt = format_of(filename)
    except FileRefused as exc:
        raise ValidationFailed(exc.message, code="format_unknown", field="file") from None
    if table and table not in TABLES:
        raise ValidationFailed(
            _("Unknown table “%(table)s”; use B.1 … B.5.") % {"table": table},
            code="table_unknown",
            field="table",
        )
    if fmt == "csv" and not table:
        raise ValidationFailed(
            _("A CSV file holds one table: choose which (B.1 … B.5)."),
            code="table_required",
            field="table",
        )
    return ImportBatch.objects.create(
        organisation=organisation,
        uploaded_by=actor,
        filename=Path(filename).name[:255],
        table=table or "all",
    )


def ledger_import_file(
    *, actor: User, organisation: Organisation, path: Path, table: str | None, filename: str = ""
) -> ImportBatch:
    """Import a file on disk now (the command line, benchmarks); returns the finished batch."""
    batch = _new_batch(
        actor=actor, organisation=organisation, filename=filename or path.name, table=table
    )
    return ledger_import_run(batch=batch, path=path)


def _run_and_remove(batch_id: int, path: Path) -> None:
    try:
        ledger_import_run(batch=ImportBatch.objects.get(pk=batch_id), path=path)
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def ledger_import_start(
    *, actor: User, organisation: Organisation, upload: IO[bytes], filename: str, table: str | None
) -> ImportBatch:
    """Accept an upload and run the import after commit (in-process); poll the batch."""
    with transaction.atomic():
        batch = _new_batch(actor=actor, organisation=organisation, filename=filename, table=table)
        fd, name = tempfile.mkstemp(prefix="wufei-ledger-import-", suffix=Path(filename).suffix)
        with open(fd, "wb") as out:
            shutil.copyfileobj(upload, out, 1 << 20)
        path = Path(name)
        batch_id = batch.pk
        run_after_commit(lambda: _run_and_remove(batch_id, path))
    return batch
