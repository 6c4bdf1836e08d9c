"""In Chromium: a member opens a warning, acknowledges it, adds a note and closes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.alerts.conftest import FAKE, FakeRule, finding
from tests.registry.factories import PASSWORD, make_member, make_org, make_user
from wufei.accounts.models import MembershipRole
from wufei.alerts.engine import alerts_sweep
from wufei.alerts.models import Alert, AlertStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_handles_a_warning_in_the_browser(
    page: Any, live_server: Any, transactional_db: Any, fake_rule: FakeRule, artifacts: Path
) -> None:
    call_command("load_catalogs", verbosity=0)
    org = make_org(is_producer=True)
    user = make_user("alert_member")
    make_member(user, org, MembershipRole.MEMBER)
    fake_rule.found = [finding(org, "manifest:1", facts={"number": "HW-0001"})]
    alerts_sweep(rule_codes=[FAKE])
    alert = Alert.objects.get(rule=FAKE)
    base = live_server.url

    page.goto(f"{base}/login/")
    page.fill("#id_username", "alert_member")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/alerts/")
    page.screenshot(path=str(artifacts / "alerts-list.png"), full_page=True)
    page.click(f"a[href='/alerts/{alert.pk}/']")
    page.click("[data-testid=alert-acknowledge]")
    page.wait_for_load_state()
    page.fill("form:has([data-testid=alert-note]) textarea", "已联系接收单位")
    page.click("[data-testid=alert-note]")
    page.wait_for_load_state()
    page.fill("form:has([data-testid=alert-close]) textarea", "接收单位已补签")
    page.screenshot(path=str(artifacts / "alerts-detail.png"), full_page=True)
    page.click("[data-testid=alert-close]")
    page.wait_for_load_state()
    assert "已关闭" in page.inner_text("[data-testid=alert-status]")
    assert "接收单位已补签" in page.inner_text("[data-testid=alert-timeline]")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
