"""In Chromium: a regulator opens the indicator page for 滨江区 with seed 002's figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.registry.factories import PASSWORD, make_regulator
from wufei.indicators.demo import indicators_demo_seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_indicator_page_for_binjiang(page: Any, live_server: Any, artifacts: Path) -> None:
    call_command("load_catalogs", verbosity=0)
    indicators_demo_seed(year=2023)
    make_regulator("reg108", "330108")
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_username", "reg108")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/indicators/?set=national_2021&region=330108&year=2023")
    construction = page.locator("[data-testid='row-N2.3.1']")
    assert "99.81" in construction.inner_text()
    assert "100" in page.locator("[data-testid='row-N2.1.1']").inner_text()
    assert "数据缺失" in page.locator("[data-testid='row-N2.2.1']").inner_text()
    page.screenshot(path=str(artifacts / "indicators-binjiang-2023.png"), full_page=True)

    page.click("[data-testid='row-N2.1.1'] a")
    page.wait_for_load_state()
    assert "99.51" in page.locator("[data-testid=history]").inner_text()
    page.screenshot(path=str(artifacts / "indicators-detail-gi-sw.png"), full_page=True)
