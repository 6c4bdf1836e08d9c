"""Stock warnings: batches stored too long, stores beyond capacity, generation out of line."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.ledger import ledger_world as lw
from wufei.alerts.rulebook import RULES
from wufei.alerts.rules import stock_rules
from wufei.domain.alert_stock import month_start, months_back
from wufei.ledger.filing_models import ManagementPlan, ManagementPlanLine
from wufei.ledger.models import EventKind

KG = 1000


@pytest.fixture
def w(db):
    return lw.build_world()


def find(code: str, *, ids: frozenset[int] | None = None, **thresholds: int) -> list:
    rule = RULES[code]
    return list(rule.find(now=timezone.now(), thresholds=thresholds, organisation_ids=ids))


def stored(w, days: int, grams: int = 100 * KG, facility=None):
    gen = lw.record(w, EventKind.GENERATE, occurred_at=lw.days_ago(days + 1), quantity_g=grams)
    return lw.record(
        w,
        EventKind.STORE_IN,
        occurred_at=lw.days_ago(days),
        quantity_g=grams,
        source=gen,
        facility=facility or w.store,
    )


def test_rules_are_registered():
    assert isinstance(RULES["storage_overdue"], stock_rules.StorageOverdue)
    assert "第八十一条" in str(RULES["storage_overdue"].source)
    assert "第七十八条" in str(RULES["generation_anomaly"].source)


# --- storage_overdue ------------------------------------------------------------------------


def test_storage_overdue_high_after_a_year(w):
    batch = stored(w, 366)
    (found,) = find("storage_overdue")
    assert found.key == f"facility:{w.store.pk}"
    assert found.severity == "high" and found.organisation_id == w.prod.pk
    assert found.facility_id == w.store.pk and found.region_code == w.store.region_id
    assert found.facts["days"] == 366 and found.facts["over_limit"] == 1
    assert found.facts["tonnes"] == "0.100"
    kinds = [(e.kind, e.id) for e in found.evidence]
    assert ("facility", str(w.store.pk)) in kinds and ("ledger_event", str(batch.pk)) in kinds
    assert "366" in RULES["storage_overdue"].describe(found.facts)


def test_storage_overdue_near_misses(w):
    stored(w, 364)
    (found,) = find("storage_overdue")
    assert found.severity == "medium" and found.facts["over_limit"] == 0
    assert find("storage_overdue", warn_days=365) == []


def test_storage_overdue_silent_before_the_warning_and_once_taken_out(w):
    stored(w, 329)
    assert find("storage_overdue") == []
    old = stored(w, 400)
    assert len(find("storage_overdue")) == 1
    lw.record(w, EventKind.STORE_OUT, occurred_at=lw.days_ago(1), source=old, quantity_g=100 * KG)
    assert find("storage_overdue") == []


def test_storage_overdue_honours_scope_and_configured_limit(w):
    stored(w, 200)
    assert find("storage_overdue") == []
    assert len(find("storage_overdue", limit_days=180, warn_days=150)) == 1
    assert find("storage_overdue", ids=frozenset({w.other.pk}), limit_days=180) == []
    assert len(find("storage_overdue", ids=frozenset({w.prod.pk}), limit_days=180)) == 1


def test_storage_overdue_query_count(w, django_assert_max_num_queries):
    for days in (370, 380, 390):
        stored(w, days)
    with django_assert_max_num_queries(2):
        (found,) = find("storage_overdue")
    assert found.facts["batches"] == 3


# --- storage_over_capacity ------------------------------------------------------------------


def capacity(w, tonnes: str) -> None:
    w.store.storage_capacity_t = Decimal(tonnes)
    w.store.save()


def test_capacity_101_percent_is_high(w):
    capacity(w, "1")
    stored(w, 5, grams=1_010 * KG)
    (found,) = [f for f in find("storage_over_capacity") if f.facility_id == w.store.pk]
    assert found.severity == "high" and found.key == f"facility:{w.store.pk}"
    assert found.facts["percent"] == 101 and found.facts["stock_t"] == "1.010"
    assert "101%" in RULES["storage_over_capacity"].describe(found.facts)


def test_capacity_89_percent_is_silent_90_medium(w):
    capacity(w, "1")
    stored(w, 5, grams=890 * KG)
    assert [f for f in find("storage_over_capacity") if f.facility_id == w.store.pk] == []
    stored(w, 4, grams=10 * KG)
    (found,) = [f for f in find("storage_over_capacity") if f.facility_id == w.store.pk]
    assert found.severity == "medium"


def test_capacity_unknown_is_not_judged_and_scope(w, django_assert_max_num_queries):
    capacity(w, "1")
    stored(w, 5, grams=2_000 * KG)
    assert find("storage_over_capacity", ids=frozenset({w.other.pk})) == []
    with django_assert_max_num_queries(3):
        assert len(find("storage_over_capacity")) == 1
    w.store.storage_capacity_t = None
    w.store.save()
    assert find("storage_over_capacity") == []


# --- generation_anomaly ---------------------------------------------------------------------


def in_month(months_ago: int, day: int = 10) -> datetime:
    first = months_back(month_start(timezone.localdate()), months_ago)
    return timezone.make_aware(datetime(first.year, first.month, day, 9))


def history(w, *, current_kg: int, months: int = 6, each_kg: int = 500) -> None:
    for ago in range(2, 2 + months):
        lw.record(w, EventKind.GENERATE, occurred_at=in_month(ago), quantity_g=each_kg * KG)
    lw.record(w, EventKind.GENERATE, occurred_at=in_month(1), quantity_g=current_kg * KG)


def test_generation_above_three_times_the_median(w, django_assert_max_num_queries):
    history(w, current_kg=1_600)
    with django_assert_max_num_queries(4):
        (found,) = find("generation_anomaly")
    judged = months_back(month_start(timezone.localdate()), 1)
    assert found.key == f"organisation:{w.prod.pk}:{judged:%Y-%m}"
    assert found.facts["direction"] == "above" and found.facts["median_t"] == "0.500"
    assert found.facts["months"] == 6
    assert "0.500" in RULES["generation_anomaly"].describe(found.facts)
    assert find("generation_anomaly", ids=frozenset({w.other.pk})) == []


def test_generation_within_three_times_is_silent(w):
    history(w, current_kg=1_400)
    assert find("generation_anomaly") == []


def test_generation_needs_six_months_of_history(w):
    history(w, current_kg=5_000, months=5)
    assert find("generation_anomaly") == []


def test_generation_below_a_third(w):
    history(w, current_kg=100)
    (found,) = find("generation_anomaly")
    assert found.facts["direction"] == "below"


def plan(w, tonnes: int) -> None:
    year = months_back(month_start(timezone.localdate()), 1).year
    p = ManagementPlan.objects.create(
        organisation=w.prod, year=year, submitted_at=timezone.now(), submitted_by=w.alice
    )
    ManagementPlanLine.objects.create(plan=p, waste_code=w.oil, planned_g=tonnes * 1_000_000)


def test_generation_above_the_plan_pro_rata(w):
    history(w, current_kg=600)
    plan(w, 1)
    (found,) = find("generation_anomaly")
    assert found.key.endswith(f":plan:{found.facts['year']}")
    assert found.severity == "high"  # more than the whole year's plan
    assert "1.000" in RULES["generation_anomaly"].describe(found.facts)


def test_generation_within_the_plan_is_silent(w):
    history(w, current_kg=600)
    plan(w, 100)
    assert find("generation_anomaly") == []


def test_the_engine_raises_and_resolves_storage_overdue(w):
    from wufei.alerts.engine import alerts_sweep
    from wufei.alerts.models import Alert

    batch = stored(w, 366)
    first = alerts_sweep(rule_codes=["storage_overdue"])
    assert first.raised == 1 and first.rules_failed == []
    alert = Alert.objects.get(rule="storage_overdue")
    assert alert.organisation == w.prod and alert.severity == "high"
    assert alerts_sweep(rule_codes=["storage_overdue"]).refreshed == 1
    lw.record(w, EventKind.STORE_OUT, occurred_at=lw.days_ago(1), source=batch, quantity_g=100 * KG)
    assert alerts_sweep(rule_codes=["storage_overdue"]).resolved == 1


def test_received_waste_held_by_an_operating_unit(w):
    received = lw.record(
        w,
        EventKind.RECEIVE,
        actor=None,
        organisation=w.plant,
        facility=w.plant_inc,
        occurred_at=lw.days_ago(370),
        quantity_g=200 * KG,
    )
    (found,) = find("storage_overdue", ids=frozenset({w.plant.pk}))
    assert found.severity == "high" and found.facts["operating_unit"] == 1
    assert found.evidence[1].id == str(received.pk)
