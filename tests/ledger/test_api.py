"""The ledger API: record a step, list, stock and balance, with JSON errors naming the rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ledger import ledger_world as lw
from tests.registry.factories import api_client
from wufei.ledger.importing import INSERT_COLUMNS
from wufei.ledger.models import LedgerEvent
from wufei.ledger.tables import TABLES

RULES_JSON = Path("/work/shared/reference/regulations/hj1259-2022-ledger-rules.json")


@pytest.fixture
def w(db):
    return lw.build_world()


def post(client, **payload):
    return client.post("/api/v1/ledger/events", json.dumps(payload), "application/json")


def test_record_list_stock_and_balance(w) -> None:
    client = api_client(w.alice)
    common = {"organisation": w.prod.uscc, "handled_by": "张三"}
    response = post(
        client,
        kind="generate",
        occurred_at=lw.days_ago(3).isoformat(),
        quantity="12.5",
        unit="kg",
        facility="A-GEN",
        waste_code="900-249-08",
        **common,
    )
    assert response.status_code == 201, response.content
    gen = response.json()
    assert (gen["quantity_g"], gen["quantity_kg"], gen["category"]) == (12_500, "12.5", "HW08")
    assert gen["batch_code"].startswith("HWCS")
    response = post(
        client,
        kind="store_in",
        occurred_at=lw.days_ago(2).isoformat(),
        quantity="0.01",
        unit="t",
        facility="A-STORE",
        source=gen["batch_code"],
        **common,
    )
    assert response.status_code == 201, response.content
    assert response.json()["source"] == gen["batch_code"]

    too_much = post(
        client,
        kind="store_in",
        occurred_at=lw.days_ago(1).isoformat(),
        quantity="2.501",
        unit="kg",
        facility="A-STORE",
        source=gen["batch_code"],
        **common,
    )
    assert too_much.status_code == 400
    assert too_much.json()["code"] == "exceeds_stock" and "6.3.2" in too_much.json()["message"]
    finer = post(
        client,
        kind="generate",
        occurred_at=lw.days_ago(1).isoformat(),
        quantity="1.0001",
        unit="kg",
        facility="A-GEN",
        waste_code="900-249-08",
        **common,
    )
    assert (finer.status_code, finer.json()["code"]) == (400, "finer_than_gram")

    listing = client.get("/api/v1/ledger/events", {"organisation": w.prod.uscc, "kind": "store_in"})
    assert [e["quantity_g"] for e in listing.json()["results"]] == [10_000]

    stock = client.get(f"/api/v1/ledger/organisations/{w.prod.uscc}/stock").json()
    assert {(s["facility"], s["grams"]) for s in stock} == {("A-GEN", 2_500), ("A-STORE", 10_000)}

    balance = client.get(
        f"/api/v1/ledger/organisations/{w.prod.uscc}/balance",
        {"start": lw.days_ago(10).date().isoformat(), "end": lw.days_ago(0).date().isoformat()},
    ).json()
    assert balance["closes"]
    (total,) = balance["totals"]
    assert (total["generated_g"], total["closing_g"]) == (12_500, 12_500)


def test_the_import_writes_every_column_of_the_ledger() -> None:
    columns = {f.column for f in LedgerEvent._meta.concrete_fields if not f.primary_key}
    assert set(INSERT_COLUMNS) == columns


@pytest.mark.skipif(not RULES_JSON.exists(), reason="reference file not on this machine")
def test_headers_are_those_of_appendix_b() -> None:
    reference = json.loads(RULES_JSON.read_text(encoding="utf-8"))["ledger_tables_appendix_B"]
    for title, headers in reference.items():
        table_id = title.split(" ", 1)[0]
        assert list(TABLES[table_id].headers) == headers, table_id
