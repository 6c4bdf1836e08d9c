"""Raw multi-row INSERTs for the ingest hot path (Reading, Weighing, GpsFix).

Why: `bulk_create` spends about half of the storage time preparing values field by field
(model instances, `pre_save`, `get_db_prep_save`) for rows whose values are already typed and
checked. Here the rows are plain tuples adapted by the backend's own adapters
(`connection.ops.adapt_*`, the same calls the fields make), written with one statement per
chunk. Readings go in with `INSERT … ON CONFLICT (device_id, message_id) DO NOTHING
RETURNING …` (PostgreSQL, SQLite ≥ 3.35): a message a concurrent worker stored first is simply
not returned, and the caller reports it as a duplicate — no savepoint per row.

Other databases (or an older SQLite) take the ORM path in `wufei.iot.services`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

from wufei.iot.models import GpsFix, Reading, Trip, Weighing

CHUNK = 400  # rows per statement (≤ 12 columns: far below SQLite's 32,766 parameters)

ReadingRow = tuple[int, str, datetime, datetime, dict[str, Any]]  # device, id, measured, received
WeighingRow = tuple[Any, ...]
FixRow = tuple[Any, ...]


def fast_insert_supported() -> bool:
    """True on PostgreSQL and on SQLite with INSERT … RETURNING (3.35+)."""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 35, 0)


def _sqlite_utc_text(value: datetime) -> str:
    """`str(naive UTC)` of an aware datetime, what Django writes on SQLite in UTC."""
    if type(value.tzinfo) is timezone:
        return _fixed_offset_utc_text(value)
    return str(value.astimezone(UTC).replace(tzinfo=None))


@lru_cache(maxsize=4096)
def _fixed_offset_utc_text(value: datetime) -> str:
    """Cached: a message's time goes into its reading and into its weighing or fix, and a
    batch's `received_at` into every reading. Only for fixed offsets (a message's zone, UTC),
    where equal values are the same instant: within one zoneinfo zone, two datetimes a `fold`
    apart compare equal but are not."""
    return str(value.astimezone(UTC).replace(tzinfo=None))


def datetime_adapter() -> Callable[[datetime], Any]:
    """The backend's datetime adaptation, without its per-call checks where that is safe:
    on SQLite with the connection in UTC, Django stores `str(naive UTC)`; our values are all
    aware (a message's time must carry a zone)."""
    ops = connection.ops
    if connection.vendor == "sqlite" and settings.USE_TZ and connection.timezone_name == "UTC":
        return _sqlite_utc_text
    return ops.adapt_datetimefield_value


# What `ops.adapt_json_value(value, DjangoJSONEncoder)` returns on SQLite (`json.dumps(value,
# cls=DjangoJSONEncoder)`), with one encoder instead of a new one for every payload.
_payload_text = DjangoJSONEncoder().encode


def _columns(model: Any, names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(n).column for n in names]


def _values(
    table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], tail: str = ""
) -> tuple[str, list[Any]]:
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608 - quoted names from model meta; values are bound parameters
    sql = head + ", ".join([one] * len(rows)) + tail
    return sql, [v for row in rows for v in row]


def _from_json(
    model: Any, names: Sequence[str], rows: Sequence[Sequence[Any]], tail: str = ""
) -> tuple[str, list[Any]]:
    """PostgreSQL: the whole chunk as ONE JSON parameter expanded by `jsonb_to_recordset`.
    psycopg's client-side binding splits the query on every placeholder and quotes array
    elements with regular expressions; one `json.dumps` (in C) of the rows costs far less.
    Datetimes go as ISO 8601 with their zone, decimals as exact strings."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(n) for n in names]
    columns = ", ".join(quote(f.column) for f in fields)
    record = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {columns} "  # noqa: S608 - quoted names from model meta; values are bound parameters
        f"FROM jsonb_to_recordset(%s::jsonb) AS r({record})"
    )
    keys = [f.column for f in fields]
    payload = json.dumps(
        [
            {
                k: v.isoformat() if isinstance(v, datetime) else v
                for k, v in zip(keys, row, strict=True)
            }
            for row in rows
        ],
        cls=DjangoJSONEncoder,  # (DjangoJSONEncoder would cut datetimes to milliseconds)
    )
    return sql + tail, [payload]


def _chunks(rows: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def readings_insert(rows: Sequence[ReadingRow]) -> dict[tuple[int, str], int]:
    """Insert readings; the pk of each one inserted, by (device id, message id). Rows already
    stored (by anyone) are skipped and absent from the answer."""
    ops = connection.ops
    meta = Reading._meta
    names = ("device", "message_id", "measured_at", "received_at", "payload")
    columns = _columns(Reading, names)
    quote = ops.quote_name
    unique = ", ".join(quote(c) for c in _columns(Reading, ("device", "message_id")))
    returning = ", ".join(quote(c) for c in _columns(Reading, ("id", "device", "message_id")))
    tail = f" ON CONFLICT ({unique}) DO NOTHING RETURNING {returning}"
    adapt_dt = datetime_adapter()
    inserted: dict[tuple[int, str], int] = {}
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            if postgres:
                sql, params = _from_json(
                    Reading,
                    names,
                    chunk,
                    tail,
                )
                cursor.execute(sql, params)
                for pk, dev, mid in cursor.fetchall():
                    inserted[(dev, mid)] = pk
                continue
            prepared = [
                (dev, mid, adapt_dt(measured), adapt_dt(received), _payload_text(p))
                for dev, mid, measured, received, p in chunk
            ]
            sql, params = _values(meta.db_table, columns, prepared, tail)
            cursor.execute(sql, params)
            for pk, dev, mid in cursor.fetchall():
                inserted[(dev, mid)] = pk
    return inserted


WEIGHING_FIELDS = (
    "reading",
    "device",
    "facility",
    "direction",
    "plate_number",
    "vehicle",
    "gross_g",
    "tare_g",
    "net_g",
    "measured_at",
    "container",
    "manifest",
)
FIX_FIELDS = (
    "reading",
    "device",
    "vehicle",
    "trip",
    "measured_at",
    "latitude",
    "longitude",
    "speed_kmh",
)


def weighings_insert(rows: Sequence[WeighingRow]) -> None:
    """Rows in WEIGHING_FIELDS order (foreign keys as ids, measured_at an aware datetime)."""
    adapt_dt = datetime_adapter()
    columns = _columns(Weighing, WEIGHING_FIELDS)
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            if connection.vendor == "postgresql":
                cursor.execute(*_from_json(Weighing, WEIGHING_FIELDS, chunk))
                continue
            prepared = [(*r[:9], adapt_dt(r[9]), *r[10:]) for r in chunk]
            cursor.execute(*_values(Weighing._meta.db_table, columns, prepared))


def fixes_insert(rows: Sequence[FixRow]) -> None:
    """Rows in FIX_FIELDS order; coordinates and speed already quantized Decimals."""
    adapt_dt = datetime_adapter()
    columns = _columns(GpsFix, FIX_FIELDS)
    lat, lon, speed = (_decimal_adapter(name) for name in ("latitude", "longitude", "speed_kmh"))
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            if connection.vendor == "postgresql":
                cursor.execute(*_from_json(GpsFix, FIX_FIELDS, chunk))
                continue
            prepared = [
                (
                    *r[:4],
                    adapt_dt(r[4]),
                    lat(r[5]),
                    lon(r[6]),
                    speed(r[7]),
                )
                for r in chunk
            ]
            cursor.execute(*_values(GpsFix._meta.db_table, columns, prepared))


def _decimal_adapter(name: str) -> Callable[[Decimal], Any]:
    """The backend's adaptation of GpsFix's decimal field `name`, its digits looked up once."""
    f = GpsFix._meta.get_field(name)
    assert isinstance(f, models.DecimalField)
    adapt, digits, places = connection.ops.adapt_decimalfield_value, f.max_digits, f.decimal_places
    return lambda value: adapt(value, digits, places)


def stored_keys(pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which (device id, message id) pairs are already stored, with one query per chunk."""
    pairs = list(pairs)
    device_col, id_col = (
        connection.ops.quote_name(c) for c in _columns(Reading, ("device", "message_id"))
    )
    table = connection.ops.quote_name(Reading._meta.db_table)
    found: set[tuple[int, str]] = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {device_col}, {id_col} FROM {table} WHERE ({device_col}, {id_col}) IN "  # noqa: S608 - quoted names from model meta; values are bound parameters
                f"(SELECT d, m FROM jsonb_to_recordset(%s::jsonb) AS r(d bigint, m text))",
                [json.dumps([{"d": d, "m": m} for d, m in pairs])],
            )
            return {(d, m) for d, m in cursor.fetchall()}
        # The pairs as a VALUES table joined to the unique index: one probe per pair. (With
        # `device IN (…) AND id IN (…)` SQLite probes every device × id combination.)
        for chunk in _chunks(pairs):
            values = ", ".join(["(%s, %s)"] * len(chunk))
            sql = (
                f"SELECT r.{device_col}, r.{id_col} FROM (VALUES {values}) AS wanted "  # noqa: S608 - quoted names from model meta; values are bound parameters
                f"CROSS JOIN {table} AS r "
                f"ON r.{device_col} = wanted.column1 AND r.{id_col} = wanted.column2"
            )
            cursor.execute(sql, [v for pair in chunk for v in pair])
            found.update((d, m) for d, m in cursor.fetchall())
    return found


def trips_update_span(trips: Sequence[Trip]) -> None:
    """Save the started_at/ended_at of these trips (one prepared UPDATE run for each)."""
    if not trips:
        return
    if not fast_insert_supported():
        Trip.objects.bulk_update(list(trips), ["started_at", "ended_at"])
        return
    quote = connection.ops.quote_name
    pk, start, end = (quote(c) for c in _columns(Trip, ("id", "started_at", "ended_at")))
    adapt_dt = datetime_adapter()
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(Trip._meta.db_table)} SET {start} = %s, {end} = %s WHERE {pk} = %s",  # noqa: S608 - quoted names from model meta
            [
                (adapt_dt(t.started_at), None if t.ended_at is None else adapt_dt(t.ended_at), t.pk)
                for t in trips
            ],
        )
