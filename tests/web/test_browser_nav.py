"""In Chromium: the top bar stays on one line on a 1280 px laptop, the less-used entries open
from "更多" with the keyboard, each role is offered only its own entries, and on a phone every
entry is still reachable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser_harness import log_in, watch_errors
from tests.registry.factories import make_member, make_org, make_regulator, make_user
from wufei.accounts.models import RegulatorScope
from wufei.registry.regions import region_resolve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_LINE = """() => {
  const boxes = [...document.querySelectorAll('.topbar > .brand, .mainnav > *, .topbar > .tools')]
    .map(e => e.getBoundingClientRect());
  return Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom));
}"""
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def people(transactional_db: Any) -> dict[str, str]:
    call_command("load_catalogs", verbosity=0)
    make_regulator("reg_nav", "330108")
    boss = make_user("boss_nav", superuser=True)  # sees every entry, with two role badges
    RegulatorScope.objects.create(
        user=boss, region=region_resolve("330108"), authority="生态环境局"
    )
    producer = make_user("producer_nav")
    make_member(producer, make_org(is_producer=True))
    return {"regulator": "reg_nav", "admin": "boss_nav", "producer": "producer_nav"}


def menu(pg: Any) -> dict[str, list[str]]:
    """The menu's entries by address: shown in the bar, and behind "更多"."""
    return {
        "bar": pg.eval_on_selector_all(
            ".mainnav > a", "links => links.map(a => a.getAttribute('href'))"
        ),
        "more": pg.eval_on_selector_all(
            ".mainnav .navmore a", "links => links.map(a => a.getAttribute('href'))"
        ),
    }


def paths(entries: dict[str, list[str]]) -> set[str]:
    return {h for hs in entries.values() for h in hs}


def test_the_bar_fits_a_laptop_and_more_opens_with_the_keyboard(
    page: Any, live_server: Any, people: dict[str, str], artifacts: Path
) -> None:
    errors = watch_errors(page)
    base = live_server.url
    for who in ("regulator", "admin", "producer"):
        log_in(page, base, people[who])
        page.screenshot(path=str(artifacts / f"nav-1280-{who}.png"))
        assert page.evaluate(ONE_LINE), f"the {who}'s top bar wraps at 1280 px"
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
        entries = menu(page)
        assert "/catalog/" in entries["bar"] and "/manifests/" in entries["bar"]
        shown = paths(entries)
        assert len(shown) == sum(len(v) for v in entries.values())  # no entry twice
        if who == "producer":
            assert not shown & {"/map/", "/bulletin/inventory/", "/bulletin/", "/admin/"}
            assert "/labels/" in shown
        elif who == "regulator":
            assert {"/map/", "/bulletin/inventory/", "/bulletin/"} <= shown
            assert not shown & {"/labels/", "/admin/"}
        else:
            assert {"/map/", "/labels/", "/admin/", "/bulletin/"} <= shown
            assert len(shown) == 16

    # The regulator opens "更多" from the keyboard and follows an entry behind it.
    log_in(page, base, people["regulator"])
    more = page.locator(".navmore > summary")
    assert more.inner_text().startswith("更多")
    inside = page.locator(".navmore a").first
    assert not inside.is_visible()
    more.focus()
    page.keyboard.press("Enter")
    assert inside.is_visible()
    assert page.evaluate(ONE_LINE)  # the open menu lies over the page, the bar stays put
    page.screenshot(path=str(artifacts / "nav-1280-regulator-more-open.png"))
    page.keyboard.press("Escape")
    assert not inside.is_visible()
    assert page.evaluate("() => document.activeElement.matches('.navmore > summary')")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    target = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert target == inside.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{target}*")
    # the page reached through "更多" marks "更多" as where one is
    assert page.locator(".navmore a.active").count() == 1
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('.navmore > summary')).backgroundColor"
    ) != page.evaluate(
        "() => getComputedStyle(document.querySelector('.mainnav > a:not(.active)'))"
        ".backgroundColor"
    )
    # a click elsewhere closes the menu
    more.click()
    assert inside.is_visible()
    page.click("main")
    assert not inside.is_visible()

    # The regulator's bar fits in English too.
    page.goto(f"{base}/")
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    assert more.inner_text().startswith("More")
    assert page.evaluate(ONE_LINE), "the English top bar wraps at 1280 px"
    page.screenshot(path=str(artifacts / "nav-1280-regulator-en.png"))
    assert errors == []


def test_on_a_phone_every_entry_is_reachable(
    browser: Any, live_server: Any, people: dict[str, str], artifacts: Path
) -> None:
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    errors = watch_errors(pg)
    log_in(pg, base, people["admin"])
    assert pg.evaluate(NO_SIDEWAYS_SCROLL)
    pg.locator(".navmore > summary").tap()
    links = pg.locator(".mainnav a")
    assert links.count() == 16
    for link in links.all():
        box = link.bounding_box()
        on_screen = box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert link.is_visible() and on_screen, link.get_attribute("href")
    assert pg.evaluate(NO_SIDEWAYS_SCROLL)
    pg.screenshot(path=str(artifacts / "nav-390-admin-more-open.png"), full_page=True)
    pg.locator(".navmore a", has_text="固体废物信息公告").tap()
    pg.wait_for_url(f"{base}/bulletin/")
    assert errors == []
    context.close()
