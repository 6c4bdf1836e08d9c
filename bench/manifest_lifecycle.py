"""Manifest lifecycles through the HTTP API against the same rows written directly (issue 3).

    .venv/bin/python bench/manifest_lifecycle.py -n 40          # SQLite (+ PG if DATABASE_URL)
    .venv/bin/python bench/manifest_lifecycle.py -n 40 --pg     # also PostgreSQL (local default)

In one run, per database (a throwaway SQLite file under /tmp, or a PostgreSQL database named
wufei_bench_manifest_<pid>, created and dropped here), time N complete lifecycles
  (a) api      — six HTTP requests with bearer tokens through Django's test client: create →
                 sign-shipper → pickup → deliver → receive (accept) → treatment, by three
                 accounts (shipper, driver, receiver). Every step locks the manifest, checks
                 the party and the state machine, validates (licence, capacity, carrier,
                 labels, ledger stock), renders the PDF copy of record, hashes the content,
                 writes the ledger events, the audit chain and the webhook outbox, and answers
                 with the full manifest as JSON;
  (b) services — the same lifecycle calling the services in-process (no HTTP, no JSON);
  (c) direct   — the same rows the API wrote (manifest, lines, containers, carriers, the five
                 signatures with their content and PDF bytes, the ledger events, the audit
                 events with their hash chain, the counter), copied with bulk ORM inserts, one
                 transaction per lifecycle: the raw baseline,
and print direct/api (the target is ≥ 0.5: the API at least half as fast as the raw writes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from throwaway import on_throwaway_postgres, run_child

ROOT = Path(__file__).resolve().parent.parent
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/wufei"
KG = 1000


def _payload(net: Any, containers: list[Any]) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "shipper_uscc": net.shipper.uscc,
        "shipper_facility": net.gen.code,
        "receiver_uscc": net.plant.uscc,
        "receiver_facility": net.kiln.code,
        "planned_on": timezone.localdate().isoformat(),
        "emergency_measures": "泄漏时用吸附棉围堵",
        "lines": [
            {
                "waste_code": "900-249-08",
                "waste_name": "废矿物油",
                "physical_form": "液态",
                "packaging": "铁桶",
                "weight_g": 250 * KG,
                "containers": [c.code for c in containers],
            }
        ],
        "carriers": [
            {
                "carrier_uscc": net.carrier.uscc,
                "vehicle_plate": net.truck.plate_number,
                "licence_number": net.licence.number,
            }
        ],
    }


def _api_lifecycle(clients: dict[str, Any], net: Any, containers: list[Any]) -> str:
    shipper, driver, receiver = clients["shipper"], clients["driver"], clients["receiver"]
    answer = shipper.post("/api/v1/manifests/", _payload(net, containers), "application/json")
    assert answer.status_code == 201, answer.content
    number = answer.json()["number"]
    steps = [
        (shipper, "sign-shipper", {}),
        (driver, "pickup", {}),
        (driver, "deliver", {}),
        (
            receiver,
            "receive",
            {"decision": "accept", "lines": [{"position": 1, "received_weight_g": 250 * KG}]},
        ),
        (
            receiver,
            "treatment",
            {"lines": [{"position": 1, "treatment_method": "D10", "treated_weight_g": 250 * KG}]},
        ),
    ]
    for client, step, data in steps:
        answer = client.post(f"/api/v1/manifests/{number}/{step}", data, "application/json")
        assert answer.status_code == 200, (step, answer.content)
    return str(number)


def _services_lifecycle(net: Any, containers: list[Any]) -> None:
    from tests.transfer.network import lifecycle

    manifest = lifecycle(net, containers=containers)
    assert manifest.status == "treated"


def _templates(numbers: list[str]) -> list[dict[str, Any]]:
    """Everything the API wrote for each manifest, to be written again directly."""
    from wufei.core.audit_models import AuditEvent
    from wufei.ledger.models import LedgerEvent
    from wufei.transfer.models import Manifest, ManifestLine, Signature

    found = []
    for number in numbers:
        manifest = Manifest.objects.get(number=number)
        lines = list(ManifestLine.objects.filter(manifest=manifest))
        found.append(
            {
                "manifest": manifest,
                "lines": lines,
                "containers": {
                    line.pk: list(line.containers.values_list("pk", flat=True)) for line in lines
                },
                "carriers": list(manifest.carriers.all()),
                "signatures": list(Signature.objects.filter(manifest=manifest)),
                "ledger": list(LedgerEvent.objects.filter(manifest=manifest)),
                "audit": list(
                    AuditEvent.objects.filter(subject_type="manifest", subject_id=number)
                ),
            }
        )
    return found


def _direct_lifecycle(template: dict[str, Any], n: int) -> None:
    """The same rows, written with bulk inserts in one transaction, audit chain kept."""
    from django.db import transaction

    from wufei.core.audit import audit_envelope
    from wufei.core.audit_models import AuditChainHead, AuditEvent
    from wufei.domain.hash_chain import link_hash
    from wufei.ledger.models import LedgerEvent
    from wufei.transfer.models import Manifest, ManifestCounter, ManifestLine, Signature

    def copy(obj: Any, **changes: Any) -> Any:
        clone = type(obj)(**{f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields})
        clone.pk = None
        for key, value in changes.items():
            setattr(clone, key, value)
        return clone

    source: Manifest = template["manifest"]
    number = f"{source.number[:8]}{900000 + n:06d}"
    with transaction.atomic():
        ManifestCounter.objects.select_for_update().filter(
            province=number[4:6], city=number[6:8], year=int(number[:4])
        ).update(last_sequence=900000 + n)
        manifest = copy(source, number=number)
        manifest.save(force_insert=True)
        lines = ManifestLine.objects.bulk_create(
            [copy(line, manifest_id=manifest.pk) for line in template["lines"]]
        )
        through = ManifestLine.containers.through
        through.objects.bulk_create(
            [
                through(manifestline_id=new.pk, container_id=container)
                for old, new in zip(template["lines"], lines, strict=True)
                for container in template["containers"][old.pk]
            ]
        )
        manifest.carriers.model.objects.bulk_create(
            [copy(c, manifest_id=manifest.pk) for c in template["carriers"]]
        )
        Signature.objects.bulk_create(
            [copy(s, manifest_id=manifest.pk) for s in template["signatures"]]
        )
        LedgerEvent.objects.bulk_create(
            [
                copy(e, manifest_id=manifest.pk, batch_code=f"{e.batch_code[:30]}-D{n}")
                for e in template["ledger"]
            ]
        )
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        events = []
        for old in template["audit"]:
            event = copy(old, subject_id=number, sequence=head.sequence + 1)
            event.previous_hash = head.entry_hash
            event.entry_hash = link_hash(event.previous_hash, audit_envelope(event))
            head.sequence, head.entry_hash = event.sequence, event.entry_hash
            events.append(event)
        AuditEvent.objects.bulk_create(events)
        head.save(update_fields=["sequence", "entry_hash"])


def _version(connection: Any) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


def run_one(count: int) -> dict[str, Any]:
    """Inside a child process whose DATABASE_URL points at a throwaway database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wufei.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tests.registry.factories import api_client
    from tests.transfer.network import build_network, containers_with_stock
    from wufei.core.audit import audit_verify

    call_command("migrate", verbosity=0)
    call_command("load_catalogs", verbosity=0)
    net = build_network()
    net.permit.annual_capacity_t = 10**9
    net.permit.save()
    stock = [containers_with_stock(net, count=3, grams_each=100 * KG) for _ in range(2 * count + 1)]
    clients = {
        "shipper": api_client(net.alice),
        "driver": api_client(net.dave),
        "receiver": api_client(net.rita),
    }
    _api_lifecycle(clients, net, stock.pop())  # warm-up: imports, font, caches
    queries = [0]

    def count_query(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_query):
        numbers = [_api_lifecycle(clients, net, stock.pop())]
    began = time.perf_counter()
    numbers += [_api_lifecycle(clients, net, stock.pop()) for _ in range(count - 1)]
    api = time.perf_counter() - began
    api = api * count / (count - 1)  # the first lifecycle ran with the query counter
    began = time.perf_counter()
    for _ in range(count):
        _services_lifecycle(net, stock.pop())
    services = time.perf_counter() - began
    templates = _templates(numbers)
    began = time.perf_counter()
    for n, template in enumerate(templates):
        _direct_lifecycle(template, n)
    direct = time.perf_counter() - began
    assert audit_verify() is None, "the direct writes broke the audit chain"
    return {
        "database": _version(connection),
        "lifecycles": count,
        "api_s": round(api, 3),
        "services_s": round(services, 3),
        "direct_s": round(direct, 3),
        "api_queries": queries[0],
    }


def _child(count: int, url: str) -> dict[str, Any]:
    return run_child(
        __file__,
        ["-n", str(count)],
        url,
        WUFEI_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        WUFEI_LOG_LEVEL="WARNING",
    )


def _pg_run(count: int, base_url: str) -> dict[str, Any]:
    return on_throwaway_postgres("wufei_bench_manifest", base_url, lambda url: _child(count, url))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("-n", type=int, default=40, help="lifecycles per database")
    parser.add_argument("--pg", action="store_true", help="also PostgreSQL (DATABASE_URL or local)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.n < 2:
        parser.error("-n must be at least 2")
    if args.child:
        print(json.dumps(run_one(args.n)))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(_child(args.n, f"sqlite:///{tmp}/bench.sqlite3"))
    pg_url = os.environ.get("DATABASE_URL", "")
    if args.pg or pg_url.startswith("postgres"):
        results.append(_pg_run(args.n, pg_url if pg_url.startswith("postgres") else PG_DEFAULT))
    print(f"manifest lifecycles through the API vs direct writes — {args.n} lifecycles")
    print(
        f"machine: {platform.machine()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()}"
    )
    print(f"{'database':<18} {'api ms/lc':>10} {'services ms/lc':>15} {'direct ms/lc':>13}"
          f" {'queries/lc':>11} {'direct/api':>11}")  # fmt: skip
    for r in results:
        per = {k: r[f"{k}_s"] * 1000 / r["lifecycles"] for k in ("api", "services", "direct")}
        print(
            f"{r['database']:<18} {per['api']:>10.1f} {per['services']:>15.1f}"
            f" {per['direct']:>13.1f} {r['api_queries']:>11} {r['direct_s'] / r['api_s']:>11.2f}"
        )


if __name__ == "__main__":
    main()
