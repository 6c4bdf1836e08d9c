"""A person logs in, sees their role, searches the national catalog and switches language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser_harness import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "wufei-demo-2024"


@pytest.fixture
def district(transactional_db: Any) -> None:
    call_command("load_catalogs", verbosity=0)
    call_command("seed_demo", scale=1, seed=2024, reset=True, verbosity=0)


def test_regulator_logs_in_and_searches_the_catalog(
    page: Any, live_server: Any, district: None, artifacts: Path
) -> None:
    base = live_server.url
    log_in(page, base, "regulator", DEMO_PASSWORD)
    assert "监管" in page.inner_text("[data-testid=who]")  # role badge in Chinese

    page.click("nav >> text=废物名录")
    page.fill("input[name=q]", "废矿物油")
    page.wait_for_selector("td >> text=900-249-08")
    rows = page.locator("table.list tbody tr")
    assert rows.count() >= 10
    assert "HW08" in page.inner_text("table.list")
    page.screenshot(path=str(artifacts / "catalog-search-zh.png"), full_page=True)

    page.fill("input[name=q]", "900-249-08")
    page.wait_for_function("document.querySelectorAll('table.list tbody tr').length === 1")
    page.click("table.list tbody tr >> a")
    body = page.inner_text("main")
    assert "900-249-08" in body and "T" in body

    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert "Log out" in page.inner_text("header")
    page.screenshot(path=str(artifacts / "catalog-detail-en.png"), full_page=True)


@pytest.mark.parametrize(
    ("username", "role_label"),
    [
        ("admin", "平台管理员"),
        ("producer", "产废单位"),
        ("carrier", "运输单位"),
        ("receiver", "利用处置单位"),
    ],
)
def test_each_role_sees_its_home(
    page: Any, live_server: Any, district: None, artifacts: Path, username: str, role_label: str
) -> None:
    log_in(page, live_server.url, username, DEMO_PASSWORD)
    assert role_label in page.inner_text("[data-testid=who]")
    assert page.locator("a.stat").count() >= 3
    page.screenshot(path=str(artifacts / f"home-{username}.png"), full_page=True)
