"""Filing period labels agree with the HJ 1259 calendar both ways."""

from __future__ import annotations

from datetime import date

import pytest

from wufei.domain.filing_periods import filing_for, is_late, period_label
from wufei.domain.supervision_tier import FilingKind, Tier, filings_due_in


def test_every_calendar_filing_round_trips_through_its_label():
    for tier in Tier:
        for filing in filings_due_in(tier, 2024):
            assert filing_for(filing.kind, period_label(filing), tier) == filing


def test_labels_and_deadlines():
    december = filing_for(FilingKind.MONTHLY, "2023-12")
    assert december.due == date(2024, 1, 15)
    assert period_label(december) == "2023-12"
    q4 = filing_for(FilingKind.QUARTERLY, "2023-Q4")
    assert (q4.period_start, q4.period_end, q4.due) == (
        date(2023, 10, 1),
        date(2023, 12, 31),
        date(2024, 1, 15),
    )
    annual = filing_for(FilingKind.ANNUAL, "2023")
    assert (annual.period_start, annual.due) == (date(2023, 1, 1), date(2024, 3, 31))
    plan = filing_for(FilingKind.MANAGEMENT_PLAN, "2024")
    assert (plan.period_start, plan.due) == (date(2024, 1, 1), date(2024, 3, 31))


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        (FilingKind.MONTHLY, "2024-13"),
        (FilingKind.MONTHLY, "2024"),
        (FilingKind.QUARTERLY, "2024-Q5"),
        (FilingKind.ANNUAL, "24"),
        (FilingKind.MANAGEMENT_PLAN, "2024-01"),
    ],
)
def test_bad_labels(kind, label):
    with pytest.raises(ValueError):
        filing_for(kind, label)


def test_a_tier_without_the_kind():
    with pytest.raises(ValueError):
        filing_for(FilingKind.MONTHLY, "2024-01", Tier.REGISTERED)


def test_the_due_day_is_still_on_time():
    filing = filing_for(FilingKind.MONTHLY, "2024-02")
    assert not is_late(filing, today=date(2024, 3, 15))
    assert is_late(filing, today=date(2024, 3, 16))
