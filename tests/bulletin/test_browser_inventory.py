"""In Chromium: a regulator opens the waste inventory (废物清单) for a year with ledger data, sees
the six tables with 表4 危险废物's totals from the ledger, and downloads the XLSX."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.browser_harness import log_in, watch_errors
from tests.ledger.ledger_world import KG, build_world, days_ago, record
from tests.registry import factories as f
from wufei.ledger.models import EventKind
from wufei.registry.models import Permit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

E = EventKind
TABLES = {
    "general_industrial": "表1 一般工业固体废物",
    "household": "表2 生活垃圾",
    "construction": "表3 建筑垃圾",
    "hazardous": "表4 危险废物",
    "agricultural": "表5 农业固体废物",
    "other": "表6 其他废物",
}


def ledger_network(at: datetime) -> SimpleNamespace:
    """The network of tests/bulletin/test_inventory.py, its events in the ten days before `at`:
    in 滨江区 700 kg generated (HW08 500, HW49 200), 100 kg treated in house (D10), 100 kg handed
    over for R2 inside the province, 50 kg for D10 to 江苏, 450 kg still stored."""
    w = build_world()
    w.far = f.make_org(region_code="320102", name="南京处置", is_treatment=True)
    f.make_permit(w.far)

    def on(day: int) -> datetime:
        return at - timedelta(days=day)

    # The receivers' licences (issued a year before today) must cover the hand-overs.
    first = on(10).date()
    Permit.objects.filter(valid_from__gt=first).update(valid_from=first - timedelta(days=365))

    g = record(w, E.GENERATE, quantity_g=500 * KG, occurred_at=on(10))
    s_in = record(w, E.STORE_IN, source=g, quantity_g=500 * KG, occurred_at=on(9))
    out = record(w, E.STORE_OUT, source=s_in, quantity_g=300 * KG, occurred_at=on(8))
    record(w, E.TREAT_IN_HOUSE, source=out, quantity_g=100 * KG, occurred_at=on(7))
    record(
        w, E.HAND_OVER, source=out, quantity_g=100 * KG, treatment_method=w.r2, occurred_at=on(7)
    )
    record(w, E.HAND_OVER, source=out, quantity_g=50 * KG, receiver=w.far, occurred_at=on(6))
    record(
        w,
        E.GENERATE,
        actor=w.bob,
        organisation=w.other,
        facility=w.other_gen,
        waste_code=w.rags,
        quantity_g=200 * KG,
        occurred_at=on(9),
    )
    record(
        w,
        E.GENERATE,
        actor=w.wendy,
        organisation=w.west,
        facility=w.west_gen,
        quantity_g=999 * KG,
        occurred_at=on(9),
    )
    w.year = on(10).year
    return w


@pytest.fixture
def network(transactional_db: Any) -> SimpleNamespace:
    call_command("load_catalogs", verbosity=0)
    at = days_ago(0)
    if (at - timedelta(days=10)).year != at.year:  # early January: keep the events in one year
        at = at.replace(month=1, day=1) - timedelta(days=1)
    return ledger_network(at)


def test_regulator_reads_the_inventory_and_downloads_it(
    page: Any, live_server: Any, network: SimpleNamespace, artifacts: Path
) -> None:
    errors = watch_errors(page)
    base = live_server.url
    log_in(page, base, "reg108")
    page.goto(f"{base}/bulletin/inventory/")
    # The filters choose the region and year as a person would.
    page.select_option("[data-testid=inventory-filters] select[name=region]", "330108")
    page.select_option("[data-testid=inventory-filters] select[name=year]", str(network.year))
    page.click("[data-testid=inventory-filters] button[type=submit]")
    page.wait_for_url(f"**/bulletin/inventory/?region=330108&year={network.year}")

    assert page.inner_text("main h1") == f"废物清单 — 滨江区 {network.year}"
    page.click("nav.mainnav .navmore > summary")  # the entry waits behind "更多"
    assert page.inner_text("nav.mainnav a.active") == "废物清单"
    page.keyboard.press("Escape")
    headings = page.locator("main h2").all_inner_texts()
    assert len(headings) == 6
    for code, title in TABLES.items():
        assert page.locator(f"[data-testid=inventory-{code}]").is_visible()
        assert any(title in h for h in headings), (title, headings)

    hazardous = page.locator("[data-testid=inventory-hazardous]")
    body = hazardous.locator("tbody").inner_text()
    assert "HW08废矿物油与含矿物油废物" in body and "HW49其他废物" in body
    assert "危险废物（产生量前十位）" in body
    totals = {
        n: page.inner_text(f"[data-testid=total-hazardous-{n}]") for n in (1, 3, 4, 8, 10, 11)
    }
    assert totals == {
        1: "0.700",  # generated
        3: "0.100",  # disposed in house
        4: "0.100",  # utilised inside the province (R2, 萧山)
        8: "0.050",  # disposed in another province (D10, 南京)
        10: "14.29%",  # utilisation rate 100 / 700
        11: "0.450",  # still stored
    }
    # The entered streams have no statistics: missing, never zero.
    assert page.inner_text("[data-testid=total-general_industrial-1]") == "缺失"
    page.screenshot(path=str(artifacts / "bulletin-inventory.png"), full_page=True)

    with page.expect_download() as info:
        page.click("[data-testid=inventory-xlsx]")
    download = info.value
    assert download.suggested_filename == f"waste-inventory-330108-{network.year}.xlsx"
    saved = artifacts / "bulletin-inventory.xlsx"
    download.save_as(str(saved))
    book = load_workbook(saved)
    sheet = book["表4 危险废物"]
    assert sheet["A7"].value == "合计"
    assert Decimal(str(sheet["C7"].value)) == Decimal("0.7")
    assert Decimal(str(sheet["M7"].value)) == Decimal("0.45")
    assert errors == []
