"""HJ 1259-2022 4.2 tiers, the 4.2.3 annual quantity and the 7.2 / 5.2 filing calendar."""

from __future__ import annotations

from datetime import date

from wufei.domain.supervision_tier import (
    Basis,
    FilingKind,
    Reason,
    Tier,
    annual_quantity,
    filings_due_in,
    filings_upcoming,
    supervision_tier,
)

T = 1_000_000
TODAY = date(2025, 6, 10)


def _tier(grams, *, facility=False, licence=False):
    annual = annual_quantity(yearly_g={2024: grams}, operating_since=date(2024, 1, 1), today=TODAY)
    return supervision_tier(
        annual=annual, has_in_house_facility=facility, holds_operating_licence=licence
    )


def test_thresholds_of_4_2_1() -> None:
    assert _tier(100 * T).tier == Tier.KEY
    assert _tier(100 * T).reasons == (Reason.ANNUAL_100T,)
    assert _tier(100 * T - 1).tier == Tier.SIMPLIFIED
    assert _tier(10 * T).tier == Tier.SIMPLIFIED
    assert _tier(10 * T - 1).tier == Tier.REGISTERED
    assert _tier(10 * T - 1).reasons == (Reason.ANNUAL_UNDER_10T,)


def test_a_facility_or_a_licence_makes_a_small_unit_key() -> None:
    assert _tier(1, facility=True).tier == Tier.KEY
    assert _tier(1, licence=True).reasons == (Reason.OPERATING_LICENCE,)
    both = _tier(200 * T, facility=True, licence=True)
    assert both.reasons == (Reason.ANNUAL_100T, Reason.IN_HOUSE_FACILITY, Reason.OPERATING_LICENCE)


def test_three_years_in_operation_take_the_largest_of_the_last_three() -> None:
    yearly = {2020: 500 * T, 2021: 20 * T, 2022: 80 * T, 2023: 30 * T, 2024: 5 * T, 2025: 400 * T}
    annual = annual_quantity(yearly_g=yearly, operating_since=date(2019, 3, 1), today=TODAY)
    assert annual == type(annual)(80 * T, Basis.LAST_THREE_YEARS, (2022, 2023, 2024))


def test_one_to_three_years_take_the_largest_year_of_the_operating_period() -> None:
    yearly = {2023: 12 * T, 2024: 9 * T, 2025: 3 * T}
    annual = annual_quantity(yearly_g=yearly, operating_since=date(2023, 5, 1), today=TODAY)
    assert (annual.grams, annual.basis, annual.years) == (
        12 * T,
        Basis.OPERATING_PERIOD,
        (2023, 2024, 2025),
    )


def test_first_year_takes_the_documented_figure_else_a_provisional_one() -> None:
    since = date(2025, 1, 15)
    declared = annual_quantity(
        yearly_g={2025: 2 * T}, operating_since=since, today=TODAY, declared_g=150 * T
    )
    assert (declared.grams, declared.basis) == (150 * T, Basis.DECLARED)
    provisional = annual_quantity(yearly_g={2025: 2 * T}, operating_since=since, today=TODAY)
    assert (provisional.grams, provisional.basis) == (2 * T, Basis.PROVISIONAL)
    intermittent = annual_quantity(
        yearly_g={2020: 300 * T},
        operating_since=date(2010, 1, 1),
        today=TODAY,
        declared_g=50 * T,
        intermittent=True,
    )
    assert (intermittent.grams, intermittent.basis) == (50 * T, Basis.DECLARED)


def test_key_units_file_monthly_by_the_15th_and_annually_by_31_march() -> None:
    due = filings_due_in(Tier.KEY, 2025)
    monthly = [f for f in due if f.kind == FilingKind.MONTHLY]
    assert len(monthly) == 12
    january = monthly[0]
    assert (january.period_start, january.period_end, january.due) == (
        date(2024, 12, 1),
        date(2024, 12, 31),
        date(2025, 1, 15),
    )
    march = next(f for f in monthly if f.due == date(2025, 3, 15))
    assert march.period_end == date(2025, 2, 28)
    annual = next(f for f in due if f.kind == FilingKind.ANNUAL)
    assert (annual.period_start, annual.due, annual.clause) == (
        date(2024, 1, 1),
        date(2025, 3, 31),
        "HJ 1259-2022 7.2.1",
    )
    plan = next(f for f in due if f.kind == FilingKind.MANAGEMENT_PLAN)
    assert (plan.period_start, plan.due) == (date(2025, 1, 1), date(2025, 3, 31))


def test_simplified_units_file_quarterly_on_the_15th_of_the_first_month() -> None:
    quarterly = [f for f in filings_due_in(Tier.SIMPLIFIED, 2025) if f.kind == FilingKind.QUARTERLY]
    assert [(f.period_start, f.period_end, f.due) for f in quarterly] == [
        (date(2024, 10, 1), date(2024, 12, 31), date(2025, 1, 15)),
        (date(2025, 1, 1), date(2025, 3, 31), date(2025, 4, 15)),
        (date(2025, 4, 1), date(2025, 6, 30), date(2025, 7, 15)),
        (date(2025, 7, 1), date(2025, 9, 30), date(2025, 10, 15)),
    ]


def test_registered_units_file_once_a_year() -> None:
    kinds = [f.kind for f in filings_due_in(Tier.REGISTERED, 2025)]
    assert kinds == [FilingKind.ANNUAL, FilingKind.MANAGEMENT_PLAN]
    assert filings_due_in(Tier.REGISTERED, 2025)[0].clause == "HJ 1259-2022 7.2.3"


def test_upcoming_filings_cross_the_year_end() -> None:
    upcoming = filings_upcoming(Tier.SIMPLIFIED, today=date(2025, 10, 16), count=3)
    assert [(f.kind, f.due) for f in upcoming] == [
        (FilingKind.QUARTERLY, date(2026, 1, 15)),
        (FilingKind.ANNUAL, date(2026, 3, 31)),
        (FilingKind.MANAGEMENT_PLAN, date(2026, 3, 31)),
    ]
    assert filings_upcoming(Tier.KEY, today=date(2025, 6, 15), count=1)[0].due == date(2025, 6, 15)


def test_the_next_filing_of_each_kind() -> None:
    from wufei.domain.supervision_tier import filings_next_of_each_kind

    nxt = filings_next_of_each_kind(Tier.KEY, today=date(2025, 11, 20))
    assert [(f.kind, f.due) for f in nxt] == [
        (FilingKind.MONTHLY, date(2025, 12, 15)),
        (FilingKind.ANNUAL, date(2026, 3, 31)),
        (FilingKind.MANAGEMENT_PLAN, date(2026, 3, 31)),
    ]
