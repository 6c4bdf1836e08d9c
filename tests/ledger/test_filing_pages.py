"""Filing pages: the calendar with its statuses, submitting a declaration, filing a plan."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.ledger import ledger_world as lw
from wufei.domain.alert_stock import month_start, months_back
from wufei.ledger.filing_models import FilingSubmission, ManagementPlan
from wufei.ledger.models import SupervisionBasis

pytestmark = pytest.mark.urls("tests.ledger.filing_test_urls")  # until the lead mounts them


@pytest.fixture
def w(db):
    w = lw.build_world()
    SupervisionBasis.objects.create(organisation=w.prod, operating_since=date(2020, 1, 1))
    return w


def url(w, name: str = "list") -> str:
    return reverse(f"filings:{name}", kwargs={"uscc": w.prod.uscc})


def last_month() -> str:
    return f"{months_back(month_start(timezone.localdate()), 1):%Y-%m}"


def test_calendar_and_submit(w):
    client = lw.browser(w.alice)
    page = client.get(url(w))
    assert page.status_code == 200
    html = page.content.decode()
    label = last_month()
    assert f'data-testid="submit-monthly-{label}"' in html  # 甲化工 is key-supervised (kiln)
    answer = client.post(url(w), {"kind": "monthly", "period": label})
    assert answer.status_code == 302
    assert FilingSubmission.objects.filter(organisation=w.prod, period=label).exists()
    html = client.get(url(w)).content.decode()
    assert f'data-testid="submit-monthly-{label}"' not in html
    again = client.post(url(w), {"kind": "monthly", "period": label})
    assert again.status_code == 200 and 'data-testid="filing-error"' in again.content.decode()


def test_plan_form(w):
    client = lw.browser(w.alice)
    year = timezone.localdate().year
    bad = client.post(url(w, "plan"), {"year": year, "code_0": "999-999-99", "tonnes_0": "1"})
    assert bad.status_code == 200 and not ManagementPlan.objects.exists()
    good = client.post(url(w, "plan"), {"year": year, "code_0": w.oil.code, "tonnes_0": "12.5"})
    assert good.status_code == 302
    plan = ManagementPlan.objects.get(organisation=w.prod, year=year)
    assert plan.lines.get().planned_g == 12_500_000
    assert f'data-testid="plan-{year}"' in client.get(url(w)).content.decode()


def test_who_sees_and_who_files(w):
    assert lw.browser(w.bob).get(url(w)).status_code == 404  # another producer
    assert lw.browser(w.nobody).get(url(w)).status_code == 404
    regulator = lw.browser(w.reg108)
    page = regulator.get(url(w))
    assert page.status_code == 200 and "submit-monthly" not in page.content.decode()
    assert regulator.post(url(w), {"kind": "monthly", "period": last_month()}).status_code == 404
    assert regulator.get(url(w, "plan")).status_code == 404
    assert lw.browser(w.reader).post(url(w, "plan"), {"year": 2025}).status_code == 404
    assert not FilingSubmission.objects.exists()
