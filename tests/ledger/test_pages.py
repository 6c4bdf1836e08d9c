"""The ledger pages as a producer uses them: record each step, see stock and balance."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.ledger import ledger_world as lw
from wufei.ledger.models import EventKind, LedgerEvent

KG = lw.KG


@pytest.fixture
def w(db):
    return lw.build_world()


def _when(days: int) -> str:
    return timezone.localtime(lw.days_ago(days)).strftime("%Y-%m-%dT%H:%M")


def test_a_member_lands_on_the_ledger_of_its_unit(w) -> None:
    response = lw.browser(w.alice).get("/ledger/")
    assert response.status_code == 302
    assert response["Location"] == f"/ledger/{w.prod.uscc}/"


def test_record_generation_then_store_in_through_the_forms(w) -> None:
    client = lw.browser(w.alice)
    base = f"/ledger/{w.prod.uscc}"
    assert client.get(f"{base}/record/B.1/").status_code == 200
    response = client.post(
        f"{base}/record/B.1/",
        {
            "occurred_at": _when(2),
            "quantity": "12.5",
            "unit": "kg",
            "handled_by": "张三",
            "waste_code": "900-249-08",
            "facility": "A-GEN",
            "container_type": "铁桶",
            "container_count": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    gen = LedgerEvent.objects.get()
    assert (gen.kind, gen.quantity_g, gen.unit, gen.facility) == (
        EventKind.GENERATE,
        12_500,
        "kg",
        w.gen,
    )
    page = client.get(f"{base}/record/B.2/")
    assert gen.batch_code in page.content.decode()  # offered as a source with 12.5 kg left
    fragment = client.get(
        f"{base}/record/B.2/source/", {"source": gen.batch_code}, HTTP_HX_REQUEST="true"
    )
    assert "12.5" in fragment.content.decode()
    response = client.post(
        f"{base}/record/B.2/",
        {
            "occurred_at": _when(1),
            "quantity": "0.0125",
            "unit": "t",
            "handled_by": "李四",
            "source": gen.batch_code,
            "facility": "A-STORE",
        },
    )
    assert response.status_code == 302
    stored = LedgerEvent.objects.get(kind=EventKind.STORE_IN)
    assert (stored.source, stored.quantity_g, stored.unit) == (gen, 12_500, "t")
    listing = client.get(f"{base}/?table=B.2").content.decode()
    assert stored.batch_code in listing and gen.batch_code in listing


def test_a_refused_record_shows_why_and_writes_nothing(w) -> None:
    client = lw.browser(w.alice)
    response = client.post(
        f"/ledger/{w.prod.uscc}/record/B.1/",
        {
            "occurred_at": _when(1),
            "quantity": "1.0005",
            "unit": "kg",
            "handled_by": "张三",
            "waste_code": "900-249-08",
            "facility": "A-GEN",
        },
    )
    assert response.status_code == 200
    assert not LedgerEvent.objects.exists()
    body = response.content.decode()
    assert "精度超过1克" in body  # the page speaks Chinese first
    response = client.post(
        f"/ledger/{w.prod.uscc}/record/B.1/",
        {
            "occurred_at": _when(1),
            "quantity": "20000",
            "unit": "t",
            "handled_by": "张三",
            "waste_code": "900-249-08",
            "facility": "A-GEN",
        },
    )
    assert response.status_code == 200 and not LedgerEvent.objects.exists()
    assert "4.1.2" in response.content.decode()


def test_a_read_only_member_reads_but_does_not_record(w) -> None:
    lw.record(w, EventKind.GENERATE)
    client = lw.browser(w.reader)
    assert client.get(f"/ledger/{w.prod.uscc}/").status_code == 200
    assert client.get(f"/ledger/{w.prod.uscc}/record/B.1/").status_code == 404
    assert b'data-testid="record"' not in client.get(f"/ledger/{w.prod.uscc}/").content


def test_stock_and_balance_pages_show_the_derived_numbers(w) -> None:
    gen = lw.record(w, EventKind.GENERATE, quantity_g=1_234_567, occurred_at=lw.days_ago(3))
    lw.record(w, EventKind.STORE_IN, source=gen, quantity_g=1_000_000, occurred_at=lw.days_ago(2))
    client = lw.browser(w.alice)
    stock = client.get(f"/ledger/{w.prod.uscc}/stock/").content.decode()
    assert "0.235" in stock and "1.000" in stock and "1.235" in stock
    today = timezone.localdate()
    balance = client.get(
        f"/ledger/{w.prod.uscc}/balance/",
        {
            "start": (
                today.replace(day=1) if today.day > 5 else today.replace(month=1, day=1)
            ).isoformat(),
            "end": today.isoformat(),
        },
    ).content.decode()
    assert "notclosing" not in balance
    assert balance.count("✓") >= 2 and "1.235" in balance


def test_the_supervision_pages(w) -> None:
    lw.record(w, EventKind.GENERATE, quantity_g=150 * 1_000_000, occurred_at=lw.days_ago(3))
    regulator = lw.browser(w.reg108).get("/ledger/supervision/").content.decode()
    assert w.prod.name in regulator and w.other.name in regulator
    assert w.west.name not in regulator  # another district
    own = lw.browser(w.alice).get(f"/ledger/{w.prod.uscc}/tier/")
    assert own.status_code == 200
    assert b'data-testid="calendar"' in own.content
    assert lw.browser(w.bob).get(f"/ledger/{w.prod.uscc}/tier/").status_code == 404
