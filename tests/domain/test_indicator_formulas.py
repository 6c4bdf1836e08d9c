"""Every shipped formula against hand-computed values; missing inputs are Missing, never 0."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wufei.domain.indicator_formulas import FORMULAS, Computed, Missing, evaluate, rate_truncated
from wufei.domain.indicator_inputs import INPUT_KEYS, UnitRefused, canonical_value


def value(key: str, **inputs: str) -> Decimal:
    outcome = evaluate(key, {k: Decimal(v) for k, v in inputs.items()})
    assert isinstance(outcome, Computed), outcome
    return outcome.value


def test_every_formula_reads_only_known_inputs_and_has_a_definition():
    for spec in FORMULAS.values():
        assert spec.definition, spec.key
        assert set(spec.inputs) <= set(INPUT_KEYS), spec.key


def test_rates_are_truncated_not_rounded():
    # 291.83 / 292.36 = 0.9981872…: half-up would say 99.82, the source says 99.81
    assert rate_truncated(Decimal("291.83"), Decimal("292.36")) == Decimal("99.81")
    assert rate_truncated(Decimal("2"), Decimal("3")) == Decimal("66.66")
    assert rate_truncated(Decimal("5"), Decimal("5")) == Decimal("100.00")


def test_general_industrial_rate_by_hand():
    # 6.16 / 6.19 = 0.995153… → 99.51 %
    assert value(
        "gi_sw_utilisation_rate", gi_sw_generated_t="61900", gi_sw_utilised_t="61600"
    ) == Decimal("99.51")
    # with 1000 t of prior-year storage utilised: 61600 / (61900 + 1000) = 0.979332… → 97.93
    assert value(
        "gi_sw_utilisation_rate",
        gi_sw_generated_t="61900",
        gi_sw_utilised_t="61600",
        gi_sw_prior_storage_utilised_t="1000",
    ) == Decimal("97.93")


def test_general_industrial_rate_says_when_it_assumed_no_prior_storage():
    outcome = evaluate(
        "gi_sw_utilisation_rate", {"gi_sw_generated_t": Decimal(10), "gi_sw_utilised_t": Decimal(9)}
    )
    assert outcome == Computed(Decimal("90.00"), ("gi_sw_prior_storage_utilised_t=0",))


def test_construction_rate_by_hand():
    assert value(
        "construction_waste_utilisation_rate",
        construction_waste_generated_t="2923600",
        construction_waste_utilised_t="2918300",
    ) == Decimal("99.81")


def test_hazardous_rates_by_hand():
    assert value("hw_utilisation_rate", hw_generated_t="8", hw_utilised_t="3") == Decimal("37.50")
    # landfilled 2 of (utilised 3 + disposed 4) = 28.571… → 28.57
    assert value(
        "hw_landfill_share", hw_landfilled_t="2", hw_utilised_t="3", hw_disposed_t="4"
    ) == Decimal("28.57")


def test_intensities_by_hand():
    # 61900 t over 1 234 567 万元 = 0.050139… → 0.0501 吨/万元
    assert value(
        "gi_sw_intensity", gi_sw_generated_t="61900", industrial_value_added_10k_yuan="1234567"
    ) == Decimal("0.0501")
    # 8100 t / 300000 万元 = 0.027 → 0.0270
    assert value(
        "hw_intensity", hw_generated_t="8100", industrial_value_added_10k_yuan="300000"
    ) == Decimal("0.0270")


def test_agricultural_rates_by_hand():
    assert value(
        "straw_utilisation_rate", straw_collectable_t="1200", straw_utilised_t="1176"
    ) == Decimal("98.00")
    assert value(
        "manure_utilisation_rate", manure_generated_t="900", manure_utilised_t="800"
    ) == Decimal("88.88")
    assert value("film_recovery_rate", film_used_t="250", film_recovered_t="201") == Decimal(
        "80.40"
    )
    assert value(
        "agri_collection_coverage", villages_total="7", villages_in_collection_system="6"
    ) == Decimal("85.71")


def test_quantities_keep_three_decimals():
    assert value("hw_generated", hw_generated_t="8100.0004") == Decimal("8100.000")
    assert value("hw_landfilled", hw_landfilled_t="12.3456") == Decimal("12.346")
    assert value("gi_sw_generated", gi_sw_generated_t="56400") == Decimal("56400.000")
    assert value("medical_waste_collected", medical_waste_collected_t="2192.95") == Decimal(
        "2192.950"
    )


@pytest.mark.parametrize("key", sorted(FORMULAS))
def test_a_missing_input_is_named_never_zero(key):
    outcome = evaluate(key, {})
    assert isinstance(outcome, Missing)
    assert set(outcome.inputs) == set(FORMULAS[key].required)


def test_a_zero_denominator_is_missing_not_a_rate():
    outcome = evaluate(
        "construction_waste_utilisation_rate",
        {
            "construction_waste_generated_t": Decimal(0),
            "construction_waste_utilised_t": Decimal(0),
        },
    )
    assert outcome == Missing(("construction_waste_generated_t",), reason="zero_denominator")


def test_units_convert_exactly_and_refuse_other_dimensions():
    key = INPUT_KEYS["gi_sw_generated_t"]
    assert canonical_value(key, Decimal("6.19"), "万吨") == Decimal("61900")
    assert canonical_value(
        INPUT_KEYS["industrial_value_added_10k_yuan"], Decimal("1.5"), "亿元"
    ) == Decimal("15000")
    with pytest.raises(UnitRefused):
        canonical_value(key, Decimal("1"), "亿元")
