"""Ledger import against a raw bulk insert of the same rows (issue 3, bench/RESULTS.md).

    .venv/bin/python bench/ledger_import.py --rows 100000          # SQLite (+ PG if DATABASE_URL)
    .venv/bin/python bench/ledger_import.py --rows 100000 --pg     # also PostgreSQL (local default)

In one run, per database: generate N rows of table B.1 (HJ 1259-2022 appendix B) as a CSV
file, then time
  (a) ours — `ledger_import_file`: stream and parse the CSV, check every row (code in the
      edition in force, unit, quantity, time, facility), stage it, check across rows in SQL,
      copy into LedgerEvent in one transaction, audit;
  (b) raw  — the same rows, already parsed and with their foreign keys resolved, written with
      `LedgerEvent.objects.bulk_create` in one transaction (and, for reference, a bare
      `executemany` INSERT),
and print raw/ours (the target is ≥ 0.5: our import costs at most twice a raw insert).
Each database is a throwaway one (a file under /tmp, or a PostgreSQL database named
wufei_bench_ledger_<pid>), created and dropped by this script.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from throwaway import on_throwaway_postgres, run_child

ROOT = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/wufei"


def _generate(path: Path, rows: int, start: datetime) -> list[tuple[str, datetime, int]]:
    """Write the B.1 CSV; return (batch code, time, grams) per row for the raw insert."""
    from wufei.ledger.tables import TABLES

    parsed = []
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(TABLES["B.1"].headers)
        for n in range(1, rows + 1):
            moment = start + timedelta(minutes=n)
            kg = f"{n % 997 + 1}.25"
            code = f"HWCS{n:09d}"
            writer.writerow(
                [n, code, moment.strftime("%Y-%m-%d %H:%M"), "废机油", "", "HW08", "900-249-08",
                 kg, "kg", f"C{n}", "铁桶", 1, "GEN-1", "张三", "贮存"]
            )  # fmt: skip
            parsed.append((code, moment, (n % 997 + 1) * 1000 + 250))
    return parsed


def _world() -> dict[str, Any]:
    """Catalogs, two producers with a generation site each, one member."""
    from decimal import Decimal

    from django.core.management import call_command

    from wufei.accounts.models import Membership, MembershipRole, User
    from wufei.catalog.models import HazardousCode
    from wufei.catalog.selectors import current_edition
    from wufei.registry.models import Facility, FacilityKind, Organisation
    from wufei.registry.regions import region_resolve

    call_command("migrate", verbosity=0)
    call_command("load_catalogs", verbosity=0)
    region = region_resolve("330108")
    user = User.objects.create_user(username="bench", password=None)
    orgs = []
    for n, uscc in enumerate(("91330108MA27Y0XX1N", "91330108MA27Y0XX2L")):
        org = Organisation.objects.create(
            uscc=uscc, name=f"基准企业{n}", region=region, is_producer=True
        )
        Membership.objects.create(user=user, organisation=org, role=MembershipRole.ADMIN)
        facility = Facility.objects.create(
            organisation=org,
            code="GEN-1",
            name="车间",
            kind=FacilityKind.GENERATION,
            region=region,
            latitude=Decimal("30.2"),
            longitude=Decimal("120.2"),
        )
        orgs.append((org, facility))
    code = HazardousCode.objects.get(edition=current_edition(), code="900-249-08")
    return {"user": user, "ours": orgs[0], "raw": orgs[1], "code": code}


def _raw_bulk_create(world: dict[str, Any], parsed: list[tuple[str, datetime, int]]) -> float:
    from django.db import transaction

    from wufei.ledger.models import EventKind, LedgerEvent

    org, facility = world["raw"]
    began = time.perf_counter()
    with transaction.atomic():
        LedgerEvent.objects.bulk_create(
            (
                LedgerEvent(
                    organisation=org,
                    facility=facility,
                    kind=EventKind.GENERATE,
                    batch_code=code,
                    occurred_at=moment,
                    waste_code=world["code"],
                    internal_name="废机油",
                    container_code=f"C{n}",
                    container_type="铁桶",
                    container_count=1,
                    quantity_g=grams,
                    unit="kg",
                    handled_by="张三",
                    destination="贮存",
                    recorded_by=world["user"],
                )
                for n, (code, moment, grams) in enumerate(parsed, start=1)
            ),
            batch_size=2000,
        )
    return time.perf_counter() - began


def _raw_executemany(world: dict[str, Any], parsed: list[tuple[str, datetime, int]]) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from wufei.ledger.models import LedgerEvent

    org, facility = world["raw"]
    columns = (
        "organisation_id, facility_id, kind, batch_code, occurred_at, waste_code_id, "
        "internal_name, container_code, container_type, container_count, quantity_g, unit, "
        "handled_by, second_handler, destination, receiver_type, receiver_permit_number, "
        "recorded_by_id, created_at"
    )
    sql = (
        f"INSERT INTO {LedgerEvent._meta.db_table} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * 19)})"
    )
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(parsed), 2000):
            cursor.executemany(
                sql,
                [
                    (
                        *(org.pk, facility.pk, "generate", f"X{code}", adapt(moment)),
                        *(world["code"].pk, "废机油", f"C{n}", "铁桶", 1, grams, "kg", "张三"),
                        *("", "贮存", "", "", world["user"].pk, now),
                    )
                    for n, (code, moment, grams) in enumerate(parsed[i : i + 2000], start=i + 1)
                ],
            )
    return time.perf_counter() - began


def _version(connection: Any) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


def run_one(rows: int) -> dict[str, Any]:
    """Inside a child process whose DATABASE_URL points at a throwaway database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wufei.settings.base")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from wufei.ledger.importing import ledger_import_file
    from wufei.ledger.models import LedgerEvent

    world = _world()
    start = timezone.localtime() - timedelta(minutes=rows + 10)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b1.csv"
        parsed = _generate(path, rows, start)
        began = time.perf_counter()
        batch = ledger_import_file(
            actor=world["user"], organisation=world["ours"][0], path=path, table="B.1"
        )
        ours = time.perf_counter() - began
    if batch.status != "succeeded":
        raise SystemExit(f"import rejected: {batch.errors[:3]}")
    bulk = _raw_bulk_create(world, parsed)
    LedgerEvent.objects.filter(organisation=world["raw"][0])._raw_delete(connection.alias)
    many = _raw_executemany(world, parsed)
    return {
        "database": _version(connection),
        "rows": rows,
        "ours_s": round(ours, 2),
        "bulk_create_s": round(bulk, 2),
        "executemany_s": round(many, 2),
    }


def _child(rows: int, url: str) -> dict[str, Any]:
    return run_child(__file__, ["--rows", str(rows)], url)


def _pg_run(rows: int, base_url: str) -> dict[str, Any]:
    return on_throwaway_postgres("wufei_bench_ledger", base_url, lambda url: _child(rows, url))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--pg", action="store_true", help="also PostgreSQL (DATABASE_URL or local)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.rows)))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(_child(args.rows, f"sqlite:///{tmp}/bench.sqlite3"))
    pg_url = os.environ.get("DATABASE_URL", "")
    if args.pg or pg_url.startswith("postgres"):
        results.append(_pg_run(args.rows, pg_url if pg_url.startswith("postgres") else PG_DEFAULT))
    print(f"ledger import vs raw insert — {args.rows:,} rows of table B.1")
    print(
        f"machine: {platform.machine()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()}"
    )
    print(f"{'database':<18} {'ours s':>8} {'bulk_create s':>14} {'executemany s':>14}"
          f" {'bulk/ours':>10} {'many/ours':>10}")  # fmt: skip
    for r in results:
        print(
            f"{r['database']:<18} {r['ours_s']:>8.2f} {r['bulk_create_s']:>14.2f}"
            f" {r['executemany_s']:>14.2f} {r['bulk_create_s'] / r['ours_s']:>10.2f}"
            f" {r['executemany_s'] / r['ours_s']:>10.2f}"
        )


if __name__ == "__main__":
    main()
