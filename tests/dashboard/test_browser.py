"""In Chromium: a regulator opens the map (ECharts draws on a canvas, no console error), on a
wall screen and on a laptop, drills down district → enterprise, then follows the warnings
figure to a warning and closes it with a note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser_harness import log_in, watch_errors
from tests.dashboard.world import build_map_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"wall": (1920, 1080), "laptop": (1366, 768)}


@pytest.fixture
def map_world(transactional_db: Any) -> Any:
    call_command("load_catalogs", verbosity=0)
    return build_map_world()


def test_the_map_draws_drills_down_and_a_warning_is_closed(
    page: Any, browser: Any, live_server: Any, map_world: Any, artifacts: Path
) -> None:
    w, base = map_world, live_server.url
    for name, (width, height) in SCREENS.items():
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        pg = context.new_page()
        errors = watch_errors(pg)
        log_in(pg, base, "reg108")
        screen = "&screen=1" if name == "wall" else ""
        pg.goto(f"{base}/map/?year={w.year}{screen}")
        pg.wait_for_selector("[data-testid=chart-map] canvas")
        pg.wait_for_function(
            "() => echarts.getInstanceByDom(document.getElementById('chart-map'))"
            ".getOption().series.length > 1"
        )
        for chart in ("chart-streams", "chart-codes", "chart-monthly"):
            assert pg.locator(f"[data-testid={chart}] canvas").count() >= 1
        assert "0.500" in pg.inner_text("[data-testid=kpi-generate]")
        pg.wait_for_timeout(1500)  # let the charts' entry animation finish
        pg.screenshot(path=str(artifacts / f"dashboard-map-{name}.png"))
        assert not errors, errors
        context.close()

    errors = watch_errors(page)
    log_in(page, base, "reg108")
    page.goto(f"{base}/map/?year={w.year}")
    page.click("[data-testid=drill-region]")
    page.wait_for_selector("[data-testid=region-page]")
    page.click(f"[data-testid=enterprise-link] >> text={w.shipper.name}")
    page.wait_for_selector("[data-testid=enterprise-page]")
    assert w.moving.number in page.inner_text("[data-testid=manifests]")
    page.screenshot(path=str(artifacts / "dashboard-enterprise.png"), full_page=True)

    page.goto(f"{base}/map/?year={w.year}")
    page.click("[data-testid=warnings-high]")
    page.click(f"a[href='/alerts/{w.alert.pk}/']")
    page.fill("textarea[required]", "已电话督促接收单位确认，并现场核查。")
    page.click("[data-testid=alert-close]")
    page.wait_for_load_state()
    w.alert.refresh_from_db()
    assert w.alert.status == "closed"
    assert not errors, errors
