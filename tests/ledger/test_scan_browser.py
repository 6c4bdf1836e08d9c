"""Scanning a label on a phone: the public page, then the producer's history after logging in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.ledger.labels_world import build_shipment, build_world
from tests.registry.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scanned(transactional_db: Any) -> Any:
    call_command("load_catalogs", verbosity=0)
    return build_shipment(build_world())


def test_a_phone_scan_shows_public_facts_then_the_history_to_the_producer(
    browser: Any, live_server: Any, scanned: Any, artifacts: Path
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    url = f"{live_server.url}/c/{scanned.drum.code}/"
    page.goto(url)
    public = page.inner_text("main")
    assert "甲化工有限公司" in public and "900-249-08" in public
    assert "12.500 kg" not in public and "安运物流" not in public
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "scan-public-phone.png"), full_page=True)

    page.click("[data-testid=scan-public-note] a")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(url)
    history = page.inner_text("[data-testid=history]")
    assert "12.500 kg" in history and "安运物流" in history
    assert "20243301000042" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "scan-history-phone.png"), full_page=True)

    with page.expect_download() as pdf:
        page.evaluate(
            "(a) => a.setAttribute('download', '')",
            page.query_selector("[data-testid=label-download]"),
        )
        page.click("[data-testid=label-download]")
    assert pdf.value.suggested_filename.endswith(".pdf")
    context.close()
