"""Warnings from the alerts engine feed the credit rating and the risk grade."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.ledger.ledger_world import build_world
from wufei.alerts.models import Alert
from wufei.domain.credit_rating import CreditLevel
from wufei.enforcement.selectors import credit_rating_for, risk_grade_for
from wufei.registry.models import Organisation

pytestmark = pytest.mark.django_db


def _alert(
    org: Organisation, rule: str, severity: str, raised: datetime, closed: datetime | None
) -> None:
    Alert.objects.create(
        rule=rule,
        key=f"{rule}:{raised.isoformat()}",
        severity=severity,
        status="closed" if closed else "open",
        organisation=org,
        region=org.region,
        raised_at=raised,
        last_seen_at=raised,
        closed_at=closed,
    )


def test_alerts_deduct_and_grade() -> None:
    w = build_world()
    raised = timezone.make_aware(datetime(2023, 3, 1, 9))
    _alert(w.prod, "receipt_overdue", "high", raised, raised + timedelta(days=3))  # −4
    _alert(w.prod, "storage_overdue", "medium", raised, raised + timedelta(days=40))  # −4
    _alert(w.prod, "filing_missing", "critical", raised, None)  # open at year end: −16
    _alert(w.other, "receipt_overdue", "critical", raised, None)  # another unit: ignored
    rating = credit_rating_for(organisation=w.prod, year=2023)
    assert sorted(d.points for d in rating.deductions) == [4, 4, 16]
    assert (rating.score, rating.level) == (76, CreditLevel.GOOD)
    grade = risk_grade_for(organisation=w.prod, year=2023)
    points = {f.code: f.points for f in grade.factors}
    # one storage warning in 2023 → 2; two other warnings → 2
    assert (points["storage"], points["warnings"]) == (2, 2)
    assert credit_rating_for(organisation=w.prod, year=2022).score == 100
