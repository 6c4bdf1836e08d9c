"""Allocating batch codes (HJ 1259-2022 appendix B notes): HWCS20211031001 and kin.

The running number lives in a counter row per unit, prefix and day, incremented by one
INSERT … ON CONFLICT DO UPDATE … RETURNING statement: atomic on PostgreSQL (the row is locked
by the update) and on SQLite (the IMMEDIATE transaction holds the write lock), so two people
recording at the same moment never get the same code. A code a unit already typed in by hand
(or imported) is skipped.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from wufei.domain.ledger_batch_codes import batch_code_format
from wufei.ledger.models import BatchCounter, LedgerEvent
from wufei.registry.models import Organisation


def _next_sequence(organisation: Organisation, prefix: str, day: date) -> int:
    table = connection.ops.quote_name(BatchCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (organisation_id, prefix, day, last_sequence) "  # noqa: S608
        "VALUES (%s, %s, %s, 1) "
        "ON CONFLICT (organisation_id, prefix, day) "
        f"DO UPDATE SET last_sequence = {table}.last_sequence + 1 "
        "RETURNING last_sequence"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation.pk, prefix, connection.ops.adapt_datefield_value(day)])
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def batch_code_next(*, organisation: Organisation, kind: str, prefix: str, day: date) -> str:
    """The next free batch code of `prefix` on `day` for the unit (call inside a transaction)."""
    while True:
        code = batch_code_format(prefix, day, _next_sequence(organisation, prefix, day))
        if not LedgerEvent.objects.filter(
            organisation=organisation, kind=kind, batch_code=code
        ).exists():
            return code
