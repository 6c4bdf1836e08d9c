"""In Chromium: a regulator opens /flows/ and the industry chain; the ECharts canvases render
without console errors, and the screenshots are saved for a look."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.browser_harness import log_in, watch_errors
from tests.flows.world import build_flow_world, period_params
from tests.transfer.network import KG, lifecycle
from wufei.transfer.models import ManifestLine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def flow_net(transactional_db: Any) -> Any:
    call_command("load_catalogs", verbosity=0)
    w = build_flow_world()
    lifecycle(w, weight_g=200 * KG, containers=w.containers[:2])
    held_back = lifecycle(w, containers=[], weight_g=60 * KG)
    ManifestLine.objects.filter(manifest=held_back).update(treated_weight_g=None)
    return w


def test_the_sankey_and_the_chain_render(
    page: Any, live_server: Any, flow_net: Any, artifacts: Path
) -> None:
    errors = watch_errors(page)
    base = live_server.url
    log_in(page, base, "reg108")
    query = urlencode(period_params() | {"level": "enterprise"})
    page.goto(f"{base}/flows/?{query}")
    page.wait_for_selector("#flow-sankey[data-rendered='1'] canvas")
    assert page.inner_text("[data-testid=flow-unexplained]") == "0.060"
    box = page.locator("#flow-sankey canvas").bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 400
    page.screenshot(path=str(artifacts / "flows-sankey.png"), full_page=True)

    # the year's page reads the maintained aggregates: the same unexplained mass
    page.goto(f"{base}/flows/?year={timezone.localdate().year}&level=enterprise")
    page.wait_for_selector("#flow-sankey[data-rendered='1'] canvas")
    assert page.inner_text("[data-testid=flow-unexplained]") == "0.060"

    page.goto(f"{base}/flows/chains/?{urlencode(period_params())}")
    page.wait_for_selector("#chain-sankey[data-rendered='1'] canvas")
    page.wait_for_selector("#chain-series[data-rendered='1'] canvas")
    page.screenshot(path=str(artifacts / "flows-chain.png"), full_page=True)
    assert errors == []
