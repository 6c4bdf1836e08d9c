"""No party reads another's ledger through any page or endpoint; a regulator sees its region.

Every URL below is asked by each user: members of the unit, its district's and city's
regulators and the platform administrator get an answer; another producer, another district's
regulator and a user with no role get 404, exactly as for a unit that does not exist."""

from __future__ import annotations

import io

import pytest

from tests.ledger import ledger_world as lw
from tests.registry.factories import api_client
from wufei.ledger.importing import ledger_import_file
from wufei.ledger.models import EventKind
from wufei.ledger.tables import TABLES


@pytest.fixture
def w(db, tmp_path):
    w = lw.build_world()
    w.gen_event = lw.record(w, EventKind.GENERATE, occurred_at=lw.days_ago(3))
    path = tmp_path / "empty.csv"
    path.write_text(",".join(TABLES["B.1"].headers) + "\n", encoding="utf-8")
    w.import_batch = ledger_import_file(actor=w.alice, organisation=w.prod, path=path, table="B.1")
    return w


def page_urls(w) -> list[str]:
    base = f"/ledger/{w.prod.uscc}"
    return [
        f"{base}/",
        f"{base}/?table=B.3",
        f"{base}/stock/",
        f"{base}/balance/",
        f"{base}/tier/",
        f"{base}/import/",
        f"{base}/import/{w.import_batch.pk}/",
        f"{base}/export.csv?table=B.1",
        f"{base}/export.xlsx",
    ]


def api_urls(w) -> list[str]:
    base = f"/api/v1/ledger/organisations/{w.prod.uscc}"
    return [
        f"/api/v1/ledger/events?organisation={w.prod.uscc}",
        f"/api/v1/ledger/events/{w.gen_event.pk}",
        f"{base}/stock",
        f"{base}/balance?start=2020-01-01&end=2030-12-31",
        f"{base}/supervision",
        f"/api/v1/ledger/imports/{w.import_batch.pk}",
    ]


SEES = ("alice", "reader", "reg108", "regcity", "admin")
BLIND = ("bob", "reg106", "wendy", "nobody")


@pytest.mark.parametrize("who", SEES + BLIND)
def test_pages(w, who) -> None:
    client = lw.browser(getattr(w, who))
    expected = 200 if who in SEES else 404
    for url in page_urls(w):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("who", SEES + BLIND)
def test_api(w, who) -> None:
    client = api_client(getattr(w, who))
    expected = 200 if who in SEES else 404
    for url in api_urls(w):
        response = client.get(url)
        assert response.status_code == expected, (url, response.content[:300])


@pytest.mark.parametrize("who", BLIND)
def test_listing_everything_leaves_out_the_unit(w, who) -> None:
    listing = api_client(getattr(w, who)).get("/api/v1/ledger/events").json()
    assert w.gen_event.batch_code not in {e["batch_code"] for e in listing["results"]}


def test_a_regulator_lists_only_its_region(w) -> None:
    lw.record(w, EventKind.GENERATE, actor=w.wendy, organisation=w.west, facility=w.west_gen)
    listing = api_client(w.reg108).get("/api/v1/ledger/events").json()
    assert {e["organisation"] for e in listing["results"]} == {w.prod.uscc}
    assert api_client(w.regcity).get("/api/v1/ledger/events").json()["count"] == 2
    index = lw.browser(w.reg108).get("/ledger/").content.decode()
    assert w.prod.name in index and w.west.name not in index


def test_nobody_else_writes_or_imports(w) -> None:
    payload = {
        "organisation": w.prod.uscc,
        "kind": "generate",
        "occurred_at": lw.days_ago(1).isoformat(),
        "quantity": "1",
        "unit": "kg",
        "handled_by": "x",
        "facility": "A-GEN",
        "waste_code": "900-249-08",
    }
    assert (
        api_client(w.bob).post("/api/v1/ledger/events", payload, "application/json").status_code
        == 404
    )
    assert (
        api_client(w.reader).post("/api/v1/ledger/events", payload, "application/json").status_code
        == 403
    )
    assert (
        api_client(w.reg108).post("/api/v1/ledger/events", payload, "application/json").status_code
        == 403
    )
    upload = io.BytesIO(",".join(TABLES["B.1"].headers).encode())
    upload.name = "x.csv"
    assert (
        api_client(w.bob)
        .post(
            f"/api/v1/ledger/organisations/{w.prod.uscc}/imports", {"file": upload, "table": "B.1"}
        )
        .status_code
        == 404
    )
    assert lw.browser(w.bob).post(f"/ledger/{w.prod.uscc}/import/").status_code == 404
    assert lw.browser(w.bob).get(f"/ledger/{w.prod.uscc}/record/B.1/").status_code == 404
