"""Entering inputs: who may, what is refused, history kept; values computed idempotently."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.registry.factories import make_member, make_org, make_regulator, make_user
from wufei.accounts.viewer import viewer_for
from wufei.core.errors import NotPermitted, ValidationFailed
from wufei.indicators.models import IndicatorValue, StatInput
from wufei.indicators.services import indicator_values_compute, stat_input_enter
from wufei.registry.models import Region


@pytest.fixture
def binjiang(db):
    return Region.objects.get(code="330108")


def enter(viewer, region, **kw):
    args: dict[str, Any] = {
        "year": 2023,
        "key": "gi_sw_generated_t",
        "value": "5.64",
        "unit": "万吨",
        "source": "统计公报 2023 表3",
    }
    args.update(kw)
    return stat_input_enter(viewer=viewer, region=region, **args)


def test_an_enterprise_member_cannot_enter(indicators, binjiang):
    user = make_user()
    make_member(user, make_org(is_producer=True))
    with pytest.raises(NotPermitted):
        enter(viewer_for(user), binjiang)


def test_a_regulator_of_another_district_cannot_enter(indicators, binjiang):
    beijing = make_regulator("dongcheng", "110101")
    with pytest.raises(NotPermitted):
        enter(viewer_for(beijing), binjiang)
    assert not StatInput.objects.exists()


def test_a_city_regulator_and_an_admin_may_enter(indicators, binjiang):
    enter(viewer_for(make_regulator("hz", "330100")), binjiang)
    enter(viewer_for(make_user(superuser=True)), binjiang, value="5.65")
    assert StatInput.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit": "亿元"}, "unit"),
        ({"value": "-1"}, "value"),
        ({"value": "abc"}, "value"),
        ({"year": 2999}, "year"),
        ({"source": "  "}, "source"),
        ({"key": "nonsense"}, "key"),
        ({"key": "circular_economy_14fyp:4", "unit": "t"}, "unit"),
    ],
)
def test_refusals(indicators, binjiang, change, field):
    regulator = viewer_for(make_regulator("bj", "330108"))
    with pytest.raises(ValidationFailed) as exc:
        enter(regulator, binjiang, **change)
    assert exc.value.field == field


def test_history_is_kept_and_the_latest_wins(indicators, binjiang):
    regulator = viewer_for(make_regulator("bj", "330108"))
    enter(regulator, binjiang, key="gi_sw_utilised_t", value="5.60")
    enter(regulator, binjiang)  # generated 5.64 万吨
    v = IndicatorValue.objects.get(indicator__code="N2.1.1", region=binjiang, year=2023)
    assert v.value == Decimal("99.29")  # 5.60 / 5.64 = 0.992907… → 99.29
    enter(regulator, binjiang, key="gi_sw_utilised_t", value="5.64", source="更正：统计年鉴")
    v.refresh_from_db()
    assert v.value == Decimal("100.00")
    assert StatInput.objects.filter(key="gi_sw_utilised_t").count() == 2  # both kept


def test_an_indicator_entered_directly(indicators, binjiang):
    regulator = viewer_for(make_regulator("bj", "330108"))
    enter(regulator, binjiang, key="circular_economy_14fyp:4", value="45.5", unit="%")
    v = IndicatorValue.objects.get(
        indicator__set__code="circular_economy_14fyp", indicator__code="4", region=binjiang
    )
    assert (v.status, v.value) == ("entered", Decimal("45.5"))


def test_without_data_every_value_is_missing_never_zero(indicators, binjiang):
    indicator_values_compute(region=binjiang, year=2022)
    values = IndicatorValue.objects.filter(region=binjiang, year=2022)
    assert values.exists()
    assert set(values.values_list("status", flat=True)) == {"missing"}
    assert not values.filter(value__isnull=False).exists()


def test_computing_twice_changes_nothing(indicators, binjiang):
    enter(viewer_for(make_regulator("bj", "330108")), binjiang)
    assert indicator_values_compute(region=binjiang, year=2023) == 0
