"""Plain multi-row inserts for the largest tables of a generated year.

Django's `bulk_create` prepares every value of every row through its field classes — about
100 µs a ledger event, which is half a minute for a year. The year's rows are already exact and
validated by the plan, so the biggest tables (ledger events, containers, signatures, audit
entries) are inserted with `executemany` and values adapted here the way the database backend
would (`tests/demo/test_demo_year_insert.py` checks the adapters against Django's). Primary
keys are reserved first — from the sequence on PostgreSQL, above the highest id on SQLite,
whose writer lock this transaction holds — so rows can point at each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from django.db import connection, models

BATCH = 5000


@cache
def sqlite() -> bool:
    """The default database is SQLite (it does not change while the process runs)."""
    return connection.vendor == "sqlite"


def db_datetime(value: datetime | None) -> Any:
    """An aware datetime as the backend stores it (SQLite: naive UTC text)."""
    if value is None or not sqlite():
        return value
    return str(value.astimezone(UTC).replace(tzinfo=None))


def db_date(value: date | None) -> Any:
    if value is None or not sqlite():
        return value
    return str(value)


def db_json(value: Any) -> Any:
    """A JSON column's value: text on SQLite, the driver's JSON wrapper on PostgreSQL."""
    return connection.ops.adapt_json_value(value, None)


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys no other row has or will get."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if sqlite():
            cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')  # noqa: S608
            (highest,) = cursor.fetchone()
            return list(range(highest + 1, highest + 1 + count))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT the rows (values in the order of `columns`, already adapted); return how many.

    PostgreSQL takes them through COPY, several times faster than row inserts.
    """
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    total = 0
    with connection.cursor() as cursor:
        if not sqlite():
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    total += 1
            return total
        sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["%s"] * len(columns))})'  # noqa: S608
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def insert_records(model: type[models.Model], records: list[dict[str, Any]]) -> int:
    """INSERT dicts keyed by column; a column left out takes its field's default (or NULL).

    Fails if the model has a required column the records do not give: a model that grew a
    column must be taught here, not silently filled.
    """
    if not records:
        return 0
    given = set(records[0])
    columns, fill = [], {}
    for f in model._meta.concrete_fields:
        if f.column in given:
            columns.append(f.column)
        elif f.primary_key:
            continue
        elif f.has_default() or f.null:
            columns.append(f.column)
            fill[f.column] = f.get_default() if f.has_default() else None
        else:
            raise ValueError(f"{model.__name__}.{f.column} is required")
    return insert_rows(
        model, columns, (tuple(r[c] if c in r else fill[c] for c in columns) for r in records)
    )
