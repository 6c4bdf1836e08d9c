"""Inputs from the spine: hand-counted from a small network; the spine wins, both are shown."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from tests.transfer.network import build_network, lifecycle
from wufei.accounts.viewer import viewer_for
from wufei.indicators.inputs_resolution import resolve_indicator
from wufei.indicators.models import Indicator, IndicatorValue
from wufei.indicators.services import indicator_values_compute, stat_input_enter
from wufei.indicators.spine_inputs import spine_inputs_for
from wufei.registry.models import Region


def test_spine_inputs_by_hand(indicators):
    w = build_network()  # 3 containers of 100 kg generated at 甲化工 (330108)
    lifecycle(w)  # 250 kg shipped, received and incinerated (D10) this year
    year = timezone.localdate().year
    values = spine_inputs_for(region=Region.objects.get(code="330108"), year=year)
    assert values == {
        "hw_generated_t": Decimal("0.3"),
        "hw_transferred_t": Decimal("0.25"),
        "hw_disposed_t": Decimal("0.25"),
        "hw_utilised_t": Decimal("0"),  # records exist, none utilised: a true zero
        "hw_landfilled_t": Decimal("0"),
        "medical_waste_collected_t": None,  # no medical manifest: no data, not zero
    }
    # the receiver's district produced nothing on the spine: missing, not zero
    xiaoshan = spine_inputs_for(region=Region.objects.get(code="330109"), year=year)
    assert set(xiaoshan.values()) == {None}
    # a city includes its districts
    assert spine_inputs_for(region=Region.objects.get(code="330100"), year=year) == values


def test_the_spine_value_is_used_and_an_entered_one_shown_beside_it(indicators):
    w = build_network()
    lifecycle(w)
    year = timezone.localdate().year
    binjiang = Region.objects.get(code="330108")
    stat_input_enter(
        viewer=viewer_for(w.reg108),
        region=binjiang,
        year=year,
        key="hw_generated_t",
        value="1",
        unit="t",
        source="环境统计年报",
    )
    indicator = Indicator.objects.get(set__code="zero_waste_blueprint_local", code="L2.2")
    v = IndicatorValue.objects.get(indicator=indicator, region=binjiang, year=year)
    assert (v.status, v.value) == ("computed", Decimal("0.00"))  # 0 utilised of 0.3 t generated
    used = v.inputs["inputs"]["hw_generated_t"]
    assert used["from"] == "spine" and used["value"] == "0.3"
    assert used["entered_also"]["value"] == "1"
    assert indicator_values_compute(region=binjiang, year=year) == 0


def test_an_entered_value_is_used_where_the_spine_has_no_records(indicators):
    build_network()
    binjiang = Region.objects.get(code="330108")
    indicator = Indicator.objects.get(set__code="zero_waste_blueprint_local", code="L1.1.2")
    resolved = resolve_indicator(indicator=indicator, region=binjiang, year=2021, spine={})
    assert resolved.status == "missing" and resolved.snapshot["missing"] == ["hw_generated_t"]
