"""Submitting declarations and management plans: totals from the ledger, once per period."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.ledger import ledger_world as lw
from wufei.accounts.viewer import viewer_for
from wufei.core.audit_models import AuditEvent
from wufei.core.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from wufei.domain.alert_stock import month_start, months_back
from wufei.ledger.filing_models import FilingSubmission, ManagementPlan
from wufei.ledger.filing_services import PlanLineInput, filing_submit, management_plan_submit
from wufei.ledger.models import EventKind

KG = 1000


@pytest.fixture
def w(db):
    return lw.build_world()


def last_month() -> str:
    first = months_back(month_start(timezone.localdate()), 1)
    return f"{first:%Y-%m}"


def submit(w, user=None, kind: str = "monthly", period: str | None = None):
    user = user or w.alice
    return filing_submit(
        viewer=viewer_for(user),
        actor=user,
        organisation=w.prod,
        kind=kind,
        period=period or last_month(),
    )


def test_monthly_declaration_carries_the_ledger_totals(w):
    first = months_back(month_start(timezone.localdate()), 1)
    at = timezone.make_aware(datetime(first.year, first.month, 5, 9))
    lw.record(w, EventKind.GENERATE, occurred_at=at, quantity_g=300 * KG)
    lw.record(w, EventKind.GENERATE, occurred_at=at - timedelta(days=40), quantity_g=50 * KG)
    filing = submit(w)
    assert filing.period == last_month() and filing.kind == "monthly"
    assert filing.due_on == months_back(first, -1).replace(day=15)
    (line,) = filing.content["codes"]
    assert line["waste_code"] == w.oil.code
    assert (line["opening_g"], line["generated_g"], line["closing_g"]) == (
        50 * KG,
        300 * KG,
        350 * KG,
    )
    assert AuditEvent.objects.filter(
        action="ledger.filing_submit", subject_id=str(filing.pk)
    ).exists()


def test_a_period_is_filed_once(w):
    submit(w)
    with pytest.raises(Conflict):
        submit(w)
    assert FilingSubmission.objects.count() == 1


def test_periods_not_over_and_bad_periods_are_refused(w):
    this_month = f"{timezone.localdate():%Y-%m}"
    with pytest.raises(ValidationFailed) as error:
        submit(w, period=this_month)
    assert error.value.code == "future_period"
    with pytest.raises(ValidationFailed):
        submit(w, period="2024-13")
    with pytest.raises(ValidationFailed):
        submit(w, kind="management_plan", period="2024")


def test_only_the_units_members_file(w):
    with pytest.raises(NotFound):
        submit(w, user=w.bob)  # another producer does not see this ledger
    with pytest.raises(NotPermitted):
        submit(w, user=w.reader)  # read-only member
    with pytest.raises(NotPermitted):
        submit(w, user=w.reg108)  # the regulator sees, does not file
    assert FilingSubmission.objects.count() == 0


def plan(w, year: int, lines=None, user=None):
    user = user or w.alice
    return management_plan_submit(
        viewer=viewer_for(user),
        actor=user,
        organisation=w.prod,
        year=year,
        lines=lines if lines is not None else [PlanLineInput(w.oil, 12_000 * KG)],
    )


def test_management_plan_is_filed_with_its_calendar_entry(w):
    year = timezone.localdate().year
    p = plan(w, year)
    assert [(line.waste_code, line.planned_g) for line in p.lines.all()] == [(w.oil, 12_000 * KG)]
    filing = FilingSubmission.objects.get(kind="management_plan")
    assert filing.period == str(year) and filing.due_on.isoformat() == f"{year}-03-31"
    with pytest.raises(Conflict):
        plan(w, year)
    assert ManagementPlan.objects.count() == 1


def test_management_plan_checks(w):
    year = timezone.localdate().year
    with pytest.raises(ValidationFailed):
        plan(w, year, lines=[])
    with pytest.raises(ValidationFailed):
        plan(w, year, lines=[PlanLineInput(w.oil, 1), PlanLineInput(w.oil, 2)])
    with pytest.raises(ValidationFailed):
        plan(w, year, lines=[PlanLineInput(w.oil, 0)])
    with pytest.raises(ValidationFailed):
        plan(w, year + 2)
    with pytest.raises(NotPermitted):
        plan(w, year, user=w.reader)


def test_demo_filings(w):
    import random

    from wufei.ledger.filing_demo import filings_demo_seed

    year = timezone.localdate().year - 1
    for month in (2, 5, 9):
        at = timezone.make_aware(datetime(year, month, 3, 9))
        lw.record(w, EventKind.GENERATE, occurred_at=at, quantity_g=400 * KG)
    always = random.Random(7)
    always.random = lambda: 0.0  # type: ignore[method-assign]  # every filing on time
    written = filings_demo_seed(rng=always, year=year)
    # 甲化工 is key-supervised: 12 monthly + annual + plan, all due in `year`
    assert written == 14
    monthly = FilingSubmission.objects.get(kind="monthly", period=f"{year}-02")
    assert monthly.content["codes"] == [{"waste_code": w.oil.code, "generated_g": 400 * KG}]
    assert monthly.submitted_at.date() <= monthly.due_on
    plan = ManagementPlan.objects.get(organisation=w.prod, year=year)
    assert plan.lines.get().planned_g == 840 * KG  # a draw of 0 under-plans: 70 % of 1.2 t
