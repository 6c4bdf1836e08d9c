"""The missing-filing warning: deadlines of the tier calendar passed with nothing submitted."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from tests.ledger import ledger_world as lw
from wufei.alerts.rulebook import RULES, Finding
from wufei.alerts.rules import filing_rules  # noqa: F401  (registers the rule)
from wufei.ledger.filing_models import FilingSubmission
from wufei.ledger.models import SupervisionBasis

NOW = timezone.make_aware(datetime(2025, 4, 16, 10))


@pytest.fixture
def w(db):
    w = lw.build_world()
    # 甲化工 has an in-house kiln: key supervision, monthly declarations (HJ 1259 4.2.1, 7.2.1)
    SupervisionBasis.objects.create(organisation=w.prod, operating_since=date(2020, 1, 1))
    return w


def find(ids: frozenset[int] | None = None, now: datetime = NOW) -> dict[str, Finding]:
    found = RULES["filing_missing"].find(now=now, thresholds={}, organisation_ids=ids)
    return {f.key: f for f in found}


def key(w, kind: str, period: str) -> str:
    return f"filing:{w.prod.pk}:{kind}:{period}"


def submit(w, kind: str, period: str, due: date, on: date) -> None:
    FilingSubmission.objects.create(
        organisation=w.prod,
        kind=kind,
        period=period,
        due_on=due,
        submitted_at=timezone.make_aware(datetime(on.year, on.month, on.day, 23)),
        submitted_by=w.alice,
    )


def test_missing_monthly_declaration_medium_then_high(w):
    found = find()
    march = found[key(w, "monthly", "2025-03")]
    assert march.severity == "medium" and march.facts["days_late"] == 1  # due 15 April
    assert march.organisation_id == w.prod.pk and march.region_code == w.prod.region_id
    assert march.facts["clause"] == "HJ 1259-2022 7.2.1"
    assert found[key(w, "monthly", "2025-02")].severity == "high"  # 32 days late
    assert found[key(w, "annual", "2024")].severity == "medium"  # due 31 March, 16 days
    assert found[key(w, "management_plan", "2025")].facts["due"] == "2025-03-31"
    assert "2025-03" in RULES["filing_missing"].describe(march.facts)
    assert march.evidence[0].url.endswith(f"/{w.prod.uscc}/tier/")


def test_not_late_on_the_due_day(w):
    on_due_day = timezone.make_aware(datetime(2025, 4, 15, 20))
    assert key(w, "monthly", "2025-03") not in find(now=on_due_day)


def test_submitted_on_the_deadline_is_not_missing(w):
    submit(w, "monthly", "2025-03", date(2025, 4, 15), date(2025, 4, 15))
    found = find()
    assert key(w, "monthly", "2025-03") not in found
    assert key(w, "monthly", "2025-02") in found


def test_units_without_a_known_start_and_scope(w, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        found = find()
    assert all(f.organisation_id == w.prod.pk for f in found.values())  # 乙电镀 has no ledger
    assert find(ids=frozenset({w.other.pk})) == {}
    assert find(ids=frozenset({w.prod.pk})).keys() == found.keys()


def test_nothing_due_before_the_unit_began(w):
    SupervisionBasis.objects.filter(organisation=w.prod).update(operating_since=date(2025, 4, 1))
    found = find()
    assert key(w, "management_plan", "2025") not in found  # due 31 March, before it began
    assert key(w, "monthly", "2025-03") in found
