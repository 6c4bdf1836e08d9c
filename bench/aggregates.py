"""The year's flow and indicator answers: maintained aggregates against naive aggregation over
the raw rows (issue 5, bench/RESULTS.md).

    .venv/bin/python bench/aggregates.py --scale 10           # SQLite
    .venv/bin/python bench/aggregates.py --scale 10 --pg      # also PostgreSQL (local default)
    .venv/bin/python bench/aggregates.py --reuse /tmp/s10.sqlite3   # an already seeded file
    .venv/bin/python bench/aggregates.py --reuse postgres://postgres@127.0.0.1/wufei_s10

In one run, per database: migrate a throwaway database, load the catalogs and seed the demo
district at the given scale with its year (`wufei seed_demo`; the seed also builds the cells),
then for the demo year time, alternately, R times each:
  (a) naive — `wufei.flows.records.flow_records_raw` / `spine_inputs_raw`: grouped sums over
      every ledger event and every manifest line of the year, then the Sankey graph, its gaps
      and the industry chain, or the indicator inputs;
  (b) cells — `wufei.rollups.selectors`: the same from the maintained cells (after checking
      that no partition is stale),
check that both give identical answers (every Sankey level, gaps, chains; every input), and
print naive/cells per answer (target ≥ 20). Also printed: what one write costs the next
reader (rebuilding one stale partition).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from throwaway import on_throwaway_postgres, run_child

ROOT = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/wufei"
TARGET = 20


def _median_pair(
    naive: Callable[[], Any], cells: Callable[[], Any], repeat: int
) -> tuple[float, float, Any, Any]:
    """Alternate the two, `repeat` times each; medians and the last answers."""
    times: dict[str, list[float]] = {"naive": [], "cells": []}
    answers: dict[str, Any] = {}
    for _ in range(repeat):
        for name, run in (("naive", naive), ("cells", cells)):
            began = time.perf_counter()
            answers[name] = run()
            times[name].append(time.perf_counter() - began)
    return (
        statistics.median(times["naive"]),
        statistics.median(times["cells"]),
        answers["naive"],
        answers["cells"],
    )


def _seed(scale: str, reuse: bool) -> dict[str, float]:
    from io import StringIO

    from django.core.management import call_command

    from wufei.rollups.refresh import rollups_rebuild_all

    took: dict[str, float] = {}
    began = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    if not reuse:
        call_command("load_catalogs", stdout=StringIO())
        call_command("seed_demo", "--scale", scale, "--reset", stdout=StringIO())
        took["seed_s"] = time.perf_counter() - began
    began = time.perf_counter()
    rollups_rebuild_all()
    took["rebuild_all_s"] = time.perf_counter() - began
    return took


def run_one(scale: str, repeat: int, reuse: bool) -> dict[str, Any]:
    """Inside a child process whose DATABASE_URL points at the database to measure."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wufei.settings.base")
    import django

    django.setup()
    from datetime import date

    from django.db import connection
    from django.db.models import Count

    from wufei.demo.models import DemoDistrict
    from wufei.domain.material_flows import Level, records_chain
    from wufei.flows.records import flow_records_raw
    from wufei.flows.selectors import GAP_LIMIT, flow_report_of
    from wufei.indicators.spine_inputs import spine_inputs_raw
    from wufei.ledger.models import LedgerEvent
    from wufei.registry.models import Organisation, Region
    from wufei.rollups.consistency import flow_difference
    from wufei.rollups.marks import rollups_touch
    from wufei.rollups.models import FlowCell, SpineCell
    from wufei.rollups.refresh import rollups_refresh
    from wufei.rollups.selectors import flow_records_from_cells, spine_inputs_from_cells
    from wufei.transfer.models import ManifestLine

    took = _seed(scale, reuse)
    district = DemoDistrict.objects.get()
    year = district.year
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    everyone = Organisation.objects.all()
    results: list[dict[str, Any]] = []

    def from_cells(orgs: Any, **period: Any) -> Any:
        return flow_records_from_cells(orgs, level=Level.INDUSTRY, gap_limit=GAP_LIMIT, **period)

    def flow_page(reader: Callable[..., Any], stream: str) -> Callable[[], Any]:
        def run() -> Any:
            records = reader(everyone, stream=stream, start=start, end=end)
            return flow_report_of(records, Level.INDUSTRY)

        return run

    def chain_page(reader: Callable[..., Any]) -> Callable[[], Any]:
        def run() -> Any:
            return records_chain(reader(everyone, stream="hazardous", start=start, end=end))

        return run

    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "flows hazardous",
            flow_page(flow_records_raw, "hazardous"),
            flow_page(from_cells, "hazardous"),
        ),
        (
            "flows medical",
            flow_page(flow_records_raw, "medical"),
            flow_page(from_cells, "medical"),
        ),
        ("industry chain", chain_page(flow_records_raw), chain_page(from_cells)),
    ]
    regions = [district.region, *Region.objects.filter(code=district.region.parent_id)]

    def inputs_raw(region: Region) -> Callable[[], Any]:
        return lambda: spine_inputs_raw(region=region, year=year)

    def inputs_cells(region: Region) -> Callable[[], Any]:
        return lambda: spine_inputs_from_cells(prefix=region.prefix, start=start, end=end)

    for region in regions:
        cases.append((f"indicator inputs {region.code}", inputs_raw(region), inputs_cells(region)))
    cases.append(("map ledger figures", *_map_cases(district.region, year)))
    for name, naive, fast in cases:
        naive_s, cells_s, a, b = _median_pair(naive, fast, repeat)
        results.append(
            {"answer": name, "naive_s": naive_s, "cells_s": cells_s, "identical": a == b}
        )
    # every level, report and chain once more, for identity only
    for stream in ("hazardous", "medical"):
        results.append(
            {
                "answer": f"all levels {stream}",
                "identical": not flow_difference(everyone, stream=stream, year=year),
            }
        )
    by_size = list(
        LedgerEvent.objects.filter(occurred_at__year=year)
        .values("organisation_id")
        .order_by()
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("organisation_id", "n")
    )
    one_partition: dict[str, tuple[int, float]] = {}
    for name, (org, events) in (("busiest", by_size[0]), ("median", by_size[len(by_size) // 2])):
        took_s = []
        for _ in range(repeat):
            rollups_touch(partitions=[(org, year)])
            began = time.perf_counter()
            rollups_refresh()
            took_s.append(time.perf_counter() - began)
        one_partition[name] = (events, statistics.median(took_s))
    return {
        "database": _version(connection),
        "scale": scale,
        "year": year,
        "events": LedgerEvent.objects.count(),
        "lines": ManifestLine.objects.count(),
        "flow_cells": FlowCell.objects.count(),
        "spine_cells": SpineCell.objects.count(),
        "one_partition": one_partition,
        "results": results,
        **took,
    }


def _map_cases(region: Any, year: int) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """The ledger figures of the regulator's map (一张图) for the district, as its regulator
    sees them: tonnage tiles, monthly trend, leading codes, facility sizes and
    the producers' drill-down totals — summed over the raw events (`scope_events`, what the
    page read before) and over the map's cells (`scope_cells`, what it reads now)."""
    from django.contrib.auth import get_user_model
    from django.db.models import F, Sum
    from django.db.models.functions import ExtractMonth

    from wufei.accounts.viewer import viewer_for
    from wufei.dashboard.selectors import (
        THROUGHPUT_KINDS,
        TONNAGE_KINDS,
        TOP_CODES,
        Scope,
        scope_cells,
        scope_events,
    )

    regulator = get_user_model().objects.get(username="regulator")  # the district's (seed_demo)
    scope = Scope(viewer=viewer_for(regulator), region=region, year=year)

    def figures(qs: Any, monthly: Any, grams: str, code: str, category: str) -> Any:
        total = Sum(grams)
        return (
            sorted(qs.filter(kind__in=TONNAGE_KINDS).values_list("kind").annotate(total)),
            sorted(monthly.filter(kind__in=TONNAGE_KINDS).values_list("kind", "m").annotate(total)),
            list(
                qs.filter(kind="generate")
                .values_list(code, category)
                .annotate(g=total)
                .order_by("-g", code)[:TOP_CODES]
            ),
            sorted(qs.filter(kind__in=THROUGHPUT_KINDS).values_list("facility_id").annotate(total)),
            sorted(
                qs.filter(kind__in=TONNAGE_KINDS)
                .values_list("organisation_id", "kind")
                .annotate(total)
            ),
        )

    def naive() -> Any:
        events = scope_events(scope).order_by()
        by_month = events.annotate(m=ExtractMonth("occurred_at"))
        return figures(
            events, by_month, "quantity_g", "waste_code__code", "waste_code__category__code"
        )

    def cells() -> Any:
        by_month = scope_cells(scope, monthly=True).annotate(m=F("month"))
        return figures(scope_cells(scope), by_month, "grams", "waste_code", "category")

    return naive, cells


def _version(connection: Any) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


def _child(args: argparse.Namespace, url: str, reuse: bool = False) -> dict[str, Any]:
    flags = ["--scale", args.scale, "--repeat", str(args.repeat)]
    if reuse:
        flags.append("--reused")
    return run_child(__file__, flags, url)


def _print(r: dict[str, Any]) -> bool:
    print(
        f"\n{r['database']} · scale {r['scale']} · year {r['year']} · {r['events']:,} ledger "
        f"events, {r['lines']:,} manifest lines → {r['flow_cells']:,} flow cells, "
        f"{r['spine_cells']:,} indicator cells"
    )
    if "seed_s" in r:
        print(f"seed {r['seed_s']:.0f} s (cells built inside it); ", end="")
    parts = "; ".join(
        f"{name} organisation ({events:,} events) {seconds * 1000:.0f} ms"
        for name, (events, seconds) in r["one_partition"].items()
    )
    print(f"rebuilding every cell {r['rebuild_all_s']:.1f} s; one stale year of the {parts}")
    print(f"{'answer':<28} {'naive ms':>10} {'cells ms':>10} {'naive/cells':>12} {'identical':>10}")
    ok = True
    for row in r["results"]:
        if "naive_s" not in row:
            print(f"{row['answer']:<28} {'':>10} {'':>10} {'':>12} {row['identical']!s:>10}")
            ok = ok and row["identical"]
            continue
        ratio = row["naive_s"] / row["cells_s"]
        ok = ok and row["identical"] and ratio >= TARGET
        print(
            f"{row['answer']:<28} {row['naive_s'] * 1000:>10.1f} {row['cells_s'] * 1000:>10.1f}"
            f" {ratio:>12.1f} {row['identical']!s:>10}"
        )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="10", help="demo scale (10 ≈ ten districts)")
    parser.add_argument("--repeat", type=int, default=5, help="timings per answer and method")
    parser.add_argument("--pg", action="store_true", help="also PostgreSQL (DATABASE_URL or local)")
    parser.add_argument(
        "--reuse",
        metavar="DB",
        help="measure this already seeded database instead: an SQLite file or a postgres:// URL",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reused", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.scale, args.repeat, args.reused), default=str))
        return
    results = []
    if args.reuse and args.reuse.startswith("postgres"):
        results.append(_child(args, args.reuse, reuse=True))
    elif args.reuse:
        results.append(_child(args, f"sqlite:///{Path(args.reuse).resolve()}", reuse=True))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(_child(args, f"sqlite:///{tmp}/bench.sqlite3"))
    pg_url = os.environ.get("DATABASE_URL", "")
    if args.pg:
        base = pg_url if pg_url.startswith("postgres") else PG_DEFAULT
        results.append(
            on_throwaway_postgres("wufei_bench_aggregates", base, lambda url: _child(args, url))
        )
    print("the year's flow and indicator answers: maintained cells vs naive aggregation")
    print(
        f"machine: {platform.machine()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · target naive/cells ≥ {TARGET}, identical answers"
    )
    ok = all([_print(r) for r in results])
    print("\nALL TARGETS MET" if ok else "\nTARGET MISSED (see rows above)")


if __name__ == "__main__":
    main()
